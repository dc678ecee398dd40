/**
 * Figures for the console's overview and offer list, read through portable SQL.
 * The value pyramid is computed with the pure `valuePyramid`; a snapshot of it is kept per day
 * so the overview can say how tiers moved since last week.
 */
import type { ProfileScores, ProfileStats, ValueTier } from '../profile.ts';
import { valuePyramid, type PyramidRow } from '../models/tiers.ts';
import type { Site, SqlRunner } from '../store/types.ts';

const DAY = 86_400_000;

/** The site-local calendar day of `t` as YYYY-MM-DD, and the epoch ms it starts at. */
export function localDay(t: number, utcOffsetMinutes: number): { day: string; start: number } {
  const shifted = t + utcOffsetMinutes * 60_000;
  const start = Math.floor(shifted / DAY) * DAY;
  return { day: new Date(start).toISOString().slice(0, 10), start: start - utcOffsetMinutes * 60_000 };
}

export interface Overview {
  /** Profiles seen on the site (at least one visit): customers known only from an import are not visitors. */
  visitors: number;
  /** Visitors who are known customers (a user id): of the same base as `visitors`, so one reads against the other. */
  identified: number;
  /** Visitors with at least one trusted order. */
  buyers: number;
  eventsToday: number;
  /** Share of visitors who bought at least once. */
  conversion: number;
  pyramid: PyramidRow[];
  /** The pyramid of about a week ago (the oldest snapshot 7–13 days back), or null. */
  lastWeek: { day: string; rows: { tier: ValueTier; count: number; valueShare: number }[] } | null;
}

/**
 * The overview, and today's tier snapshot (upserted as a side effect).
 * Scans the profile scores of the site: fine up to a few hundred thousand profiles.
 */
export async function overview(db: SqlRunner, site: Site, now: number): Promise<Overview> {
  const rows = (await db.query('SELECT user_id, scores, stats FROM profiles WHERE site_id = ?', [site.id])).rows;
  let visitors = 0, identified = 0, buyers = 0;
  const people: { tier: ValueTier | null; clv: number | null }[] = [];
  for (const r of rows) {
    const s = JSON.parse(r.scores) as ProfileScores;
    const stats = JSON.parse(r.stats) as Pick<ProfileStats, 'orders' | 'sessions' | 'pageViews'>;
    // pageViews too: profiles stored before visits were counted have sessions 0.
    if (stats.sessions > 0 || stats.pageViews > 0) {
      visitors++;
      if (r.user_id) identified++;
      if (stats.orders > 0) buyers++;
    }
    people.push({ tier: s.tier, clv: s.clv });
  }
  const today = localDay(now, site.settings.utcOffsetMinutes);
  const events = (await db.query('SELECT COUNT(*) AS n FROM events WHERE site_id = ? AND ts >= ?', [site.id, today.start])).rows[0];
  const pyramid = valuePyramid(people);
  for (const p of pyramid) {
    await db.query(
      'INSERT INTO console_tier_snapshots (site_id, day, tier, customers, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (site_id, day, tier) DO UPDATE SET customers = excluded.customers, value = excluded.value',
      [site.id, today.day, p.tier, p.count, p.value],
    );
  }
  const from = localDay(now - 13 * DAY, site.settings.utcOffsetMinutes).day, to = localDay(now - 7 * DAY, site.settings.utcOffsetMinutes).day;
  const past = (await db.query('SELECT day, tier, customers, value FROM console_tier_snapshots WHERE site_id = ? AND day >= ? AND day <= ? ORDER BY day', [site.id, from, to])).rows;
  let lastWeek: Overview['lastWeek'] = null;
  if (past.length) {
    const day = past[0].day as string;
    const of = past.filter((r) => r.day === day);
    const total = of.reduce((s, r) => s + Number(r.value), 0);
    lastWeek = { day, rows: of.map((r) => ({ tier: r.tier, count: Number(r.customers), valueShare: total ? Number(r.value) / total : 0 })) };
  }
  return { visitors, identified, buyers, eventsToday: Number(events.n), conversion: visitors ? buyers / visitors : 0, pyramid, lastWeek };
}

export interface OfferFigures { decisions: number; holdouts: number; impressions: number; clicks: number; dismissals: number; conversions: number }

/** Impressions, clicks, dismissals and conversions per offer, from the decisions and outcomes tables. */
export async function offerFigures(db: SqlRunner, siteId: string): Promise<Record<string, OfferFigures>> {
  const out: Record<string, OfferFigures> = {};
  const get = (id: string) => (out[id] ??= { decisions: 0, holdouts: 0, impressions: 0, clicks: 0, dismissals: 0, conversions: 0 });
  const d = await db.query('SELECT offer_id, holdout, COUNT(*) AS n FROM decisions WHERE site_id = ? AND offer_id IS NOT NULL GROUP BY offer_id, holdout', [siteId]);
  for (const r of d.rows) {
    const f = get(r.offer_id);
    f.decisions += Number(r.n);
    if (Number(r.holdout)) f.holdouts += Number(r.n);
  }
  const o = await db.query(
    'SELECT d.offer_id, o.kind, COUNT(*) AS n FROM outcomes o JOIN decisions d ON d.site_id = o.site_id AND d.id = o.decision_id WHERE o.site_id = ? AND d.offer_id IS NOT NULL GROUP BY d.offer_id, o.kind',
    [siteId],
  );
  const key = { impression: 'impressions', click: 'clicks', dismiss: 'dismissals', conversion: 'conversions' } as const;
  for (const r of o.rows) {
    const k = key[r.kind as keyof typeof key];
    if (k) get(r.offer_id)[k] += Number(r.n);
  }
  return out;
}

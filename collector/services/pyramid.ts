/**
 * The value pyramid of a site's customer base: count and share of total value per tier
 * (models/tiers.ts valuePyramid) over the scores stored with each profile.
 */
import type { ProfileScores } from '../profile.ts';
import { valuePyramid, type PyramidRow } from '../models/tiers.ts';
import type { Services } from './context.ts';
import { jsonColumn } from './refit.ts';

export interface Pyramid {
  tiers: PyramidRow[];
  /** Customers with a tier (buyers) and profiles read. */
  customers: number;
  profiles: number;
  /** Sum of CLV over the tiered customers (negative values count as 0). */
  totalValue: number;
  /** Oldest score computation among the buyers, so the reader knows how fresh this is. */
  oldestScoreAt: number | null;
}

/**
 * Read every profile's stored tier and CLV, a page at a time, and build the pyramid.
 * @example (await sitePyramid(svc, site.id)).tiers[0] // { tier: 'MVC', count: 2357, valueShare: 0.41, … }
 */
export async function sitePyramid(svc: Services, siteId: string, pageSize = 2000): Promise<Pyramid> {
  const rows: { tier: ProfileScores['tier']; clv: number | null }[] = [];
  let profiles = 0;
  let oldest: number | null = null;
  let after = '';
  for (;;) {
    const page = (await svc.store.query('SELECT id, scores FROM profiles WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?', [siteId, after, pageSize])).rows;
    for (const r of page) {
      const s = jsonColumn<ProfileScores>(r.scores);
      profiles++;
      if (!s.tier) continue;
      rows.push({ tier: s.tier, clv: s.clv });
      if (oldest === null || s.computedAt < oldest) oldest = s.computedAt;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1].id as string;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const tiers = valuePyramid(rows);
  return { tiers, customers: rows.length, profiles, totalValue: tiers.reduce((a, t) => a + t.value, 0), oldestScoreAt: oldest };
}

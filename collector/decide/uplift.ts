/**
 * The uplift report: per offer and per value tier, treated vs. held-out customers.
 * Pure; feed it `attribute(…, { touch: 'decision' })` so both groups are measured the same way.
 *
 * Unit: the customer, not the decision (a customer shown an offer five times is one treated
 * customer). A customer converts if any of their decisions for the offer got an attributed
 * conversion; their revenue is the sum of attributed order values. Customers found in both
 * groups of one offer (the salt or shares changed mid-test) are left out: they are contaminated.
 *
 * Conversion-rate difference: Newcombe's hybrid score interval (Wilson-based), 95 %.
 * Revenue per customer difference: Welch's t interval, 95 %. Relative uplift = treated / holdout − 1.
 */
import type { ValueTier } from '../profile.ts';
import type { DecisionResult } from './attribution.ts';
import { newcombeDiff, welchDiff } from './stats.ts';

export interface GroupFigures {
  customers: number;
  converters: number;
  conversionRate: number;
  revenue: number;
  revenuePerCustomer: number;
}

export interface UpliftRow {
  offerId: string;
  /** A tier, null for customers without one, or 'all' for the offer's total row. */
  tier: ValueTier | null | 'all';
  treated: GroupFigures;
  holdout: GroupFigures;
  conversion: { diff: number; low: number; high: number; relative: number | null };
  revenuePerCustomer: { diff: number; low: number | null; high: number | null; df: number | null; relative: number | null };
}

interface Customer { converted: boolean; revenue: number }

function figures(cs: readonly Customer[]): GroupFigures {
  const converters = cs.filter((c) => c.converted).length;
  const revenue = cs.reduce((s, c) => s + c.revenue, 0);
  return {
    customers: cs.length,
    converters,
    conversionRate: cs.length ? converters / cs.length : 0,
    revenue,
    revenuePerCustomer: cs.length ? revenue / cs.length : 0,
  };
}

const relative = (t: number, h: number) => (h > 0 ? t / h - 1 : null);

/** Compare two customer groups. */
export function compareGroups(offerId: string, tier: UpliftRow['tier'], treated: readonly Customer[], holdout: readonly Customer[]): UpliftRow {
  const t = figures(treated);
  const h = figures(holdout);
  return {
    offerId, tier, treated: t, holdout: h,
    conversion: { ...newcombeDiff(t.converters, t.customers, h.converters, h.customers), relative: relative(t.conversionRate, h.conversionRate) },
    revenuePerCustomer: {
      ...welchDiff(treated.map((c) => c.revenue), holdout.map((c) => c.revenue)),
      relative: relative(t.revenuePerCustomer, h.revenuePerCustomer),
    },
  };
}

/**
 * Rows per offer × tier plus one 'all' row per offer, sorted by offer then tier.
 * @example upliftReport(attribute(decisions, interactions, orders, { windowMs, touch: 'decision' }))
 */
export function upliftReport(results: readonly DecisionResult[]): UpliftRow[] {
  // offer → profile → the customer's figures per group; tier = their tier at the first decision.
  const byOffer = new Map<string, Map<string, { tier: ValueTier | null; groups: Partial<Record<'t' | 'h', Customer>> }>>();
  for (const r of [...results].sort((a, b) => a.at - b.at)) {
    let people = byOffer.get(r.offerId);
    if (!people) byOffer.set(r.offerId, (people = new Map()));
    let p = people.get(r.profileId);
    if (!p) people.set(r.profileId, (p = { tier: r.tier, groups: {} }));
    const g = r.holdout ? 'h' : 't';
    const c = (p.groups[g] ??= { converted: false, revenue: 0 });
    c.converted ||= r.converted;
    c.revenue += r.revenue;
  }
  const rows: UpliftRow[] = [];
  for (const [offerId, people] of [...byOffer].sort((a, b) => a[0].localeCompare(b[0]))) {
    const tiers = new Map<ValueTier | null, { t: Customer[]; h: Customer[] }>();
    const all = { t: [] as Customer[], h: [] as Customer[] };
    for (const p of people.values()) {
      if (p.groups.t && p.groups.h) continue;
      let bucket = tiers.get(p.tier);
      if (!bucket) tiers.set(p.tier, (bucket = { t: [], h: [] }));
      const g = p.groups.t ? 't' : 'h';
      bucket[g].push((p.groups.t ?? p.groups.h)!);
      all[g].push((p.groups.t ?? p.groups.h)!);
    }
    for (const [tier, b] of [...tiers].sort((a, b) => String(a[0]).localeCompare(String(b[0])))) rows.push(compareGroups(offerId, tier, b.t, b.h));
    rows.push(compareGroups(offerId, 'all', all.t, all.h));
  }
  return rows;
}

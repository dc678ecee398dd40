/**
 * From running stats and the shop's fitted model to the scores decide reads.
 * Pure: `now` is passed in. FIRST CUT — the Differentiate issue replaces the value maths.
 */
import type { ProfileScores, ProfileStats, ValueTier } from '../profile.ts';
import type { ScoringConfig } from './config.ts';
import { decayAffinity } from './stats.ts';

/** Shop-level figures fitted in the background over the whole customer base. */
export interface ShopModel {
  fittedAt: number;
  customers: number;
  bgnbd: { r: number; alpha: number; a: number; b: number } | null;
  gammaGamma: { p: number; q: number; v: number } | null;
  /** CLV at which a customer enters the top `mvcTopShare`. */
  mvcClv: number | null;
  /** Quintile cut points (4 each) for RFM scores over the base. */
  quintiles: { r: number[]; f: number[]; m: number[] } | null;
}

export const EMPTY_MODEL: ShopModel = { fittedAt: 0, customers: 0, bgnbd: null, gammaGamma: null, mvcClv: null, quintiles: null };

const DAY = 86_400_000;

export function scoreProfile(stats: ProfileStats, model: ShopModel, config: ScoringConfig, now: number): ProfileScores {
  const copy = { ...stats, affinity: { at: stats.affinity.at, scores: { ...stats.affinity.scores } } };
  decayAffinity(copy, now, config.affinityHalfLifeDays);
  const total = Object.values(copy.affinity.scores).reduce((a, b) => a + b, 0);
  const affinities: Record<string, number> = {};
  for (const [k, v] of Object.entries(copy.affinity.scores).sort((a, b) => b[1] - a[1])) affinities[k] = total > 0 ? Math.round((v / total) * 100) / 100 : 0;
  const recencyDays = stats.lastOrderAt === null ? null : Math.floor((now - stats.lastOrderAt) / DAY);
  let tier: ValueTier | null = null;
  const reasons: string[] = [];
  if (stats.orders > 0) {
    const avg = stats.revenue / stats.orders;
    tier = stats.orders >= 3 ? 'MVC' : stats.orders === 2 ? 'MGC' : 'LMC';
    if (recencyDays !== null && recencyDays > 180) tier = 'Migrator';
    reasons.push(`${stats.orders} purchases, ${Math.round(stats.revenue)} revenue, avg ${Math.round(avg)}, last ${recencyDays} days ago → ${tier}`);
  }
  const top = Object.entries(affinities)[0];
  if (top) reasons.push(`${top[0]} affinity ${top[1].toFixed(2)}`);
  const stage = stats.lastCartAt && now - stats.lastCartAt < 7 * DAY ? 'buying' : stats.pageViews > 3 ? 'considering' : 'browsing';
  return {
    tier,
    rfm: { recencyDays, frequency: stats.orders, monetary: stats.orders ? stats.revenue / stats.orders : 0, r: 0, f: 0, m: 0 },
    clv: null, pAlive: null, expectedPurchases: null,
    affinities, needs: [], stage, reasons, computedAt: now,
  };
}

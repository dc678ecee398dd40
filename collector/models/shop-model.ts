/**
 * Shop-level figures fitted in the background over the whole customer base (fit.ts) and read
 * by per-profile scoring (score.ts). Plain JSON, so the store can persist it as is.
 */
import type { BgNbdParams } from './bgnbd.ts';
import type { GammaGammaParams } from './gamma-gamma.ts';
import type { RfmQuintiles } from './rfm.ts';

export interface ShopModel {
  /** End of the calibration period the model was fitted on (epoch ms). */
  fittedAt: number;
  customers: number;
  bgnbd: BgNbdParams | null;
  gammaGamma: GammaGammaParams | null;
  /** CLV at which a customer enters the top `mvcTopShare`. */
  mvcClv: number | null;
  /** Quintile cut points (4 each) for RFM scores over the base. */
  quintiles: RfmQuintiles | null;
  /** Time unit the BG/NBD parameters are expressed in; scoring must use the same. @default config.unit */
  unit?: 'day' | 'week';
  /** CLV at every percentile 0…100 of the buyers, for "top 7 %". */
  clvPercentiles?: number[] | null;
  /**
   * Potential value per needs group: the `mgcPeerQuantile` of CLV among customers whose top
   * affinity category is the key; "*" holds the whole base's.
   */
  potential?: Record<string, number> | null;
  /** Tertile cuts of customers' typical unit price: below the first is budget, above the second premium. */
  priceCuts?: [number, number] | null;
  /** Fit diagnostics, for the CLI and the console. */
  diagnostics?: { bgnbdLogLikelihood: number | null; gammaGammaLogLikelihood: number | null; repeatCustomers: number } | null;
}

export const EMPTY_MODEL: ShopModel = { fittedAt: 0, customers: 0, bgnbd: null, gammaGamma: null, mvcClv: null, quintiles: null };

/**
 * Share of buyers whose CLV is at least `clv` (0.07 = top 7 %), from the percentile grid.
 * @example topShare(model, 880_000) // 0.07
 */
export function topShare(percentiles: readonly number[] | null | undefined, clv: number): number | null {
  if (!percentiles || percentiles.length < 2) return null;
  const n = percentiles.length - 1;
  if (clv >= percentiles[n]) return 0;
  if (clv < percentiles[0]) return 1;
  // The highest percentile index at or below clv, interpolated to the next.
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (percentiles[mid] <= clv) lo = mid;
    else hi = mid;
  }
  const span = percentiles[hi] - percentiles[lo];
  const frac = span > 0 ? (clv - percentiles[lo]) / span : 1;
  return 1 - (lo + frac) / n;
}

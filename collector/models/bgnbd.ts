/**
 * BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the
 * easy way"): purchase rate λ ~ Gamma(r, α) while alive, drop-out after each repeat purchase
 * with probability p ~ Beta(a, b). Everything is computed in log space where it can overflow.
 */
import { hyp2f1, hyp2f1SeriesTimes } from './hyp2f1.ts';
import { minimizeBfgs } from './optimize.ts';
import { digamma, logAddExp, logGamma } from './special.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A customer's history in model units: repeat purchases x, last purchase t_x, age T. */
export interface FrequencyRecency {
  x: number;
  tx: number;
  T: number;
}

/** Identical (x, t_x, T) histories counted once: the likelihood only needs the distinct ones. */
export interface GroupedHistories {
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Per group: index into the distinct x, t_x and T values, so logs are taken once per value. */
  xi: Int32Array;
  txi: Int32Array;
  Ti: Int32Array;
  xs: number[];
  txs: number[];
  Ts: number[];
  customers: number;
}

/** Group histories by identical (x, t_x, T). */
export function groupHistories(histories: Iterable<FrequencyRecency>): GroupedHistories {
  const counts = new Map<string, { h: FrequencyRecency; n: number }>();
  let customers = 0;
  for (const h of histories) {
    const key = `${h.x}|${h.tx}|${h.T}`;
    const g = counts.get(key);
    if (g) g.n++;
    else counts.set(key, { h, n: 1 });
    customers++;
  }
  const groups = [...counts.values()];
  const index = (values: number[]) => {
    const distinct = [...new Set(values)];
    const at = new Map(distinct.map((v, i) => [v, i]));
    return { distinct, idx: Int32Array.from(values, (v) => at.get(v)!) };
  };
  const X = index(groups.map((g) => g.h.x));
  const TX = index(groups.map((g) => g.h.tx));
  const TT = index(groups.map((g) => g.h.T));
  return {
    x: Int32Array.from(groups, (g) => g.h.x),
    tx: Float64Array.from(groups, (g) => g.h.tx),
    T: Float64Array.from(groups, (g) => g.h.T),
    weight: Float64Array.from(groups, (g) => g.n),
    xi: X.idx, txi: TX.idx, Ti: TT.idx,
    xs: X.distinct, txs: TX.distinct, Ts: TT.distinct,
    customers,
  };
}

/**
 * Total log-likelihood of the grouped histories (equation 6 of FHL 2005, in log space).
 * @example bgnbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, groupHistories(cdnowSample)) // ≈ −9582.4
 */
export function bgnbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, g: GroupedHistories): number {
  const base = r * Math.log(alpha) + logGamma(a + b) - logGamma(b) - logGamma(r);
  // Terms that depend on x only, computed once per distinct x.
  const gx = g.xs.map((x) => logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x));
  const dx = g.xs.map((x) => (x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity));
  const lT = g.Ts.map((T) => Math.log(alpha + T));
  const ltx = g.txs.map((t) => Math.log(alpha + t));
  let ll = 0;
  for (let i = 0; i < g.weight.length; i++) {
    const x = g.x[i];
    const xi = g.xi[i];
    const a3 = -(r + x) * lT[g.Ti[i]];
    const l = x > 0 ? logAddExp(a3, dx[xi] - (r + x) * ltx[g.txi[i]]) : a3;
    ll += g.weight[i] * (base + gx[xi] + l);
  }
  return ll;
}

/**
 * Log-likelihood and its gradient with respect to (r, α, a, b), in one pass.
 * Each customer's likelihood is a sum of two terms (alive at T, or dropped out after t_x);
 * w4 is the share of the second, so both derivatives come out of the same exponential.
 */
export function bgnbdLogLikelihoodGradient({ r, alpha, a, b }: BgNbdParams, g: GroupedHistories): { value: number; gradient: number[] } {
  const base = r * Math.log(alpha) + logGamma(a + b) - logGamma(b) - logGamma(r);
  const dBase = [Math.log(alpha) - digamma(r), r / alpha, digamma(a + b), digamma(a + b) - digamma(b)];
  const nx = g.xs.length;
  const gx = new Float64Array(nx);
  const dx = new Float64Array(nx);
  const gr = new Float64Array(nx);
  const ga = new Float64Array(nx);
  const gb = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const x = g.xs[k];
    gx[k] = logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    dx[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
    gr[k] = digamma(r + x);
    ga[k] = -digamma(a + b + x);
    gb[k] = digamma(b + x) - digamma(a + b + x);
  }
  const lT = g.Ts.map((T) => Math.log(alpha + T));
  const iT = g.Ts.map((T) => 1 / (alpha + T));
  const ltx = g.txs.map((t) => Math.log(alpha + t));
  const itx = g.txs.map((t) => 1 / (alpha + t));
  let ll = 0;
  let dr = 0, dal = 0, da = 0, db = 0;
  for (let i = 0; i < g.weight.length; i++) {
    const x = g.x[i];
    const k = g.xi[i];
    const w = g.weight[i];
    const Ti = g.Ti[i];
    const a3 = -(r + x) * lT[Ti];
    let l = a3;
    let w4 = 0;
    if (x > 0) {
      const ti = g.txi[i];
      const a4 = dx[k] - (r + x) * ltx[ti];
      l = logAddExp(a3, a4);
      w4 = Math.exp(a4 - l);
      const w3 = 1 - w4;
      dr += w * (gr[k] - w3 * lT[Ti] - w4 * ltx[ti]);
      dal -= w * (r + x) * (w3 * iT[Ti] + w4 * itx[ti]);
      da += w * (ga[k] + w4 / a);
      db += w * (gb[k] - w4 / (b + x - 1));
    } else {
      dr += w * (gr[k] - lT[Ti]);
      dal -= w * (r + x) * iT[Ti];
      da += w * ga[k];
      db += w * gb[k];
    }
    ll += w * (base + gx[k] + l);
  }
  const n = g.customers;
  return { value: ll, gradient: [dr + n * dBase[0], dal + n * dBase[1], da + n * dBase[2], db + n * dBase[3]] };
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  customers: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Maximum-likelihood fit by BFGS over log-parameters (analytic gradient).
 * @example fitBgNbd(histories).params // { r, alpha, a, b }
 */
export function fitBgNbd(histories: Iterable<FrequencyRecency> | GroupedHistories): BgNbdFit {
  const g = 'weight' in histories ? histories : groupHistories(histories);
  if (g.customers === 0) throw new RangeError('fitBgNbd: no customers');
  let meanT = 0;
  for (let i = 0; i < g.weight.length; i++) meanT += g.T[i] * g.weight[i];
  meanT = Math.max(meanT / g.customers, 1e-3);
  const n = g.customers;
  // Gradient in log-parameters: ∂/∂ln θ = θ·∂/∂θ; scaled per customer so tolerances do not depend on n.
  const objective = (v: number[]) => {
    const p = fromLog(v);
    const { value, gradient } = bgnbdLogLikelihoodGradient(p, g);
    const th = [p.r, p.alpha, p.a, p.b];
    return { value: -value / n, gradient: gradient.map((d, i) => (-d * th[i]) / n) };
  };
  // Start at λ of about one purchase per customer lifetime and a mild drop-out.
  const res = minimizeBfgs(objective, [0, Math.log(meanT), 0, 0]);
  const params = fromLog(res.x);
  return { params, logLikelihood: -res.value * n, customers: n, evaluations: res.evaluations, converged: res.converged };
}

function fromLog(v: number[]): BgNbdParams {
  return { r: Math.exp(v[0]), alpha: Math.exp(v[1]), a: Math.exp(v[2]), b: Math.exp(v[3]) };
}

// At a = 1 the closed forms are 0/0; a nudge this small changes results far below their precision.
function safeA(a: number): number {
  return Math.abs(a - 1) < 1e-7 ? 1 + (a >= 1 ? 1e-7 : -1e-7) : a;
}

/**
 * P(alive | x, t_x, T) (FHL 2005 eq. 13 / Fader-Hardie note). Always 1 for x = 0: in BG/NBD
 * customers can only drop out after a repeat purchase.
 */
export function pAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: FrequencyRecency): number {
  if (x === 0) return 1;
  const logRatio = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logRatio));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t units (FHL 2005 eq. 10).
 * Usually with Euler's transformation ₂F₁(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1−r−x) ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
 * whose series has small parameters and decays fastest, so the power of (α+T)/(α+T+t) never overflows.
 * That form fails at two ends a fit can reach on a degenerate base: with r ≫ a + b its series
 * alternates with huge terms (±1e138 from cancellation), and with a − 1 > r + x ₂F₁ transforms it
 * back and its power overflows (0 · ∞ = NaN). There the untransformed series is summed instead:
 * all its terms are positive, and its power is applied in log space.
 * @example expectedPurchases(params, { x: 2, tx: 30.43, T: 38.86 }, 39) // ≈ 1.23 for the CDNOW estimates
 */
export function expectedPurchases(params: BgNbdParams, h: FrequencyRecency, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = params;
  const a = safeA(params.a);
  const { x, tx, T } = h;
  const oneMinusZ = (alpha + T) / (alpha + T + t);
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const euler = a - 1 <= r + x && a + b - 1 - r >= -1;
  const g = euler ? Math.pow(oneMinusZ, a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z) : hyp2f1SeriesTimes((r + x) * Math.log1p(-z), r + x, b + x, c, z);
  const numerator = (c / (a - 1)) * (1 - g);
  const denom = x > 0 ? 1 + Math.exp(Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))) : 1;
  return numerator / denom;
}

/**
 * E[X(t)]: expected purchases in the first t units of a new customer (FHL 2005 eq. 9).
 */
export function expectedPurchasesNew(params: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = params;
  const a = safeA(params.a);
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
}

/**
 * Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma model of
 * monetary value"): each transaction z ~ Gamma(p, ν), ν ~ Gamma(q, v) across customers.
 * Fitted on repeat customers' mean spend of their repeat transactions.
 */
import { minimizeBfgs } from './optimize.ts';
import { digamma, logGamma } from './special.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** A repeat customer: x repeat transactions with mean spend m. */
export interface SpendHistory {
  x: number;
  m: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  customers: number;
  evaluations: number;
  converged: boolean;
}

/** Keep the customers the model is defined for: at least one repeat transaction with positive spend. */
function usable(h: readonly SpendHistory[]): SpendHistory[] {
  return h.filter((c) => c.x > 0 && c.m > 0 && Number.isFinite(c.m));
}

/**
 * Log-likelihood of the mean spends (equation 3 of the note, summed in log space).
 * @example gammaGammaLogLikelihood({ p: 6.25, q: 3.74, v: 15.44 }, repeaters) // ≈ −4000 for the CDNOW sample
 */
export function gammaGammaLogLikelihood({ p, q, v }: GammaGammaParams, histories: readonly SpendHistory[]): number {
  const perX = new Map<number, number>();
  const constant = q * Math.log(v) - logGamma(q);
  let ll = 0;
  for (const { x, m } of histories) {
    let k = perX.get(x);
    if (k === undefined) {
      k = logGamma(p * x + q) - logGamma(p * x) + p * x * Math.log(x);
      perX.set(x, k);
    }
    ll += constant + k + (p * x - 1) * Math.log(m) - (p * x + q) * Math.log(v + x * m);
  }
  return ll;
}

/** Repeat customers grouped by x, with Σ ln m per group precomputed: one log per customer per evaluation. */
interface SpendGroups {
  xs: number[];
  /** Per x: count, Σ ln m, and the customers' m. */
  count: number[];
  sumLogM: number[];
  ms: Float64Array[];
}

function groupSpend(data: readonly SpendHistory[]): SpendGroups {
  const by = new Map<number, number[]>();
  for (const { x, m } of data) (by.get(x) ?? by.set(x, []).get(x)!).push(m);
  const xs = [...by.keys()];
  return {
    xs,
    count: xs.map((x) => by.get(x)!.length),
    sumLogM: xs.map((x) => by.get(x)!.reduce((s, m) => s + Math.log(m), 0)),
    ms: xs.map((x) => Float64Array.from(by.get(x)!)),
  };
}

/** Log-likelihood and gradient with respect to (p, q, v). */
export function gammaGammaLogLikelihoodGradient({ p, q, v }: GammaGammaParams, g: SpendGroups): { value: number; gradient: number[] } {
  let ll = 0, dp = 0, dq = 0, dv = 0;
  const lv = Math.log(v);
  const lgq = logGamma(q);
  const psiq = digamma(q);
  for (let k = 0; k < g.xs.length; k++) {
    const x = g.xs[k];
    const n = g.count[k];
    const px = p * x;
    const psiSum = digamma(px + q);
    ll += n * (logGamma(px + q) - logGamma(px) - lgq + q * lv + px * Math.log(x)) + (px - 1) * g.sumLogM[k];
    dp += n * x * (psiSum - digamma(px) + Math.log(x)) + x * g.sumLogM[k];
    dq += n * (psiSum - psiq + lv);
    dv += (n * q) / v;
    let sumLog = 0;
    let sumInv = 0;
    for (const m of g.ms[k]) {
      const d = v + x * m;
      sumLog += Math.log(d);
      sumInv += 1 / d;
    }
    ll -= (px + q) * sumLog;
    dp -= x * sumLog;
    dq -= sumLog;
    dv -= (px + q) * sumInv;
  }
  return { value: ll, gradient: [dp, dq, dv] };
}

/**
 * Maximum-likelihood fit by BFGS over log-parameters (analytic gradient). Customers with x = 0 or no spend
 * are ignored, as the model requires.
 */
export function fitGammaGamma(histories: readonly SpendHistory[]): GammaGammaFit {
  const data = usable(histories);
  if (data.length === 0) throw new RangeError('fitGammaGamma: no repeat customers with spend');
  let mean = 0;
  for (const c of data) mean += c.m / data.length;
  const n = data.length;
  const g = groupSpend(data);
  const objective = (w: number[]) => {
    const th = fromLog(w);
    const { value, gradient } = gammaGammaLogLikelihoodGradient(th, g);
    const t = [th.p, th.q, th.v];
    return { value: -value / n, gradient: gradient.map((d, i) => (-d * t[i]) / n) };
  };
  // Start where the population mean spend p·v/(q−1) equals the observed mean.
  const res = minimizeBfgs(objective, [Math.log(2), Math.log(2), Math.log(mean)]);
  return { params: fromLog(res.x), logLikelihood: -res.value * n, customers: n, evaluations: res.evaluations, converged: res.converged };
}

function fromLog(w: number[]): GammaGammaParams {
  return { p: Math.exp(w[0]), q: Math.exp(w[1]), v: Math.exp(w[2]) };
}

/**
 * E[M | p, q, v, m_x, x]: expected spend per future transaction, a weighted mean of the
 * population mean p·v/(q−1) and the customer's own mean m (equation 5 of the note).
 * For customers without repeat spend it is the population mean.
 * @example expectedSpend({ p: 6.25, q: 3.74, v: 15.44 }, { x: 2, m: 40 }) // ≈ 37.9
 */
export function expectedSpend({ p, q, v }: GammaGammaParams, { x, m }: SpendHistory): number {
  if (q <= 1) return x > 0 && m > 0 ? m : NaN;
  if (!(x > 0 && m > 0)) return (p * v) / (q - 1);
  return (p * (v + x * m)) / (p * x + q - 1);
}

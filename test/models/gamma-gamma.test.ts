import { describe, expect, it } from 'vitest';
import { summarizeCustomer } from '../../collector/models/customer-summary.ts';
import { expectedSpend, fitGammaGamma, gammaGammaLogLikelihood } from '../../collector/models/gamma-gamma.ts';
import { CDNOW_END, CDNOW_SAMPLE, gamma, loadCdnow, rng } from './support.ts';

const summaries = loadCdnow(CDNOW_SAMPLE).map((o) => summarizeCustomer(o, CDNOW_END, 'week')!);

describe('Gamma-Gamma on the CDNOW sample (Fader & Hardie, "The Gamma-Gamma model of monetary value")', () => {
  it('reproduces p=6.25, q=3.74, v=15.44 when fitted on the mean of repeat transactions', () => {
    const fit = fitGammaGamma(summaries.map((s) => ({ x: s.x, m: s.repeatSpend })));
    expect(fit.customers).toBe(946);
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(fit.params.v).toBeCloseTo(15.44, 1);
  });

  it('does not reproduce them when the first purchase is included (the other convention)', () => {
    const fit = fitGammaGamma(summaries.map((s) => ({ x: s.x, m: s.meanSpend })));
    expect(Math.abs(fit.params.p - 6.25)).toBeGreaterThan(1);
  });

  it('the fitted parameters maximise the likelihood', () => {
    const data = summaries.filter((s) => s.x > 0).map((s) => ({ x: s.x, m: s.repeatSpend }));
    const best = fitGammaGamma(data).params;
    const ll = gammaGammaLogLikelihood(best, data);
    for (const k of ['p', 'q', 'v'] as const) {
      expect(gammaGammaLogLikelihood({ ...best, [k]: best[k] * 1.05 }, data)).toBeLessThan(ll);
      expect(gammaGammaLogLikelihood({ ...best, [k]: best[k] * 0.95 }, data)).toBeLessThan(ll);
    }
  });
});

describe('expected spend', () => {
  const p = { p: 6.25, q: 3.74, v: 15.44 };
  it('is a weighted mean of the population mean and the customer’s own mean', () => {
    const population = (p.p * p.v) / (p.q - 1);
    const e = expectedSpend(p, { x: 2, m: 40 });
    const w = (p.q - 1) / (p.p * 2 + p.q - 1);
    expect(e).toBeCloseTo(w * population + (1 - w) * 40, 10);
    expect(expectedSpend(p, { x: 0, m: 0 })).toBeCloseTo(population, 10);
  });
  it('trusts the customer’s own mean more as their purchases grow', () => {
    const few = expectedSpend(p, { x: 1, m: 100 });
    const many = expectedSpend(p, { x: 50, m: 100 });
    expect(many).toBeGreaterThan(few);
    expect(Math.abs(many - 100)).toBeLessThan(2);
  });
});

describe('Gamma-Gamma parameter recovery', () => {
  it('recovers p, q, v from simulated spends', () => {
    const truth = { p: 4, q: 5, v: 60 };
    const u = rng(7);
    const data = Array.from({ length: 15_000 }, () => {
      const nu = gamma(u, truth.q, truth.v);
      const x = 1 + Math.floor(u() * 6);
      let sum = 0;
      for (let i = 0; i < x; i++) sum += gamma(u, truth.p, nu);
      return { x, m: sum / x };
    });
    const fit = fitGammaGamma(data).params;
    for (const k of ['p', 'q', 'v'] as const) expect(Math.abs(fit[k] / truth[k] - 1)).toBeLessThan(0.1);
  });
});

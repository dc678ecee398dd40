import { describe, expect, it } from 'vitest';
import {
  bgnbdLogLikelihood, bgnbdLogLikelihoodGradient, expectedPurchases, expectedPurchasesNew, fitBgNbd, groupHistories, pAlive,
} from '../../collector/models/bgnbd.ts';
import { summarizeCustomer } from '../../collector/models/customer-summary.ts';
import { CDNOW_END, CDNOW_SAMPLE, loadCdnow, rng, simulateBgNbd } from './support.ts';

const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const cdnow = loadCdnow(CDNOW_SAMPLE).map((o) => summarizeCustomer(o, CDNOW_END, 'week')!);

describe('BG/NBD on the CDNOW sample (Fader, Hardie & Lee 2005)', () => {
  it('summarises 2,357 customers, 946 of them repeat buyers', () => {
    expect(cdnow.length).toBe(2357);
    expect(cdnow.filter((s) => s.x > 0).length).toBe(946);
  });

  it('reproduces the published estimates r=0.243, α=4.414, a=0.793, b=2.426 and LL −9582.4', () => {
    const fit = fitBgNbd(cdnow);
    expect(fit.params.r).toBeCloseTo(PUBLISHED.r, 3);
    expect(fit.params.alpha).toBeCloseTo(PUBLISHED.alpha, 2);
    expect(fit.params.a).toBeCloseTo(PUBLISHED.a, 3);
    expect(fit.params.b).toBeCloseTo(PUBLISHED.b, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.converged).toBe(true);
  });

  it('grouping identical histories does not change the likelihood', () => {
    const grouped = bgnbdLogLikelihood(PUBLISHED, groupHistories(cdnow));
    const oneByOne = cdnow.reduce((s, h) => s + bgnbdLogLikelihood(PUBLISHED, groupHistories([h])), 0);
    expect(grouped).toBeCloseTo(oneByOne, 6);
  });

  it('analytic gradient matches finite differences', () => {
    const g = groupHistories(cdnow);
    const { value, gradient } = bgnbdLogLikelihoodGradient(PUBLISHED, g);
    expect(value).toBeCloseTo(bgnbdLogLikelihood(PUBLISHED, g), 8);
    const keys = ['r', 'alpha', 'a', 'b'] as const;
    keys.forEach((k, i) => {
      const h = 1e-6 * PUBLISHED[k];
      const up = bgnbdLogLikelihood({ ...PUBLISHED, [k]: PUBLISHED[k] + h }, g);
      const down = bgnbdLogLikelihood({ ...PUBLISHED, [k]: PUBLISHED[k] - h }, g);
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 2);
    });
  });
});

describe('BG/NBD predictions', () => {
  // References: the closed forms evaluated with mpmath at 30 digits; 1.226 is the paper's own example.
  it.each([
    [2, 30.43, 38.86, 39, 1.22602817476714],
    [0, 0, 38.86, 39, 0.195098052011263],
    [26, 35.71, 38.86, 39, 15.1228465445144],
    [60, 38, 38.86, 200, 121.518781939769],
  ])('E[Y(t)] for x=%d, t_x=%d, T=%d, t=%d', (x, tx, T, t, want) => {
    expect(expectedPurchases(PUBLISHED, { x, tx, T }, t)).toBeCloseTo(want, 9);
  });

  it.each([
    [2, 30.43, 38.86, 0.726578570080673],
    [26, 35.71, 38.86, 0.8263601769204942],
    [5, 5, 38.86, 0.002717973701211311],
    [0, 0, 38.86, 1],
  ])('P(alive) for x=%d, t_x=%d, T=%d', (x, tx, T, want) => {
    expect(pAlive(PUBLISHED, { x, tx, T })).toBeCloseTo(want, 12);
  });

  it('E[X(t)] for a new customer', () => {
    expect(expectedPurchasesNew(PUBLISHED, 39)).toBeCloseTo(1.19672319332081, 10);
    expect(expectedPurchasesNew(PUBLISHED, 78)).toBeCloseTo(1.86051905794277, 10);
    expect(expectedPurchasesNew(PUBLISHED, 0)).toBe(0);
  });

  it('stays finite for extreme histories', () => {
    const heavy = { x: 500, tx: 300, T: 301 };
    expect(Number.isFinite(expectedPurchases(PUBLISHED, heavy, 52))).toBe(true);
    expect(pAlive(PUBLISHED, { x: 500, tx: 1, T: 5000 })).toBe(0);
    // a = 1 is a removable singularity of the closed form.
    const nearOne = expectedPurchases({ ...PUBLISHED, a: 1 }, { x: 2, tx: 30, T: 39 }, 39);
    const around = (expectedPurchases({ ...PUBLISHED, a: 0.999 }, { x: 2, tx: 30, T: 39 }, 39) + expectedPurchases({ ...PUBLISHED, a: 1.001 }, { x: 2, tx: 30, T: 39 }, 39)) / 2;
    expect(nearOne).toBeCloseTo(around, 4);
  });

  it('predicts the holdout purchases of the CDNOW sample in aggregate', () => {
    // Weeks 40–78 (1997-10-01 to 1998-06-30). Measured: 1,654 predicted vs 1,882 actual purchase days;
    // BG/NBD is known to under-forecast CDNOW's holdout a little. A sanity bound, not a precision claim.
    const orders = loadCdnow(CDNOW_SAMPLE);
    let actual = 0;
    let predicted = 0;
    for (const o of orders) {
      const s = summarizeCustomer(o, CDNOW_END, 'week')!;
      const later = new Set(o.filter((v) => v.ts > CDNOW_END + 86_400_000 - 1).map((v) => Math.floor(v.ts / 86_400_000)));
      actual += later.size;
      predicted += expectedPurchases(PUBLISHED, s, 39);
    }
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.15);
  });
});

describe('BG/NBD parameter recovery from simulated customers', () => {
  it.each([
    [{ r: 0.5, alpha: 6, a: 0.8, b: 2.5 }, 1],
    [{ r: 2, alpha: 10, a: 0.3, b: 4 }, 2],
  ])('recovers %o', (truth, seed) => {
    const u = rng(seed);
    const customers = simulateBgNbd(u, 20_000, truth, () => 30 + 40 * u());
    const fit = fitBgNbd(customers).params;
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit[k] / truth[k] - 1)).toBeLessThan(0.15);
  });
});

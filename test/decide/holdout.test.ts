import { describe, expect, it } from 'vitest';
import { bucket, hash32, inGlobalHoldout, inOfferHoldout } from '../../collector/decide/holdout.ts';

const N = 100_000;
const keys = Array.from({ length: N }, (_, i) => `cust-${i}`);

describe('hash32', () => {
  it('matches FNV-1a + fmix32 reference values', () => {
    // FNV-1a('') = 0x811c9dc5, then fmix32; FNV-1a('a') = 0xe40c292c, then fmix32 (hand-run).
    expect(hash32('')).toBe(fmix(0x811c9dc5));
    expect(hash32('a')).toBe(fmix(0xe40c292c));
  });
});

function fmix(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

describe('holdout assignment', () => {
  it('is sticky: the same key always lands in the same group', () => {
    for (const k of keys.slice(0, 1000)) {
      expect(inOfferHoldout('site', k, 'salt', 'offer-a', 0.2)).toBe(inOfferHoldout('site', k, 'salt', 'offer-a', 0.2));
    }
    expect(bucket('site', 'cust-1', 'salt', 'global')).toBe(bucket('site', 'cust-1', 'salt', 'global'));
  });

  it.each([0.01, 0.05, 0.1, 0.5])('global share %s is accurate over 100k keys', (share) => {
    const n = keys.filter((k) => inGlobalHoldout('site', k, 'idic', share)).length;
    // 4 binomial standard deviations.
    expect(Math.abs(n / N - share)).toBeLessThan(4 * Math.sqrt((share * (1 - share)) / N));
  });

  it('per-offer groups are independent between offers and of the global group', () => {
    const a = keys.map((k) => inOfferHoldout('site', k, 'idic', 'offer-a', 0.1));
    const b = keys.map((k) => inOfferHoldout('site', k, 'idic', 'offer-b', 0.1));
    const g = keys.map((k) => inGlobalHoldout('site', k, 'idic', 0.1));
    const both = (x: boolean[], y: boolean[]) => x.filter((v, i) => v && y[i]).length / N;
    // Independent groups of 10 % overlap on 1 %; a shared hash would overlap on 10 %.
    for (const overlap of [both(a, b), both(a, g), both(b, g)]) expect(Math.abs(overlap - 0.01)).toBeLessThan(0.002);
  });

  it('depends on site and salt, so a new salt reshuffles the groups', () => {
    const base = keys.slice(0, 10_000).map((k) => inGlobalHoldout('site', k, 'idic', 0.5));
    const otherSalt = keys.slice(0, 10_000).map((k) => inGlobalHoldout('site', k, 'idic-2', 0.5));
    const otherSite = keys.slice(0, 10_000).map((k) => inGlobalHoldout('site-2', k, 'idic', 0.5));
    const agree = (x: boolean[], y: boolean[]) => x.filter((v, i) => v === y[i]).length / x.length;
    expect(agree(base, otherSalt)).toBeLessThan(0.53);
    expect(agree(base, otherSite)).toBeLessThan(0.53);
  });

  it('share 0 holds out nobody; a larger share keeps the smaller share\'s members', () => {
    expect(keys.some((k) => inGlobalHoldout('site', k, 'idic', 0))).toBe(false);
    for (const k of keys.slice(0, 5000)) if (inGlobalHoldout('site', k, 'idic', 0.05)) expect(inGlobalHoldout('site', k, 'idic', 0.1)).toBe(true);
  });

  it('buckets are uniform: each tenth of [0,1) gets about 10 % of keys', () => {
    const counts = new Array(10).fill(0);
    for (const k of keys) counts[Math.floor(bucket('site', k, 'idic', 'global') * 10)]++;
    for (const c of counts) expect(Math.abs(c / N - 0.1)).toBeLessThan(0.004);
  });
});

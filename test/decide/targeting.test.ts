import { describe, expect, it } from 'vitest';
import { condition, type Condition } from '../../collector/offers/schema.ts';
import { explain, matchPage, matches, readsLoyaltyTier } from '../../collector/decide/targeting.ts';
import type { DecideContext } from '../../collector/protocol.ts';
import { profile } from './fixtures.ts';

const ctx: DecideContext = { path: '/coffee/arabica', product: { category: 'coffee', price: 200 }, cartValue: 450, locale: 'vi-VN', device: 'mobile' };
const p = profile();

// A spec table in the spirit of GrowthBook's cases.json: [name, condition, expected].
const cases: [string, Condition, boolean][] = [
  ['tier hit', { tier: ['MVC', 'MGC'] }, true],
  ['tier miss', { tier: ['BZ'] }, false],
  ['loyalty tier hit', { loyaltyTier: ['gold'] }, true],
  ['loyalty tier miss', { loyaltyTier: ['silver'] }, false],
  ['rfm inside ranges', { rfm: { r: { min: 4 }, m: { max: 3 } } }, true],
  ['rfm outside range', { rfm: { f: { min: 5 } } }, false],
  ['needs any of', { needs: ['gifting', 'price-sensitive'] }, true],
  ['needs none', { needs: ['gifting'] }, false],
  ['affinity above min', { affinity: { category: 'coffee', min: 0.8 } }, true],
  ['affinity below min', { affinity: { category: 'tea', min: 0.2 } }, false],
  ['affinity unknown category with min 0', { affinity: { category: 'toys', min: 0 } }, false],
  ['stage hit', { stage: ['buying'] }, true],
  ['stage miss', { stage: ['lapsing'] }, false],
  ['returning', { returning: true }, true],
  ['new visitor', { returning: false }, false],
  ['identified', { identified: true }, true],
  ['anonymous', { identified: false }, false],
  ['page exact', { page: ['/coffee/arabica'] }, true],
  ['page wildcard', { page: ['/coffee/*'] }, true],
  ['page wildcard middle', { page: ['/*/arabica'] }, true],
  ['page miss', { page: ['/tea/*'] }, false],
  ['page dot is literal', { page: ['/coffee.arabica'] }, false],
  ['product category hit', { productCategory: ['coffee'] }, true],
  ['product category miss', { productCategory: ['tea'] }, false],
  ['cart value in range', { cartValue: { min: 400, max: 500 } }, true],
  ['cart value below', { cartValue: { min: 500 } }, false],
  ['locale language matches region', { locale: ['vi'] }, true],
  ['locale miss', { locale: ['en'] }, false],
  ['device hit', { device: ['mobile', 'tablet'] }, true],
  ['device miss', { device: ['desktop'] }, false],
  ['all true', { all: [{ tier: ['MVC'] }, { device: ['mobile'] }] }, true],
  ['all one false', { all: [{ tier: ['MVC'] }, { device: ['desktop'] }] }, false],
  ['all empty', { all: [] }, true],
  ['any one true', { any: [{ tier: ['BZ'] }, { device: ['mobile'] }] }, true],
  ['any none', { any: [{ tier: ['BZ'] }, { device: ['desktop'] }] }, false],
  ['any empty', { any: [] }, false],
  ['not', { not: { tier: ['BZ'] } }, true],
  ['not not', { not: { not: { tier: ['BZ'] } } }, false],
  ['nested', { all: [{ any: [{ page: ['/tea/*'] }, { productCategory: ['coffee'] }] }, { not: { stage: ['lapsing'] } }] }, true],
];

describe('matches', () => {
  it.each(cases)('%s', (_name, c, expected) => {
    expect(condition.safeParse(c).success).toBe(true); // every case is a valid offer condition
    expect(matches(c, p, ctx)).toBe(expected);
  });

  it('matches everyone without a target', () => {
    expect(matches(undefined, p, {})).toBe(true);
  });

  it('does not match profile conditions on a profile without data', () => {
    const empty = profile({ tier: null, rfm: null, loyaltyTier: null, affinities: {} });
    for (const c of [{ tier: ['MVC'] }, { rfm: { r: { min: 1 } } }, { loyaltyTier: ['gold'] }, { affinity: { category: 'coffee', min: 0.1 } }] as Condition[]) {
      expect(matches(c, empty, ctx)).toBe(false);
    }
  });

  it('does not match context conditions when the context lacks them', () => {
    for (const c of [{ page: ['*'] }, { productCategory: ['coffee'] }, { cartValue: { min: 0 } }, { locale: ['vi'] }, { device: ['mobile'] }] as Condition[]) {
      expect(matches(c, p, {})).toBe(false);
    }
  });

  it('reads the page from the url when no path is given', () => {
    expect(matches({ page: ['/coffee/*'] }, p, { url: 'https://shop.vn/coffee/x?utm=1#top' })).toBe(true);
    expect(matches({ page: ['/'] }, p, { url: 'https://shop.vn' })).toBe(true);
  });

  it('fails closed on an unknown condition kind', () => {
    expect(matches({ weather: ['rain'] } as unknown as Condition, p, ctx)).toBe(false);
  });
});

describe('matchPage', () => {
  it.each([
    ['*', '/anything', true],
    ['/sale', '/sale/x', false],
    ['/sale*', '/sale/x', true],
    ['/p/(x)', '/p/(x)', true],
    ['/a+b', '/aab', false],
  ])('%s on %s → %s', (pattern, path, expected) => {
    expect(matchPage(pattern, path)).toBe(expected);
  });
});

describe('explain', () => {
  it('names what matched, only from the branch that decided', () => {
    const c: Condition = { all: [{ tier: ['MVC'] }, { any: [{ page: ['/tea/*'] }, { affinity: { category: 'coffee', min: 0.5 } }] }, { not: { device: ['desktop'] } }] };
    expect(explain(c, p, ctx)).toEqual({ ok: true, matched: ['MVC', 'coffee affinity 0.82'] });
  });

  it('names nothing when the condition fails', () => {
    expect(explain({ all: [{ tier: ['MVC'] }, { tier: ['BZ'] }] }, p, ctx)).toEqual({ ok: false, matched: [] });
  });

  it('knows which conditions read the loyalty tier, however deeply nested', () => {
    expect(readsLoyaltyTier({ loyaltyTier: ['gold'] })).toBe(true);
    expect(readsLoyaltyTier({ all: [{ tier: ['MVC'] }, { any: [{ device: ['mobile'] }, { not: { loyaltyTier: ['gold'] } }] }] })).toBe(true);
    expect(readsLoyaltyTier({ all: [{ tier: ['MVC'] }, { not: { needs: ['coffee-lover'] } }] })).toBe(false);
    expect(readsLoyaltyTier(undefined)).toBe(false);
  });
});

/**
 * Page patterns (`*` = any run of characters): the same answers as the anchored regular expression
 * they stand for, without its backtracking on a path the visitor chooses.
 */
import { describe, expect, it } from 'vitest';
import { matchPage } from '../../collector/decide/targeting.ts';
import { seededRandom } from '../bench/seed.ts';

const asRegExp = (pattern: string) => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

describe('page patterns', () => {
  it('match as the anchored wildcard expression does, on thousands of random patterns and paths', () => {
    const random = seededRandom(7);
    const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const pattern = pick('/ab*.', 1 + Math.floor(random() * 8));
      const path = pick('/ab.', Math.floor(random() * 10));
      const want = asRegExp(pattern).test(path);
      expect(matchPage(pattern, path), `${pattern} ~ ${path}`).toBe(want);
      if (want) matched++;
    }
    // Both answers occur often enough to mean something.
    expect(matched).toBeGreaterThan(1000);
    expect(matched).toBeLessThan(19_000);
  });

  it('answers at once for a pattern with many stars against a long hostile path (the expression took over a minute)', () => {
    // No timing threshold: the regular expression this replaces ran past the test's own timeout here.
    expect(matchPage('/*a*a*a*b', `/${'a'.repeat(1000)}`)).toBe(false);
    expect(matchPage('/*/*/*/checkout', `/${'a/'.repeat(499)}`)).toBe(false);
    expect(matchPage('/*/*/*/checkout', '/vi/shop/cart/checkout')).toBe(true);
  });

  it('keeps the literal cases: exact paths, prefixes, suffixes, no overlap of the two', () => {
    expect(matchPage('/cart', '/cart')).toBe(true);
    expect(matchPage('/cart', '/cart/')).toBe(false);
    expect(matchPage('/c/*', '/c/coffee')).toBe(true);
    expect(matchPage('*.html', '/p/x.html')).toBe(true);
    expect(matchPage('/ab*ba', '/aba')).toBe(false);
    expect(matchPage('*', '')).toBe(true);
  });
});

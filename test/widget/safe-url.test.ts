import { describe, expect, it } from 'vitest';
import { safeUrl } from '../../widget/safe-url.ts';
import { BAD_LINKS } from './corpus.ts';


describe('safeUrl', () => {
  it.each(BAD_LINKS.map((l) => [JSON.stringify(l), l]))('refuses %s', (_, link) => {
    expect(safeUrl(link)).toBeUndefined();
  });

  it.each([
    ['/sale', '/sale'],
    ['/p/1?x=1#y', '/p/1?x=1#y'],
    ['/%2F%2Fstill-a-path', '/%2F%2Fstill-a-path'],
    ['https://shop.example/p?q=1', 'https://shop.example/p?q=1'],
    ['HTTPS://Shop.Example/a', 'https://shop.example/a'],
  ])('keeps %s', (link, out) => {
    expect(safeUrl(link)).toBe(out);
  });

  it('refuses non-strings from a tampered payload', () => {
    for (const v of [undefined, null, 1, {}, ['/sale'], { toString: () => '/sale' }]) expect(safeUrl(v)).toBeUndefined();
  });
});

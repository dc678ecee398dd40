import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The demo's offers write amounts the way the shop and the widget format VND in that language. */
const offers = JSON.parse(readFileSync(new URL('../../demo/offers.json', import.meta.url), 'utf8')) as {
  id: string; content?: Record<string, Record<string, string>>;
}[];
const money = (lang: 'en' | 'vi') => (n: number) =>
  new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { style: 'currency', currency: 'VND' }).format(n).replace(/\u00a0/g, ' ');

describe('demo offers: VND amounts in the language of the text', () => {
  for (const lang of ['en', 'vi'] as const) {
    it(`${lang}: every amount is written as Intl formats it`, () => {
      for (const o of offers) {
        for (const text of Object.values(o.content?.[lang] ?? {})) {
          for (const m of String(text).matchAll(/₫?\d[\d.,]*\d(?: ?₫)?/g)) {
            if (!m[0].includes('₫')) continue;
            const n = Number(m[0].replace(/[^\d]/g, ''));
            expect(m[0].replace(/\u00a0/g, ' '), `${o.id} (${lang})`).toBe(money(lang)(n));
          }
        }
      }
    });
  }
});

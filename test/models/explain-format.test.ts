/** Numbers in explanations are formatted with Intl: readable ratios, grouped counts, no raw floats. */
import { describe, it, expect } from 'vitest';
import { explainValue, formatNumber, type ValueFigures } from '../../collector/models/explain.ts';

const base: ValueFigures = {
  orders: 1, ageDays: 0, daysSinceLastOrder: 3, pAlive: 0.97, expectedPurchases: 0.4, horizonDays: 365, expectedSpend: 320_000,
  margin: 0.3, clv: 0.5, topShare: 0.6, potential: 777_809.35, potentialGroup: '*', contribution: null, gaps: null,
  tier: { tier: 'MGC', rule: 'growth-gap' }, rfm: null, rfmScores: null, currency: 'VND', locale: 'en-US',
};

describe('explanation numbers', () => {
  it('formatNumber groups, rounds and goes compact for huge values', () => {
    expect(formatNumber(2.14)).toBe('2.1');
    expect(formatNumber(0.456, 2)).toBe('0.46');
    expect(formatNumber(1234.5, 0)).toBe('1,235');
    expect(formatNumber(9999.94)).toBe('9,999.9');
    expect(formatNumber(1555618.7)).toBe('1.6M');
    expect(formatNumber(12_400)).toBe('12.4K');
    expect(formatNumber(Number.NaN)).toBe('—');
  });

  it('a growth gap against a tiny CLV reads as a compact ratio, never a raw float', () => {
    const why = explainValue(base)[1];
    expect(why).toContain('1.6M× their CLV');
    expect(why).not.toMatch(/\d{5,}(\.\d+)?×/);
  });

  it('with no CLV to divide by, the amounts are shown side by side', () => {
    const why = explainValue({ ...base, clv: 0 })[1];
    expect(why).toContain('against their CLV of');
    expect(why).not.toContain('×');
  });

  it('large purchase counts are grouped', () => {
    expect(explainValue({ ...base, orders: 1234, tier: null })[0]).toMatch(/^1,234 purchases/);
  });

  it("speaks the shop's language: a Vietnamese shop reads its reasons in Vietnamese, numbers and money in its own separators", () => {
    const vi = { ...base, locale: 'vi-VN', orders: 5, ageDays: 270, daysSinceLastOrder: 4, pAlive: 0.934, expectedPurchases: 2.14, expectedSpend: 420_000, clv: 880_000, topShare: 0.07, tier: { tier: 'MVC', rule: 'top-clv' } } as ValueFigures;
    // Intl puts a no-break space before ₫.
    const [headline, why] = explainValue(vi).map((line) => line.replace(/\u00a0/g, ' '));
    expect(headline).toBe('5 lần mua trong 9 tháng, lần cuối 4 ngày trước, P(còn mua) 0,93, dự kiến 2,1 lần mua trong 365 ngày × 420.000 ₫ × biên lợi nhuận 30 % → CLV 880.000 ₫, nhóm 7 % cao nhất → MVC');
    expect(why).toBe('CLV 880.000 ₫ thuộc nhóm 7 % khách hàng cao nhất → MVC');
    expect(explainValue({ ...vi, locale: 'en-US' })[0]).toMatch(/^5 purchases in 9 months, last 4 days ago, P\(alive\) 0\.93, expected 2\.1 purchases in 365 days/);
    expect(explainValue({ ...vi, orders: 0 })).toEqual(['chưa mua lần nào → chưa xếp nhóm giá trị']);
    expect(formatNumber(2.14, 1, 'vi')).toBe('2,1');
  });
});

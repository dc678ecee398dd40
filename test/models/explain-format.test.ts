/** Numbers in explanations are formatted with Intl: readable ratios, grouped counts, no raw floats. */
import { describe, it, expect } from 'vitest';
import { explainValue, formatNumber, type ValueFigures } from '../../collector/models/explain.ts';

const base: ValueFigures = {
  orders: 1, ageDays: 0, daysSinceLastOrder: 3, pAlive: 0.97, expectedPurchases: 0.4, horizonDays: 365, expectedSpend: 320_000,
  margin: 0.3, clv: 0.5, topShare: 0.6, potential: 777_809.35, potentialGroup: '*', contribution: null, gaps: null,
  tier: { tier: 'MGC', rule: 'growth-gap' }, rfm: null, rfmScores: null, currency: 'VND', locale: 'vi-VN',
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
});

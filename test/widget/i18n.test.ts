import { describe, expect, it } from 'vitest';
import { fill, formatter } from '../../widget/i18n.ts';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatter', () => {
  it('formats VND the Vietnamese way by default', () => {
    const f = formatter('vi', '');
    expect(nbsp(f.money(120000))).toBe('120.000 ₫');
    expect(nbsp(f.points(1250))).toBe('1.250 điểm');
    expect(f.t.close).toBe('Đóng');
  });

  it('uses English strings and grouping for other locales', () => {
    const f = formatter('en-GB', 'VND');
    expect(nbsp(f.money(120000))).toBe('₫120,000');
    expect(f.points(1250)).toBe('1,250 points');
    expect(f.t.close).toBe('Close');
    expect(formatter('fr', 'EUR').t.close).toBe('Close');
  });

  it('honours a per-call currency', () => {
    expect(nbsp(formatter('vi-VN', 'VND').money(12.5, 'USD'))).toBe('12,50 US$');
  });

  it('survives malformed locales and currencies instead of blanking the offer', () => {
    expect(formatter('vi_VN', 'VND').t.points).toBe('điểm');
    expect(nbsp(formatter('vi_VN', 'VND').money(5000))).toBe('5.000 ₫');
    expect(formatter('en', 'NOT-A-CODE').money(5000)).toBe('5,000 NOT-A-CODE');
  });

  it('formats dates in the locale', () => {
    expect(formatter('en', 'VND').date(Date.UTC(2025, 11, 31, 12))).toBe('Dec 31, 2025');
  });
});

describe('fill', () => {
  it('puts arguments in their places', () => {
    expect(fill('{1} then {0}', 'a', 'b')).toBe('b then a');
  });
});

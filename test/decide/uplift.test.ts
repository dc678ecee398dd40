import { describe, expect, it } from 'vitest';
import type { DecisionResult } from '../../collector/decide/attribution.ts';
import { upliftReport } from '../../collector/decide/uplift.ts';

let n = 0;
const result = (profileId: string, holdout: boolean, revenue: number, over: Partial<DecisionResult> = {}): DecisionResult => ({
  decisionId: `d${n++}`, profileId, offerId: 'a', tier: 'MVC', holdout, at: n,
  impressions: holdout ? 0 : 1, clicks: 0, dismissed: false, converted: revenue > 0, orders: revenue > 0 ? [`o${n}`] : [], revenue, ...over,
});

describe('upliftReport', () => {
  it('compares treated and holdout customers with hand-computed figures', () => {
    // Treated: 4 customers, revenues 1,2,3,4 (all convert); holdout: 5 customers, 2,4,6,8,10.
    const rs = [
      ...[1, 2, 3, 4].map((v, i) => result(`t${i}`, false, v)),
      ...[2, 4, 6, 8, 10].map((v, i) => result(`h${i}`, true, v)),
    ];
    const [mvc, all] = upliftReport(rs);
    expect(mvc).toMatchObject({ offerId: 'a', tier: 'MVC' });
    expect(all!.tier).toBe('all');
    expect(mvc!.treated).toEqual({ customers: 4, converters: 4, conversionRate: 1, revenue: 10, revenuePerCustomer: 2.5 });
    expect(mvc!.holdout.revenuePerCustomer).toBe(6);
    expect(mvc!.revenuePerCustomer.diff).toBeCloseTo(-3.5, 10);
    expect(mvc!.revenuePerCustomer.low!).toBeCloseTo(-7.385, 2);
    expect(mvc!.revenuePerCustomer.relative!).toBeCloseTo(2.5 / 6 - 1, 10);
  });

  it('counts customers, not decisions, and matches Newcombe on the rates', () => {
    const rs: DecisionResult[] = [];
    // 70 treated customers, 56 convert; each has a second, empty decision. 80 holdout, 48 convert.
    for (let i = 0; i < 70; i++) rs.push(result(`t${i}`, false, i < 56 ? 10 : 0), result(`t${i}`, false, 0));
    for (let i = 0; i < 80; i++) rs.push(result(`h${i}`, true, i < 48 ? 10 : 0));
    const row = upliftReport(rs).find((r) => r.tier === 'MVC')!;
    expect(row.treated.customers).toBe(70);
    expect(row.conversion.diff).toBeCloseTo(0.2, 10);
    expect(row.conversion.low).toBeCloseTo(0.0524, 4);
    expect(row.conversion.high).toBeCloseTo(0.3339, 4);
    expect(row.conversion.relative!).toBeCloseTo(0.8 / 0.6 - 1, 10);
  });

  it('splits rows by tier and by offer, and drops customers found in both groups', () => {
    const rs = [
      result('x', false, 5), result('y', true, 0), result('z', false, 0, { tier: 'LMC' }), result('z2', true, 3, { tier: 'LMC' }),
      result('both', false, 100), result('both', true, 100),
      result('w', false, 1, { offerId: 'b' }),
    ];
    const rows = upliftReport(rs);
    expect(rows.map((r) => `${r.offerId}:${r.tier}`)).toEqual(['a:LMC', 'a:MVC', 'a:all', 'b:MVC', 'b:all']);
    const all = rows.find((r) => r.offerId === 'a' && r.tier === 'all')!;
    expect(all.treated.customers + all.holdout.customers).toBe(4);
    expect(rows.find((r) => r.offerId === 'b')!.holdout.customers).toBe(0);
    expect(rows.find((r) => r.offerId === 'b')!.conversion.relative).toBeNull();
  });
});

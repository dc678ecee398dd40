/** Review of the programme's semantics at its edges: month-end grace, refunds after expiry. */
import { describe, it, expect } from 'vitest';
import { addMonths, replay, type LedgerEntry } from '../../collector/loyalty/ledger.ts';
import { pendingEntries } from '../../collector/loyalty/settle.ts';
import { tierAt } from '../../collector/loyalty/tiers.ts';
import { loyaltySettings } from '../../collector/loyalty/settings.ts';

let n = 0;
const e = (kind: LedgerEntry['kind'], points: number, at: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id: `e${String(++n).padStart(4, '0')}`, kind, points, spend: 0, reason: kind, ref: `${kind}:${n}`, at, expiresAt: null, ...extra,
});

describe('tier grace at month ends', () => {
  const rules = loyaltySettings.parse({}).tiers; // Gold from 10M, 12-month window, 3-month grace
  // Gold on 28 Feb 2026 12:00; the order leaves the window on 28 Feb 2027 12:00: Gold is kept until 28 May 2027 12:00.
  const big = e('earn', 1200, Date.UTC(2026, 1, 28, 12), { ref: 'order:big', spend: 12_000_000 });

  it('keeps the tier until the grace ends and never gives it back afterwards', () => {
    expect(tierAt([big], rules, Date.UTC(2027, 4, 28, 11)).level.name).toBe('Gold');
    expect(tierAt([big], rules, Date.UTC(2027, 4, 28, 11)).holdUntil).toBe(Date.UTC(2027, 4, 28, 12));
    // 29–31 May read "3 months back" as 28 Feb (clamped) and found Gold there again.
    for (const at of [Date.UTC(2027, 4, 28, 13), Date.UTC(2027, 4, 29), Date.UTC(2027, 4, 30, 6), Date.UTC(2027, 4, 31, 11)]) {
      const t = tierAt([big], rules, at);
      expect([new Date(at).toISOString(), t.level.name, t.holdUntil]).toEqual([new Date(at).toISOString(), 'Member', null]);
    }
  });

  it('ends the grace of a tier lost on the 30th at the clamped date (30 Nov + 3 months = 28 Feb)', () => {
    // Gold drops on 30 Nov 2026 12:00 → kept until 28 Feb 2027 12:00 (Nov 30 + 3 months, clamped).
    const o = e('earn', 1200, Date.UTC(2025, 10, 30, 12), { ref: 'order:nov', spend: 12_000_000 });
    expect(tierAt([o], rules, Date.UTC(2027, 1, 28, 11)).level.name).toBe('Gold');
    expect(tierAt([o], rules, Date.UTC(2027, 1, 28, 13)).level.name).toBe('Member');
  });
});

describe('a refund after the order’s points expired', () => {
  const s = loyaltySettings.parse({ expiryMonths: 1 });
  const T0 = Date.UTC(2026, 0, 31, 10); // points lapse 28 Feb 2026 10:00
  const earn = () => e('earn', 100, T0, { ref: 'order:A', spend: 1_000_000, expiresAt: addMonths(T0, 1) });
  const reverse = (at: number) => e('reverse', -100, at, { ref: 'order:A', spend: -1_000_000 });

  it('does not take the expired points a second time (no debt for points the customer never used)', () => {
    const a = earn();
    const later = Date.UTC(2026, 2, 10);
    const rev = reverse(Date.UTC(2026, 2, 5));
    // Expiry not written yet …
    const r = replay([a, rev], later);
    expect([r.balance, r.debt]).toEqual([0, 0]);
    // … and once settle has written it.
    const written = pendingEntries([a], { userId: null }, s, 420, Date.UTC(2026, 2, 1), () => 'x1');
    expect(written.map((w) => [w.kind, w.points])).toEqual([['expire', -100]]);
    const r2 = replay([a, ...written, rev], later);
    expect([r2.balance, r2.debt]).toEqual([0, 0]);
    // A later order is the customer's in full.
    const next = e('earn', 30, Date.UTC(2026, 2, 8), { ref: 'order:B', expiresAt: Date.UTC(2026, 3, 8) });
    expect(replay([a, ...written, rev, next], later).balance).toBe(30);
  });

  it('still owes the part that was spent before the rest expired (the documented debt)', () => {
    const a = earn();
    const spent = e('redeem', -60, T0 + 86_400_000, { ref: 'code:X' });
    const rev = reverse(Date.UTC(2026, 2, 5));
    const r = replay([a, spent, rev], Date.UTC(2026, 2, 10));
    expect([r.balance, r.debt]).toEqual([-60, 60]);
  });

  it('takes back the full points of a refund before the expiry, as before', () => {
    const a = earn();
    const r = replay([a, reverse(Date.UTC(2026, 1, 10))], Date.UTC(2026, 2, 10));
    expect([r.balance, r.debt, r.due]).toEqual([0, 0, []]);
  });
});

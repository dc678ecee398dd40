import { describe, it, expect } from 'vitest';
import { addMonths, nextExpiry, replay, type LedgerEntry } from '../../collector/loyalty/ledger.ts';
import { pendingEntries } from '../../collector/loyalty/settle.ts';
import { loyaltySettings } from '../../collector/loyalty/settings.ts';

const T0 = Date.UTC(2026, 0, 15);
const DAY = 86_400_000;
let n = 0;
const e = (kind: LedgerEntry['kind'], points: number, at: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id: `e${String(++n).padStart(4, '0')}`, kind, points, spend: 0, reason: kind, ref: `${kind}:${n}`, at, expiresAt: null, ...extra,
});

describe('addMonths', () => {
  it('keeps the day and clamps to the end of shorter months', () => {
    expect(new Date(addMonths(Date.UTC(2026, 0, 31), 1)).toISOString().slice(0, 10)).toBe('2026-02-28');
    expect(new Date(addMonths(Date.UTC(2028, 0, 31), 1)).toISOString().slice(0, 10)).toBe('2028-02-29');
    expect(new Date(addMonths(Date.UTC(2026, 4, 10), -12)).toISOString().slice(0, 10)).toBe('2025-05-10');
  });
});

describe('replay', () => {
  it('derives the balance as the sum of earns and debits', () => {
    const r = replay([e('earn', 100, T0), e('redeem', -30, T0 + DAY), e('adjust', 5, T0 + 2 * DAY)], T0 + 3 * DAY);
    expect(r.balance).toBe(75);
    expect(r.stored).toBe(75);
    expect(r.due).toEqual([]);
  });

  it('expires what is left of a lot at its date, spending the earliest-expiring lot first', () => {
    const a = e('earn', 100, T0, { expiresAt: T0 + 30 * DAY });
    const b = e('earn', 50, T0 + DAY, { expiresAt: T0 + 60 * DAY });
    const spend = e('redeem', -70, T0 + 10 * DAY);
    const before = replay([a, b, spend], T0 + 29 * DAY);
    expect(before.balance).toBe(80);
    expect(nextExpiry(before, T0 + 29 * DAY, 30 * DAY)).toEqual({ points: 30, at: T0 + 30 * DAY });
    const after = replay([a, b, spend], T0 + 31 * DAY);
    expect(after.due).toEqual([{ lotId: a.id, points: 30, at: T0 + 30 * DAY }]);
    expect(after.balance).toBe(50);
    expect(after.stored).toBe(80);
  });

  it('counts a written expire entry once, not again as due', () => {
    const a = e('earn', 100, T0, { expiresAt: T0 + 30 * DAY });
    const x = e('expire', -100, T0 + 30 * DAY, { ref: `lot:${a.id}` });
    const r = replay([a, x], T0 + 40 * DAY);
    expect(r.due).toEqual([]);
    expect(r.balance).toBe(0);
  });

  it('cannot spend points after they expired', () => {
    const a = e('earn', 100, T0, { expiresAt: T0 + 30 * DAY });
    const late = e('redeem', -60, T0 + 31 * DAY);
    const r = replay([a, late], T0 + 32 * DAY);
    // The lot lapsed before the debit: the debit becomes debt and the balance goes negative.
    expect(r.due[0].points).toBe(100);
    expect(r.debt).toBe(60);
    expect(r.balance).toBe(-60);
  });

  it('takes a reversal from its own order first, and later earnings pay a debt first', () => {
    const o1 = e('earn', 40, T0, { ref: 'order:1', expiresAt: T0 + 300 * DAY });
    const o2 = e('earn', 60, T0 + DAY, { ref: 'order:2', expiresAt: T0 + 100 * DAY });
    const rev = e('reverse', -40, T0 + 2 * DAY, { ref: 'order:1' });
    const r = replay([o1, o2, rev], T0 + 3 * DAY);
    expect(r.lots.map((l) => [l.id, l.remaining])).toEqual([[o2.id, 60]]);
    const spent = replay([o1, e('redeem', -40, T0 + DAY), e('reverse', -40, T0 + 2 * DAY, { ref: 'order:1' }), e('earn', 25, T0 + 3 * DAY)], T0 + 4 * DAY);
    expect(spent.debt).toBe(15);
    expect(spent.balance).toBe(-15);
    expect(spent.lots).toEqual([]);
  });
});

describe('pendingEntries', () => {
  const s = loyaltySettings.parse({ signupBonus: 50, birthdayBonus: 100, expiryMonths: 12 });
  let id = 0;
  const newId = () => `p${++id}`;

  it('gives the sign-up bonus once, the birthday bonus in the birthday month once a year, and writes due expiries', () => {
    const now = Date.UTC(2026, 10, 20);
    const first = pendingEntries([], { userId: 'lan', birthday: '1990-11-02' }, s, 420, now, newId);
    expect(first.map((x) => [x.ref, x.points])).toEqual([['signup:lan', 50], ['birthday:lan:2026', 100]]);
    expect(first[0].expiresAt).toBe(Date.UTC(2027, 10, 20));
    expect(pendingEntries(first, { userId: 'lan', birthday: '1990-11-02' }, s, 420, now + DAY, newId)).toEqual([]);
    expect(pendingEntries(first, { userId: 'lan', birthday: '1990-12-02' }, s, 420, now, newId)).toEqual([]);
    const yearLater = Date.UTC(2027, 10, 25);
    const later = pendingEntries(first, { userId: 'lan', birthday: '1990-11-02' }, s, 420, yearLater, newId);
    expect(later.map((x) => [x.kind, x.ref, x.points])).toEqual([
      ['earn', 'birthday:lan:2027', 100], ['expire', `lot:${first[0].id}`, -50], ['expire', `lot:${first[1].id}`, -100],
    ]);
  });

  it('gives anonymous profiles no bonuses', () => {
    expect(pendingEntries([], { userId: null, birthday: '11-20' }, s, 420, Date.UTC(2026, 10, 20), newId)).toEqual([]);
  });
});

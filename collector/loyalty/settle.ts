/**
 * What the ledger owes a customer at `now` and has not written yet: the sign-up bonus, this
 * year's birthday bonus, and expiries that have come due. Pure; the caller appends the entries
 * (the ledger's unique (ref, kind) keeps each one to exactly once even if two callers race).
 */
import { addMonths, replay, type LedgerEntry } from './ledger.ts';
import { birthdayYear } from './rules.ts';
import type { LoyaltySettings } from './settings.ts';

export interface Member { userId: string | null; birthday?: unknown }

/** When a point earned at `at` lapses under the shop's rules. */
export function expiryFor(s: LoyaltySettings, at: number): number | null {
  return s.expiryMonths > 0 ? addMonths(at, s.expiryMonths) : null;
}

/**
 * Entries due now, in the order they should be appended.
 * @example pendingEntries([], { userId: 'lan' }, settings, 420, now, ulid) // [sign-up bonus]
 */
export function pendingEntries(
  entries: readonly LedgerEntry[], m: Member, s: LoyaltySettings, utcOffsetMinutes: number, now: number, newId: () => string,
): LedgerEntry[] {
  const have = new Set(entries.map((e) => `${e.kind}|${e.ref}`));
  const out: LedgerEntry[] = [];
  const bonus = (ref: string, points: number, reason: string) => {
    if (points > 0 && !have.has(`earn|${ref}`)) out.push({ id: newId(), kind: 'earn', points, spend: 0, reason, ref, at: now, expiresAt: expiryFor(s, now) });
  };
  if (m.userId !== null) {
    bonus(`signup:${m.userId}`, s.signupBonus, 'sign-up bonus');
    const year = birthdayYear(m.birthday, now, utcOffsetMinutes);
    if (year !== null) bonus(`birthday:${m.userId}:${year}`, s.birthdayBonus, `birthday bonus ${year}`);
  }
  for (const d of replay(entries, now).due) {
    out.push({ id: newId(), kind: 'expire', points: -d.points, spend: 0, reason: 'points expired', ref: `lot:${d.lotId}`, at: d.at, expiresAt: null });
  }
  return out;
}

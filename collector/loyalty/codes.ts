/**
 * Reward codes: how one is spelled (from random bytes given by the caller) and what it takes
 * off an order. Pure.
 */
import type { Reward } from './settings.ts';

// Crockford base32: no I, L, O, U, so a code read aloud or typed from a screenshot survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A code like `PL-7K3M-Q9XD-2HFA` from 12 random bytes (60 bits used: unguessable at checkout).
 * @example rewardCode(randomBytes(12)) // 'PL-…'
 */
export function rewardCode(bytes: Uint8Array, prefix = 'PL'): string {
  if (bytes.length < 12) throw new Error('rewardCode needs 12 random bytes');
  let s = '';
  for (let i = 0; i < 12; i++) s += ALPHABET[bytes[i] & 31];
  return `${prefix}-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/** Codes are compared as typed by customers: case and spaces do not matter. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, '');
}

/**
 * The amount a code takes off an order of `orderTotal` (never more than the order), or why not.
 * @example discountFor({ type: 'amount', value: 30000 }, 150000, 200000) // { ok: true, amount: 30000 }
 */
export function discountFor(d: Reward['discount'], minOrder: number, orderTotal: number | undefined): { ok: true; amount: number } | { ok: false; reason: string } {
  if (orderTotal === undefined) return { ok: true, amount: d.type === 'amount' ? d.value : 0 };
  if (orderTotal < minOrder) return { ok: false, reason: `order total below the minimum of ${minOrder}` };
  const amount = d.type === 'amount' ? Math.min(d.value, orderTotal) : Math.round((orderTotal * d.value) / 100);
  return { ok: true, amount };
}

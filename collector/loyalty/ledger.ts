/**
 * The points ledger: append-only entries, and the balance derived from them — never stored on
 * its own. Expiry works on lots: each positive entry is a lot that debits consume earliest-
 * expiring first; what is left of a lot when it expires is due as an `expire` entry. Pure: time
 * comes in as `now`.
 */

export type EntryKind = 'earn' | 'redeem' | 'expire' | 'adjust' | 'reverse';

export interface LedgerEntry {
  id: string;
  kind: EntryKind;
  /** Signed: earn and positive adjust add, redeem / expire / reverse / negative adjust take away. */
  points: number;
  /** Signed order value behind the entry (earn: +amount, reverse: −amount), for spend-based tiers. */
  spend: number;
  reason: string;
  /** What the entry is about: 'order:<id>', 'code:<code>', 'lot:<entry id>', 'signup:<user>', … */
  ref: string;
  at: number;
  /** When a positive entry's points lapse; null = never. */
  expiresAt: number | null;
}

export interface Lot { id: string; ref: string; remaining: number; expiresAt: number | null }

export interface Replay {
  /** Sum of all entries as stored. */
  stored: number;
  /**
   * What the customer can spend now: stored minus expiries that are due but not yet written, plus
   * what refunds took back of points that had already expired (taken once by the expiry: a refund
   * owes only the points that were spent, not those that lapsed).
   */
  balance: number;
  /** Open lots (remaining > 0), earliest expiry first. */
  lots: Lot[];
  /** Expiries due at `now` and not yet in the ledger, one per lot. */
  due: { lotId: string; points: number; at: number }[];
  /** Points owed (a refund after the points were spent); later earnings pay it first. */
  debt: number;
}

/** Add calendar months in UTC (Jan 31 + 1 month = Feb 28/29), as loyalty terms read. */
export function addMonths(ts: number, months: number): number {
  const d = new Date(ts);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

const order = (a: LedgerEntry, b: LedgerEntry) => a.at - b.at || (a.kind === 'expire' ? -1 : 0) - (b.kind === 'expire' ? -1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byExpiry = (a: Lot, b: Lot) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity);

/**
 * Replay the ledger up to `now`: which lots are open, what is due to expire, the balance.
 * @example replay([{ kind: 'earn', points: 10, expiresAt: t1, … }], t2).balance // 0 if t2 >= t1
 */
export function replay(entries: readonly LedgerEntry[], now: number): Replay {
  const sorted = [...entries].sort(order);
  const lots: Lot[] = [];
  const expired = new Set(sorted.filter((e) => e.kind === 'expire').map((e) => e.ref.slice(4)));
  const due: Replay['due'] = [];
  let debt = 0;
  let stored = 0;
  /** Points each lot lost to expiry (due or written), that a refund of its order must not take again. */
  const lapsedOf = new Map<string, number>();
  let forgiven = 0;

  // Lots past their date with points left expire at that date (unless an entry already did it).
  // Lots that can expire wait in expiry order behind a cursor, so each is looked at once when its
  // date passes — not every lot at every entry, which made a long history cost n² per replay.
  // A lot's points only ever go down, so one look at its date is enough.
  const dated: { lot: Lot; n: number }[] = [];
  let cursor = 0;
  const enqueue = (lot: Lot, n: number) => {
    let lo = cursor;
    let hi = dated.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dated[mid].lot.expiresAt! <= lot.expiresAt!) lo = mid + 1;
      else hi = mid;
    }
    dated.splice(lo, 0, { lot, n });
  };
  const lapse = (until: number) => {
    const now: { lot: Lot; n: number }[] = [];
    while (cursor < dated.length && dated[cursor].lot.expiresAt! <= until) {
      const d = dated[cursor++];
      if (d.lot.remaining > 0 && !expired.has(d.lot.id)) now.push(d);
    }
    // In the order the lots were earned, as the ledger lists them.
    now.sort((a, b) => a.n - b.n);
    for (const { lot } of now) {
      due.push({ lotId: lot.id, points: lot.remaining, at: lot.expiresAt! });
      lapsedOf.set(lot.id, (lapsedOf.get(lot.id) ?? 0) + lot.remaining);
      lot.remaining = 0;
    }
  };
  const byId = new Map<string, Lot>();
  const byRef = new Map<string, Lot>();
  const take = (points: number, first?: (l: Lot) => boolean) => {
    let left = points;
    const open = lots.filter((l) => l.remaining > 0).sort(byExpiry);
    const ordered = first ? [...open.filter(first), ...open.filter((l) => !first(l))] : open;
    for (const l of ordered) {
      if (left <= 0) break;
      const n = Math.min(l.remaining, left);
      l.remaining -= n;
      left -= n;
    }
    debt += left;
  };

  for (const e of sorted) {
    if (e.at > now) continue;
    lapse(e.at - (e.kind === 'expire' ? 1 : 0));
    stored += e.points;
    if (e.kind === 'expire') {
      const lot = byId.get(e.ref.slice(4));
      if (lot) {
        lot.remaining = Math.max(0, lot.remaining + e.points);
        lapsedOf.set(lot.id, (lapsedOf.get(lot.id) ?? 0) - e.points);
      }
    } else if (e.points > 0) {
      const paid = Math.min(debt, e.points);
      debt -= paid;
      const lot: Lot = { id: e.id, ref: e.ref, remaining: e.points - paid, expiresAt: e.expiresAt };
      lots.push(lot);
      byId.set(lot.id, lot);
      byRef.set(lot.ref, lot);
      if (lot.expiresAt !== null) enqueue(lot, lots.length);
    } else if (e.points < 0) {
      // A refund after its order's points lapsed: the lapsed part already left the balance.
      const own = e.kind === 'reverse' ? byRef.get(e.ref) : undefined;
      const already = own ? Math.min(-e.points, lapsedOf.get(own.id) ?? 0) : 0;
      if (own && already > 0) lapsedOf.set(own.id, lapsedOf.get(own.id)! - already);
      forgiven += already;
      take(-e.points - already, e.kind === 'reverse' ? (l) => l.ref === e.ref : undefined);
    }
  }
  lapse(now);
  const pending = due.reduce((s, d) => s + d.points, 0);
  return { stored, balance: stored - pending + forgiven, lots: lots.filter((l) => l.remaining > 0).sort(byExpiry), due, debt };
}

/** The points that lapse next within `withinMs` of `now` (the earliest date, all lots on it). */
export function nextExpiry(r: Replay, now: number, withinMs: number): { points: number; at: number } | null {
  const soon = r.lots.filter((l) => l.expiresAt !== null && l.expiresAt > now && l.expiresAt <= now + withinMs);
  if (!soon.length) return null;
  const at = Math.min(...soon.map((l) => l.expiresAt!));
  return { at, points: soon.filter((l) => l.expiresAt === at).reduce((s, l) => s + l.remaining, 0) };
}

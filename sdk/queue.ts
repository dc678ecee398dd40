/**
 * The persistent event queue shared by every tab of the site: one IndexedDB record changed only
 * through atomic updates. A tab that sends a batch first leases it (writes a lease expiry on its
 * items), so other tabs skip those items; an item leaves the queue only when the collector
 * acknowledged it. The record maths are pure functions of (record, now), tested exactly.
 */
import type { MessageInput } from '../collector/protocol.ts';
import type { QueueBounds } from './types.ts';
import type { Kv } from './kv.ts';

/** One queued event: the message, when it was queued, and until when a sender holds it. */
export interface Item {
  m: MessageInput & { messageId: string };
  t: number;
  l: number;
}

/** The whole queue: items oldest first, and how many were dropped over its life. */
export interface QueueRecord {
  q: Item[];
  d: number;
}

export const DEFAULT_BOUNDS: QueueBounds = { maxEvents: 2000, maxAge: 7 * 864e5 };

const empty = (): QueueRecord => ({ q: [], d: 0 });

/** Add items, then drop what is too old and, beyond `maxEvents`, the oldest; count the drops. */
export function appendItems(rec: QueueRecord = empty(), items: Item[], now: number, bounds: QueueBounds): QueueRecord {
  let q = rec.q.concat(items).filter((i) => i.t > now - bounds.maxAge);
  if (q.length > bounds.maxEvents) q = q.slice(q.length - bounds.maxEvents);
  return { q, d: rec.d + rec.q.length + items.length - q.length };
}

/**
 * Lease up to `max` free items (lease expired), oldest first, staying under `maxBytes` of JSON
 * (a keepalive request carries at most 64 KB), until `leaseUntil`. Returns the leased items.
 */
export function leaseItems(rec: QueueRecord, now: number, max: number, maxBytes: number, leaseUntil: number): Item[] {
  const out: Item[] = [];
  let bytes = 0;
  for (const i of rec.q) {
    if (out.length >= max) break;
    if (i.l > now) continue;
    bytes += JSON.stringify(i.m).length;
    if (bytes > maxBytes && out.length) break;
    i.l = leaseUntil;
    out.push(i);
  }
  return out;
}

/** The queue operations over storage; each is one atomic update of the shared record. */
export function createQueue(kv: Kv, bounds: QueueBounds) {
  const change = (fn: (r: QueueRecord) => void) =>
    kv.update<QueueRecord>('q', (r = empty()) => (fn(r), r));
  const ids = (items: Item[]) => new Set(items.map((i) => i.m.messageId));
  return {
    append: (items: Item[], now: number) => kv.update<QueueRecord>('q', (r) => appendItems(r, items, now, bounds)),
    lease(now: number, max: number, maxBytes: number, until: number) {
      let got: Item[] = [];
      // Trim first, so events past their age are never sent, even from a queue nobody added to.
      return kv
        .update<QueueRecord>('q', (r) => {
          const kept = appendItems(r, [], now, bounds);
          got = leaseItems(kept, now, max, maxBytes, until);
          return kept;
        })
        .then((r) => [got, r] as const);
    },
    /** Remove acknowledged items; `dropped` more are counted as refused by the collector. */
    ack(items: Item[], dropped = 0) {
      const gone = ids(items);
      return change((r) => ((r.q = r.q.filter((i) => !gone.has(i.m.messageId))), (r.d += dropped)));
    },
    /** Hand items back, free again at `until` (a retry time, or 0 for at once). */
    release(items: Item[], until: number) {
      const back = ids(items);
      return change((r) => r.q.forEach((i) => back.has(i.m.messageId) && (i.l = until)));
    },
    read: () => kv.get<QueueRecord>('q').then((r) => r || empty()),
    clear: () => kv.del('q'),
  };
}

export type Queue = ReturnType<typeof createQueue>;

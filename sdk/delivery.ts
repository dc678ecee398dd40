/**
 * Event delivery: events wait in memory only until the next microtask, are then written to the
 * shared IndexedDB queue, and leave it only when the collector acknowledged them. Sends are
 * batched by count (`flushAt`) and time (`flushInterval`), retried with backoff and jitter, and
 * pushed out with keepalive when the page is hidden or unloads.
 */
import { backoff, DEFAULT_RETRY } from './backoff.ts';
import { createQueue, DEFAULT_BOUNDS, type Item } from './queue.ts';
import { post, KEEPALIVE_BYTES, type Reply } from './transport.ts';
import type { Kv } from './kv.ts';
import type { DebugStats, InitOptions } from './types.ts';

/** Settings come straight from InitOptions (defaults applied here); the rest is wiring. */
export interface DeliveryOptions extends Pick<InitOptions, 'writeKey' | 'flushAt' | 'flushInterval' | 'leaseMs' | 'retry' | 'queue'> {
  kv: Kv;
  /** `${host}/v1/batch` */
  url: string;
  stats: DebugStats;
  /** Analytics consent granted: events may be stored and sent. */
  allowed(): boolean;
  now(): number;
  rng(): number;
  /** Resolves once the stored identity is known; nothing is written to the queue before. */
  ready(): Promise<unknown>;
  /** Fill in identity on events recorded before `ready`. */
  stamp(m: Item['m']): void;
}

export function createDelivery(o: DeliveryOptions) {
  const bounds = { ...DEFAULT_BOUNDS, ...o.queue };
  const retry = { ...DEFAULT_RETRY, ...o.retry };
  const flushAt = o.flushAt || 20;
  const leaseMs = o.leaseMs || 1e4;
  const queue = createQueue(o.kv, bounds);
  const { stats, now } = o;
  let pending: Item[] = [];
  // Events on their way into IndexedDB: an unloading page may die before that write commits.
  let writing: Item[] = [];
  let tail: Promise<unknown> = Promise.resolve();
  let next: Promise<unknown> | undefined;
  let timer: any;
  let due = 0;
  let attempt = 0;
  let waiting = 0;
  // 0 idle, 1 sending, 2 sending and asked again meanwhile (the running send then goes round again).
  let busy = 0;
  let stopped = false;
  let started = false;
  // Events dropped from memory before consent allowed storing them.
  let lost = 0;

  const count = (r: { q: Item[]; d: number }) => ((stats.queued = r.q.length), (stats.dropped = r.d + lost));

  /** Write waiting events to the queue; one transaction for all events added in the same tick. */
  const persist = () =>
    (next ||= tail = tail.then(async () => {
      next = undefined;
      await o.ready();
      if (!o.allowed() || !pending.length) return;
      const items = (writing = pending.splice(0));
      items.forEach((i) => o.stamp(i.m));
      count(await queue.append(items, now()));
      writing = [];
    }));

  const send = (items: Item[], t: number, unloading?: boolean) =>
    post(o.url, { batch: items.map((i) => i.m), sentAt: new Date(t).toISOString(), writeKey: o.writeKey }, unloading);

  const schedule = (ms: number) => {
    if (timer && due <= now() + ms) return;
    clearTimeout(timer);
    due = now() + ms;
    timer = setTimeout(() => ((timer = 0), pump()), ms);
  };

  /** Apply the collector's answer to a leased batch. Returns false when it must be retried. */
  async function settle(items: Item[], reply: Reply): Promise<boolean> {
    const s = reply.status;
    if (s >= 200 && s < 300) {
      stats.sent += items.length;
      attempt = 0;
      count(await queue.ack(items));
      return true;
    }
    // Batches are all or nothing: a 400 names the bad items (`batch.3.event`), and so does a 401
    // for messages whose userHash does not verify. Drop those, counted, and send the rest again
    // at once; a refusal naming no item drops the whole batch, since resending it can never
    // succeed and would block the queue.
    if (s == 400 || s == 413 || s == 422 || (s == 401 && reply.body?.error?.code == 'identity_not_verified')) {
      const bad = new Set<number>();
      for (const issue of reply.body?.error?.issues || []) {
        const at = /^batch\.(\d+)/.exec(issue.path);
        if (at) bad.add(+at[1]);
      }
      const drop = bad.size ? items.filter((_, i) => bad.has(i)) : items;
      count(await queue.ack(drop, drop.length));
      await queue.release(items.filter((i) => !drop.includes(i)), 0);
      return true;
    }
    stats.failures++;
    const delay = reply.retryAfter ? reply.retryAfter * 1000 : backoff(attempt++, o.rng, retry);
    await queue.release(items, now() + delay);
    schedule(delay);
    return false;
  }

  /** Lease and send one batch: >0 sent, 0 nothing free to send, -1 the send failed. */
  async function sendOnce(unloading?: boolean): Promise<number> {
    if (stopped || !started || !o.allowed()) return 0;
    await persist();
    const t = now();
    const [items, rec] = await queue.lease(t, 100 /* events a batch */, KEEPALIVE_BYTES, t + leaseMs);
    count(rec);
    if (!items.length) {
      // Items leased by a tab that went away become free at their lease's end: come back then.
      const free = Math.min(...rec.q.map((i) => i.l));
      if (rec.q.length) schedule(Math.max(free - t, 0) + 50);
      return 0;
    }
    // Destroyed or consent revoked while leasing (an SPA teardown, a test's "reload", a refusal):
    // hand the batch back unsent.
    if (stopped || !o.allowed()) return queue.release(items, 0).then(() => 0);
    return (await settle(items, await send(items, t, unloading))) ? items.length : -1;
  }

  async function pump(unloading?: boolean) {
    waiting = 0;
    if (busy++) return;
    try {
      do {
        busy = 1;
        while ((await sendOnce(unloading)) > 0);
      } while (busy > 1);
    } finally {
      busy = 0;
    }
  }

  return {
    /** Queue one event. Resolves once it is durable in IndexedDB (at once when not allowed to store). */
    add(m: Item['m']): Promise<unknown> {
      // Before consent, events wait in memory (bounded) and are only sent if consent is granted.
      pending.push({ m, t: now(), l: 0 });
      if (!o.allowed()) {
        if (pending.length > bounds.maxEvents) pending.shift(), stats.dropped = ++lost;
        return Promise.resolve();
      }
      ++waiting >= flushAt ? pump() : schedule(o.flushInterval || 1000);
      return persist();
    },
    /** Consent granted (or the SDK started): persist what waited and start sending. */
    start: () => ((started = true), pump()),
    /** Send until the queue is empty: true when it is, false as soon as a send fails. */
    async flush(): Promise<boolean> {
      const failures = stats.failures;
      for (;;) {
        if (!o.allowed()) return false;
        const n = await sendOnce();
        // A failure of ours, or of the background retry that raced us to the same batch.
        if (n < 0 || stats.failures > failures) return false;
        if (!n) {
          const rec = await queue.read();
          count(rec);
          if (!rec.q.length && !pending.length) return true;
          if (stopped) return false; // destroyed: nothing will send the rest from this page
          await new Promise((r) => setTimeout(r, 100)); // another request (ours or another tab's) holds the rest
        }
      }
    },
    /**
     * The page is hidden or unloading: events not yet in IndexedDB — waiting, or in a write the
     * dying page may never finish — go out at once with keepalive (the waiting ones are still
     * stored, leased, so a lost request is resent by the next page; one sent twice is stored
     * once by the collector); then the queue.
     */
    unload() {
      if (!o.allowed()) return;
      const t = now();
      const fresh = pending.splice(0);
      const items = [...writing, ...fresh];
      if (items.length) {
        fresh.forEach((i) => ((i.l = t + leaseMs), o.stamp(i.m)));
        const stored = queue.append(fresh, t);
        send(items, t, true).then((r) => stored.then(() => settle(items, r)));
      }
      pump(true);
    },
    /** Lease up to `max` queued events to ride along on another request (decide). */
    async take(max: number): Promise<Item[]> {
      if (!o.allowed()) return [];
      await persist();
      const t = now();
      const [items] = await queue.lease(t, max, KEEPALIVE_BYTES, t + leaseMs);
      // Consent revoked while leasing: the queue is being cleared; nothing rides along.
      return o.allowed() ? items : [];
    },
    settle,
    /** The identity is about to change: events still waiting for the stored id take the current one. */
    stamp: () => pending.forEach((i) => o.stamp(i.m)),
    /** Hand leased events back untouched (the request they rode on failed) and send them normally. */
    give: (items: Item[]) => queue.release(items, 0).then(() => pump()),
    /** Consent revoked: stop at once and forget every queued event. */
    async clear() {
      clearTimeout(timer);
      timer = 0;
      pending = [];
      stats.queued = 0;
      await queue.clear();
    },
    stop: () => ((stopped = true), clearTimeout(timer)),
  };
}

export type Delivery = ReturnType<typeof createDelivery>;

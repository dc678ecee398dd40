// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example/"}
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, get } from 'idb-keyval';
import { clientsPerTest, freshDevice, sleep, until, type FakeCollector } from './fake-collector.ts';
import type { QueueRecord } from '../../sdk/queue.ts';

let collector: FakeCollector;
const { start } = clientsPerTest();
const stored = () => get<QueueRecord>('q', createStore('idic', 'kv')).then((r) => r?.q ?? []);

beforeEach(() => {
  collector = freshDevice();
});

describe('delivery', () => {
  it('persists an event in IndexedDB before sending, and removes it only once acknowledged', async () => {
    collector.offline = true;
    const c = start({ flushInterval: 60_000 });
    await c.track('Product Viewed', { product_id: 'p1' });
    const q = await stored();
    expect(q.length).toBe(1);
    expect(q[0].m).toMatchObject({ type: 'track', event: 'Product Viewed', properties: { product_id: 'p1' } });
    expect(q[0].m.messageId).toMatch(/^[0-9A-Z]{26}$/);
    expect(Date.parse(q[0].m.timestamp as string)).toBeGreaterThan(Date.now() - 5000);
    expect(await c.flush()).toBe(false);
    expect((await stored()).length).toBe(1);
    collector.offline = false;
    expect(await c.flush()).toBe(true);
    expect(await stored()).toEqual([]);
    expect(collector.events()[0].messageId).toBe(q[0].m.messageId);
    expect(c.debug).toMatchObject({ queued: 0, sent: 1, dropped: 0 });
  });

  it('sends JSON as text/plain with the write key in the body (no CORS preflight, beacon-compatible)', async () => {
    const c = start();
    await c.track('E');
    await c.flush();
    const r = collector.sent()[0];
    expect(r.contentType).toBe('text/plain');
    expect(r.body.writeKey).toBe('wk_test');
    expect(typeof r.body.sentAt).toBe('string');
  });

  it('batches by count: flushAt events go in one request without waiting for the timer', async () => {
    const c = start({ flushAt: 5, flushInterval: 60_000 });
    for (let i = 0; i < 5; i++) c.track('E' + i);
    await until(() => collector.events().length == 5);
    expect(collector.sent().length).toBe(1);
    expect(collector.events().map((e) => e.event)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
  });

  it('batches by time: fewer events go once flushInterval has passed', async () => {
    const c = start({ flushAt: 100, flushInterval: 40 });
    await c.flush(); // the start-up send of earlier visits' events is done
    c.track('A');
    c.track('B');
    await sleep(15);
    expect(collector.sent().length).toBe(0);
    await until(() => collector.events().length == 2);
    expect(collector.sent().length).toBe(1);
  });

  it('retries failures with backoff until acknowledged, sending the same messageIds', async () => {
    collector.failNext = { status: 503, count: 2 };
    const c = start({ retry: { minTimeout: 20, factor: 2, jitter: 0 }, rng: () => 0 });
    await c.track('Retry me');
    await until(() => collector.events().length == 1);
    const attempts = collector.requests.filter((r) => r.path == '/v1/batch');
    expect(attempts.length).toBe(3);
    expect(new Set(attempts.map((a) => a.body.batch[0].messageId)).size).toBe(1);
    expect(c.debug.failures).toBe(2);
    expect(await stored()).toEqual([]);
  });

  it('honours Retry-After on 429', async () => {
    collector.failNext = { status: 429, count: 1, retryAfter: '1' };
    const c = start({ retry: { minTimeout: 1 } });
    await c.track('Slow down');
    await sleep(300);
    expect(collector.events().length).toBe(0);
    expect((await stored())[0].l).toBeGreaterThan(Date.now() + 500);
    await until(() => collector.events().length == 1, 3000);
  });

  it('keeps events across a reload while offline and sends them once back online', async () => {
    collector.offline = true;
    const a = start();
    for (let i = 0; i < 30; i++) a.track('Offline ' + i);
    await a.track('last');
    a.destroy();
    collector.offline = false;
    const b = start({ leaseMs: 50 });
    expect(await b.flush()).toBe(true);
    expect(collector.events().length).toBe(31);
    expect(collector.events().map((e) => e.event).slice(0, 2)).toEqual(['Offline 0', 'Offline 1']);
  });

  it('bounds the queue: the oldest are dropped first and counted, across reloads', async () => {
    collector.offline = true;
    const a = start({ queue: { maxEvents: 10 }, flushInterval: 60_000 });
    for (let i = 0; i < 14; i++) a.track('E' + i);
    await a.track('E14');
    expect(a.debug.dropped).toBe(5);
    a.destroy();
    collector.offline = false;
    const b = start({ queue: { maxEvents: 10 } });
    await b.flush();
    expect(collector.events().map((e) => e.event)).toEqual(['E5', 'E6', 'E7', 'E8', 'E9', 'E10', 'E11', 'E12', 'E13', 'E14']);
    expect(b.debug.dropped).toBe(5);
  });

  it('drops events older than maxAge', async () => {
    let now = Date.now();
    collector.offline = true;
    const a = start({ queue: { maxAge: 1000 }, now: () => now });
    await a.track('old');
    a.destroy();
    now += 2000;
    collector.offline = false;
    const b = start({ queue: { maxAge: 1000 }, now: () => now });
    await b.track('fresh');
    await b.flush();
    expect(collector.events().map((e) => e.event)).toEqual(['fresh']);
    expect(b.debug.dropped).toBe(1);
  });

  // A refusal naming items: a 400 for bad items, a 401 for messages whose userHash does not verify.
  it.each([
    ['a 400 naming bad items', 400, { code: 'invalid', message: 'bad', issues: [{ path: 'batch.1.event', message: 'too long' }] }],
    ['a 401 naming messages whose userHash does not verify', 401, { code: 'identity_not_verified', message: 'batch.1.userHash: does not verify userId', issues: [{ path: 'batch.1.userHash', message: 'does not verify userId' }] }],
  ])('on %s, drops only those (counted) and delivers the rest', async (_, status, error) => {
    const c = start({ flushInterval: 60_000 });
    let first = true;
    const real = collector.fetch;
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      if (first) {
        first = false;
        return Response.json({ error }, { status });
      }
      return real(url, init);
    }) as typeof fetch;
    c.track('ok-0');
    c.track('bad-1');
    await c.track('ok-2');
    expect(await c.flush()).toBe(true);
    expect(collector.events().map((e) => e.event)).toEqual(['ok-0', 'ok-2']);
    expect(c.debug.dropped).toBe(1);
  });

  it('two tabs sharing the queue never send the same event twice', async () => {
    collector.offline = true;
    const seed = start({ flushInterval: 60_000 });
    for (let i = 0; i < 299; i++) seed.track('E' + i);
    await seed.track('E299');
    seed.destroy();
    collector.offline = false;
    const a = start();
    const b = start();
    await Promise.all([a.flush(), b.flush()]);
    const sent = collector.sent().flatMap((r) => r.body.batch.map((m: any) => m.messageId));
    expect(sent.length).toBe(300);
    expect(new Set(sent).size).toBe(300);
    expect(collector.sent().length).toBeGreaterThanOrEqual(3);
  });

  it('takes over events leased by a tab that went away once the lease ends', async () => {
    const hang = new Promise<Response>(() => {});
    globalThis.fetch = (() => hang) as typeof fetch;
    const a = start({ leaseMs: 100 });
    await a.track('In flight when the tab closed');
    await until(async () => (await stored())[0]?.l > 0);
    a.destroy();
    collector = freshCollectorKeepingStorage();
    const b = start({ leaseMs: 100 });
    expect(await b.flush()).toBe(true);
    expect(collector.events().map((e) => e.event)).toEqual(['In flight when the tab closed']);
  });

  it('flushes with keepalive when the page is hidden', async () => {
    const c = start({ flushInterval: 60_000 });
    await c.flush();
    await c.track('Before leaving');
    Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    await until(() => collector.events().length == 1);
    delete (document as any).visibilityState;
    expect(collector.sent()[0].keepalive).toBe(true);
  });

  it('on pagehide, sends events not yet written to IndexedDB at once with keepalive', async () => {
    const c = start({ flushInterval: 60_000 });
    await c.track('stored');
    c.track('just now');
    dispatchEvent(new Event('pagehide'));
    // The unwritten event went out in the same task, before any IndexedDB round trip.
    expect(collector.sent().some((r) => r.keepalive && r.body.batch.some((m: any) => m.event == 'just now'))).toBe(true);
    await until(() => collector.events().length == 2);
  });

  it('on pagehide while an event is being written to IndexedDB, sends it at once with keepalive too', async () => {
    const c = start({ flushInterval: 60_000 });
    await c.track('stored');
    void c.track('being written');
    // Its write has started (no longer waiting in memory) but cannot finish before the next task.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    dispatchEvent(new Event('pagehide'));
    // A dying page may never finish that write: the event went out in the same task regardless.
    expect(collector.sent().some((r) => r.keepalive && r.body.batch.some((m: any) => m.event == 'being written'))).toBe(true);
    await until(() => collector.events().length == 2);
    expect(collector.stored.size).toBe(2);
  });

  it('1,000 events are all delivered exactly once and flush() resolves with an empty queue', async () => {
    const c = start({ flushAt: 50 });
    for (let i = 0; i < 999; i++) c.track('E' + i);
    await c.track('E999');
    expect(await c.flush()).toBe(true);
    expect(collector.stored.size).toBe(1000);
    expect(c.debug).toMatchObject({ queued: 0, sent: 1000, dropped: 0 });
  });
});

function freshCollectorKeepingStorage() {
  const { FakeCollector } = collectorModule;
  const c = new FakeCollector();
  globalThis.fetch = c.fetch as typeof fetch;
  return c;
}
import * as collectorModule from './fake-collector.ts';

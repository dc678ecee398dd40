// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://www.shop.example/"}
/**
 * Calls that land while the SDK waits on IndexedDB or the network (a reset, a consent change, a
 * destroy, another send) must not be lost or undone by the answer that arrives afterwards. The
 * timing is controlled by hand: a Kv whose update runs its callback at once but resolves only when
 * told (as in identity-race.test.ts), and a fetch that answers only when told.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientsPerTest, freshDevice, type FakeCollector } from './fake-collector.ts';
import type { Decision } from '../../collector/protocol.ts';
import type { WidgetApi } from '../../widget/api.ts';
import { createIdentity } from '../../sdk/identity.ts';
import { createDecisions } from '../../sdk/decisions.ts';
import { createDelivery } from '../../sdk/delivery.ts';
import { createKv, type Kv } from '../../sdk/kv.ts';
import type { Item } from '../../sdk/queue.ts';
import type { DebugStats } from '../../sdk/types.ts';

const OLD = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const NEW = '01BX5ZZKBKACTAV9WEVGEMMVRZ';
const cookieId = () => document.cookie.match(/idic_id=([^;]+)/)?.[1];

/**
 * A Kv in memory (values cloned, as IndexedDB does) whose next `update` can be held: its callback
 * runs at once, its promise resolves only on `answer()`. `held` resolves once that update was made.
 */
function memKv() {
  const data = new Map<string, unknown>();
  let hold = false;
  let answer = () => {};
  let asked = () => {};
  let held = Promise.resolve();
  const kv: Kv = {
    get: async (k) => structuredClone(data.get(k)) as any,
    set: async (k, v) => void data.set(k, structuredClone(v)),
    del: async (k) => void data.delete(k),
    update: <T>(k: string, fn: (old: T | undefined) => T) => {
      const out = fn(structuredClone(data.get(k)) as T | undefined);
      data.set(k, structuredClone(out));
      if (!hold) return Promise.resolve(out);
      hold = false;
      asked();
      return new Promise<T>((resolve) => (answer = () => resolve(out)));
    },
  };
  return {
    kv,
    data,
    /** Hold the next update; await `held()` to know it was made. */
    holdNext() {
      hold = true;
      held = new Promise((r) => (asked = r));
    },
    held: () => held,
    answer: () => answer(),
  };
}

describe('identity: consent revoked while the stored id is being settled', () => {
  it('leaves no id in the cookie or localStorage when forget() lands before IndexedDB answers', async () => {
    document.cookie = `idic_id=${OLD}; Path=/`;
    localStorage.setItem('idic_id', OLD);
    const { kv, data, holdNext, answer } = memKv();
    let stores = true;
    const identity = createIdentity(kv, () => stores);
    holdNext();
    const loading = identity.load(); // the read-modify-write has run, its answer is on its way
    // consent({ analytics: 'denied', personalization: 'denied' }): the state changes, then forget().
    stores = false;
    await identity.forget();
    expect(cookieId()).toBeUndefined();
    answer();
    await loading;

    expect(cookieId()).toBeUndefined();
    expect(localStorage.getItem('idic_id')).toBeNull();
    expect(data.has('aid')).toBe(false);
    identity.close();
  });
});

describe('decisions: identity changed while a decide request was out', () => {
  const offer = (placement: string): Decision => ({
    placement,
    decisionId: 'dec-' + placement,
    offer: { id: 'vip-20', version: 1, kind: 'banner', locale: 'vi', content: { title: 'Ưu đãi VIP' } },
    reason: 'the customer’s tier',
  });
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
    delete (window as any).idicWidget;
  });

  it('neither shows nor keeps, for the next visitor, offers decided for the customer who logged out', async () => {
    const { kv, data } = memKv();
    let who = { anonymousId: OLD, userId: 'cust-1' as string | undefined };
    let answer = () => {};
    let sent = () => {};
    const out = new Promise<void>((r) => (sent = r));
    globalThis.fetch = (() => {
      sent();
      return new Promise((r) =>
        (answer = () => r(Response.json({ profileId: 'p1', decisions: [offer('hero')], bundle: { payload: 'p', signature: 's', expiresAt: Date.now() + 3600_000 } }))),
      );
    }) as any;
    const renders: Decision[][] = [];
    window.idicWidget = { render: (ds) => renders.push(ds), renderLoyalty: () => {}, clear: () => {} } as WidgetApi;
    const options = {
      host: 'https://collect.test',
      writeKey: 'wk_test',
      kv,
      widgetUrl: 'https://collect.test/idic-widget.js',
      allowed: () => true,
      who: () => who,
      context: () => ({}) as any,
      now: Date.now,
      take: async () => [],
      settle: async () => {},
      give: async () => {},
      widget: {} as any,
    };
    const decisions = createDecisions(options);
    const seen: Decision[][] = [];
    decisions.on((ds) => seen.push(ds));

    const deciding = decisions.decide(['hero'], 1);
    await out;
    // Logout (client.reset): a new anonymous id and no user, and what was decided is forgotten.
    who = { anonymousId: NEW, userId: undefined };
    await decisions.forget();
    answer();
    await deciding;

    expect(seen).toEqual([]);
    expect(renders).toEqual([]);
    expect(data.has('b')).toBe(false);
    // The next page of the new visitor: nothing of the previous customer's comes back from the cache.
    const next = createDecisions(options);
    next.on((ds) => seen.push(ds));
    await next.restore(['hero']);
    expect(seen).toEqual([]);
  });
});

describe('delivery', () => {
  const realFetch = globalThis.fetch;
  let posts: any[];
  let allowed: boolean;
  let stats: DebugStats;
  const msg = (event: string) => ({ type: 'track', event, messageId: event.padEnd(26, '0') }) as Item['m'];
  const delivery = (kv: Kv, extra = {}) =>
    createDelivery({
      writeKey: 'wk_test',
      kv,
      url: 'https://collect.test/v1/batch',
      stats,
      allowed: () => allowed,
      now: Date.now,
      rng: () => 0,
      ready: async () => {},
      stamp: () => {},
      flushInterval: 60_000,
      ...extra,
    });
  beforeEach(() => {
    posts = [];
    allowed = true;
    stats = { queued: 0, sent: 0, dropped: 0, failures: 0 };
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      posts.push(JSON.parse(String(init.body)));
      return Response.json({ success: true });
    }) as any;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
    vi.useRealTimers();
  });
  const sentEvents = () => posts.flatMap((p) => (p.batch || p.events).map((m: any) => m.event));

  it('sends nothing once analytics consent is revoked while a batch is being leased', async () => {
    const { kv, data, holdNext, held, answer } = memKv();
    const d = delivery(kv);
    await d.add(msg('A'));
    holdNext();
    const pumping = d.start();
    await held(); // the batch is leased in IndexedDB, the answer is on its way
    allowed = false; // consent({ analytics: 'denied' })
    await d.clear();
    answer();
    await pumping;
    expect(posts).toEqual([]);
    expect(data.get('q')).toEqual({ q: [], d: 0 });
    d.stop();
  });

  it('gives decide no events once analytics consent is revoked while they are being leased', async () => {
    const { kv, holdNext, held, answer } = memKv();
    const d = delivery(kv);
    await d.add(msg('A'));
    holdNext();
    const taking = d.take(100);
    await held();
    allowed = false;
    await d.clear();
    answer();
    expect(await taking).toEqual([]);
    d.stop();
  });

  it('flush() settles on a destroyed client that still has queued events', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { kv } = memKv();
    const d = delivery(kv);
    await d.start();
    d.stop(); // client.destroy(): queued events stay queued
    await d.add(msg('A'));
    let result: boolean | undefined;
    d.flush().then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(result).toBe(false);
    expect(vi.getTimerCount()).toBeLessThanOrEqual(1); // at most the batch timer add() set, no polling
  });

  it('an event whose send was asked for while a send was finishing goes out (flushAt: 1)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { kv, holdNext, held, answer } = memKv();
    const d = delivery(kv, { flushAt: 1 });
    holdNext();
    const pumping = d.start(); // leases from a queue that is still empty
    await held();
    await d.add(msg('A')); // asks for a send while that one is finishing; A is durable
    answer();
    await pumping;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sentEvents()).toEqual(['A']);
    d.stop();
  });
});

describe('kv', () => {
  it('after IndexedDB failed once, keeps to memory instead of moving to another database', async () => {
    const real = globalThis.indexedDB;
    try {
      // A transient failure: the first open is refused, later ones would work.
      let refuse = true;
      globalThis.indexedDB = new Proxy(real, {
        get: (t, p) =>
          p == 'open'
            ? (...a: Parameters<IDBFactory['open']>) => {
                if (refuse) throw new DOMException('refused', 'UnknownError');
                return t.open(...a);
              }
            : (t as any)[p]?.bind?.(t) ?? (t as any)[p],
      });
      const kv = createKv('idic-kv-test');
      await kv.set('q', 1); // falls back to memory
      refuse = false;
      expect(await kv.get('q')).toBe(1);
    } finally {
      globalThis.indexedDB = real;
    }
  });
});

describe('client: identify then reset before IndexedDB answered', () => {
  let collector: FakeCollector;
  const { start } = clientsPerTest();
  beforeEach(() => {
    collector = freshDevice();
  });

  it('the identify is sent with the anonymous id it was made under, not the next visitor’s', async () => {
    document.cookie = `idic_id=${OLD}; Path=/`;
    const c = start();
    // All in one task: IndexedDB (always asynchronous) has not answered the stored-id read yet.
    c.track('Account Viewed');
    c.identify('cust-1', { email: 'an@example.vn' }, { userHash: 'h' });
    const resetting = c.reset(); // logout
    const fresh = cookieId();
    expect(fresh).not.toBe(OLD);
    await resetting;
    expect(await c.flush()).toBe(true);

    const events = collector.events();
    expect(events.map((e) => [e.type, e.anonymousId])).toEqual([
      ['track', OLD],
      ['identify', OLD],
    ]);
    expect(events[1].userId).toBe('cust-1');
    // Nothing sent links the new visitor's id to the customer.
    expect(events.filter((e) => e.anonymousId == fresh)).toEqual([]);
  });
});

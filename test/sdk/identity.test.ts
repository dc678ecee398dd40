// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://www.shop.example/"}
import { beforeEach, describe, expect, it } from 'vitest';
import { get, createStore } from 'idb-keyval';
import { clientsPerTest, freshDevice, type FakeCollector } from './fake-collector.ts';
import type { Idic } from '../../sdk/api.ts';

let collector: FakeCollector;
const { start, open } = clientsPerTest();
const idOf = async (c: Idic) => {
  await c.track('Ping');
  await c.flush();
  return collector.events().at(-1).anonymousId as string;
};

beforeEach(() => {
  collector = freshDevice();
});

describe('anonymous id', () => {
  it('is a ULID kept in IndexedDB, the cookie and localStorage, and survives a reload', async () => {
    const first = await idOf(start());
    expect(first).toMatch(/^[0-9A-Z]{26}$/);
    expect(document.cookie).toContain('idic_id=' + first);
    expect(localStorage.getItem('idic_id')).toBe(first);
    expect(await get('aid', createStore('idic', 'kv'))).toBe(first);
    open.pop()!.destroy();
    expect(await idOf(start())).toBe(first);
  });

  it('is restored from IndexedDB when the cookie and localStorage were cleared (browser restart, cookie expiry)', async () => {
    const first = await idOf(start());
    open.pop()!.destroy();
    document.cookie = 'idic_id=; Max-Age=0; Path=/';
    localStorage.clear();
    expect(await idOf(start())).toBe(first);
  });

  it('follows the cookie when it differs from IndexedDB (set on a sibling subdomain)', async () => {
    await idOf(start());
    open.pop()!.destroy();
    document.cookie = 'idic_id=01ARZ3NDEKTSV4RRFFQ69G5FAV; Path=/';
    expect(await idOf(start())).toBe('01ARZ3NDEKTSV4RRFFQ69G5FAV');
  });

  it('two tabs opened at once on a first visit agree on one id', async () => {
    const a = start();
    const b = start();
    await Promise.all([a.track('A'), b.track('B')]);
    await Promise.all([a.flush(), b.flush()]);
    const ids = new Set(collector.events().map((e) => e.anonymousId));
    expect(collector.events().length).toBe(2);
    expect(ids.size).toBe(1);
  });

  it('writes the cookie with the configured domain, SameSite=Lax, Secure on https and a long max-age', async () => {
    const writes: string[] = [];
    const proto = Object.getPrototypeOf(document);
    const desc = Object.getOwnPropertyDescriptor(proto, 'cookie') ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(proto), 'cookie')!;
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => desc.get!.call(document), set: (v) => (writes.push(v), desc.set!.call(document, v)) });
    try {
      await idOf(start({ cookieDomain: 'shop.example' }));
    } finally {
      delete (document as any).cookie;
    }
    const w = writes.find((c) => c.startsWith('idic_id='))!;
    expect(w).toMatch(/; Domain=shop\.example/);
    expect(w).toMatch(/; SameSite=Lax/);
    expect(w).toMatch(/; Secure/);
    expect(Number(/Max-Age=(\d+)/.exec(w)![1])).toBeGreaterThanOrEqual(365 * 86400);
  });

  it('reset() starts a new anonymous id and forgets the user', async () => {
    const c = start();
    const before = await idOf(c);
    await c.identify('cust-1', { name: 'An' }, { userHash: 'h1' });
    await c.track('As customer');
    await c.reset();
    await c.track('After logout');
    await c.flush();
    const [, asUser, after] = collector.events().slice(-3);
    expect(asUser).toMatchObject({ event: 'As customer', userId: 'cust-1', anonymousId: before });
    expect(after.event).toBe('After logout');
    expect(after.userId).toBeUndefined();
    expect(after.anonymousId).not.toBe(before);
    expect(document.cookie).toContain('idic_id=' + after.anonymousId);
    // The reset survives a reload.
    open.pop()!.destroy();
    expect(await idOf(start())).toBe(after.anonymousId);
  });

  it('identify persists the user (with its hash) across reloads and sends an identify message', async () => {
    const c = start();
    await c.identify('cust-2', { tier: 'gold' }, { userHash: 'abc' });
    await c.flush();
    expect(collector.events()[0]).toMatchObject({ type: 'identify', userId: 'cust-2', userHash: 'abc', traits: { tier: 'gold' } });
    open.pop()!.destroy();
    await idOf(start());
    expect(collector.events().at(-1).userId).toBe('cust-2');
  });

  it('alias names the previous id', async () => {
    const c = start();
    await c.identify('old-id');
    await c.alias('new-id');
    await c.flush();
    expect(collector.events().at(-1)).toMatchObject({ type: 'alias', userId: 'new-id', previousId: 'old-id' });
  });
});

describe('blocked storage', () => {
  it('degrades to a per-session id without errors when IndexedDB, localStorage and cookies all throw', async () => {
    const saved = { idb: globalThis.indexedDB, ls: Object.getOwnPropertyDescriptor(window, 'localStorage') };
    const boom = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    (globalThis as any).indexedDB = { open: boom };
    Object.defineProperty(window, 'localStorage', { configurable: true, get: boom });
    Object.defineProperty(document, 'cookie', { configurable: true, get: boom, set: boom });
    try {
      const c = start();
      const id = await idOf(c);
      expect(id).toMatch(/^[0-9A-Z]{26}$/);
      expect(await idOf(c)).toBe(id); // stable for the session
      expect(collector.events().length).toBe(2);
    } finally {
      globalThis.indexedDB = saved.idb;
      Object.defineProperty(window, 'localStorage', saved.ls!);
      delete (document as any).cookie;
    }
  });
});

// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example/"}
import { beforeEach, describe, expect, it } from 'vitest';
import { clientsPerTest, freshDevice, sleep, until, type FakeCollector } from './fake-collector.ts';

let collector: FakeCollector;
const { start } = clientsPerTest();

/** Everything the device holds for idic: IndexedDB databases with content, cookies, localStorage. */
async function deviceState() {
  const dbs = await indexedDB.databases();
  const keys: string[] = [];
  for (const { name } of dbs) {
    const db = await new Promise<IDBDatabase>((ok) => {
      const r = indexedDB.open(name!);
      r.onsuccess = () => ok(r.result);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const all = await new Promise<IDBValidKey[]>((ok) => {
        const r = db.transaction(store).objectStore(store).getAllKeys();
        r.onsuccess = () => ok(r.result);
      });
      keys.push(...all.map(String));
    }
    db.close();
  }
  return { idb: keys, cookie: document.cookie, local: Object.keys(localStorage) };
}

beforeEach(() => {
  collector = freshDevice();
  delete (navigator as any).globalPrivacyControl;
});

describe('opt-in mode', () => {
  it('stores nothing and sends nothing before consent', async () => {
    const c = start({ consent: { mode: 'opt-in' }, autoPageviews: true, placements: ['home'] });
    await c.track('Product Viewed');
    await c.identify('cust-1');
    expect(await c.offers('home')).toBeNull();
    await sleep(50);
    expect(collector.requests).toEqual([]);
    expect(await deviceState()).toEqual({ idb: [], cookie: '', local: [] });
    expect(c.consent()).toEqual({ analytics: 'pending', personalization: 'pending' });
  });

  it('granting analytics sends what waited in memory (the first page view included) and starts storing', async () => {
    const c = start({ consent: { mode: 'opt-in' }, autoPageviews: true });
    c.track('Before consent');
    c.consent({ analytics: 'granted' });
    await until(() => collector.events().length == 2);
    expect(collector.events().map((e) => e.type + ':' + (e.event ?? ''))).toEqual(['page:', 'track:Before consent']);
    const ids = new Set(collector.events().map((e) => e.anonymousId));
    expect(ids.size).toBe(1);
    expect(document.cookie).toContain('idic_id=');
    expect(document.cookie).toContain('idic_consent=gp');
    // Personalization still pending: no decide call.
    expect(collector.sent('/v1/decide')).toEqual([]);
  });

  it('denying drops what waited; the choice is remembered on the next page', async () => {
    const c = start({ consent: { mode: 'opt-in' } });
    c.track('Never sent');
    c.consent({ analytics: 'denied', personalization: 'denied' });
    c.consent({ analytics: 'granted' });
    await c.flush();
    expect(collector.events()).toEqual([]);
    c.destroy();
    const next = start({ consent: { mode: 'opt-in' } });
    expect(next.consent()).toEqual({ analytics: 'granted', personalization: 'denied' });
  });
});

describe('revoking', () => {
  it('stops sending at once and clears the queue and every identifier', async () => {
    collector.offline = true;
    const c = start({ consent: { mode: 'opt-out' } });
    await c.identify('cust-9');
    await c.track('Queued while offline');
    expect((await deviceState()).idb).toEqual(expect.arrayContaining(['aid', 'u', 'q']));
    c.consent({ analytics: 'denied', personalization: 'denied' });
    await sleep(20);
    collector.offline = false;
    await c.track('After revoke');
    expect(await c.flush()).toBe(false);
    await sleep(30);
    expect(collector.requests).toEqual([]);
    const state = await deviceState();
    expect(state.idb).toEqual([]);
    expect(state.local).toEqual([]);
    expect(state.cookie).toBe('idic_consent=dd');
  });

  it('a visitor who consents again gets a new anonymous id, unlinked from the old one', async () => {
    const c = start();
    await c.track('one');
    await c.flush();
    const old = collector.events()[0].anonymousId;
    c.consent({ analytics: 'denied', personalization: 'denied' });
    c.consent({ analytics: 'granted' });
    await c.track('two');
    await c.flush();
    expect(collector.events()[1].anonymousId).not.toBe(old);
  });
});

describe('browser privacy signals', () => {
  it('Global Privacy Control refuses both purposes when the site honours it', async () => {
    (navigator as any).globalPrivacyControl = true;
    const c = start({ consent: { mode: 'opt-out', honorGlobalPrivacyControl: true }, autoPageviews: true });
    await c.track('E');
    await sleep(30);
    expect(c.consent()).toEqual({ analytics: 'denied', personalization: 'denied' });
    expect(collector.requests).toEqual([]);
    expect((await deviceState()).idb).toEqual([]);
  });

  it('GPC is ignored when the site does not opt in to honouring it', async () => {
    (navigator as any).globalPrivacyControl = true;
    const c = start({ consent: { mode: 'opt-out' } });
    await c.track('E');
    await c.flush();
    expect(collector.events().length).toBe(1);
  });
});

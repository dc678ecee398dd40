// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example/coffee", "settings": {"disableJavaScriptFileLoading": true, "handleDisabledFileLoadingAsSuccess": true}}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientsPerTest, freshDevice, sleep, until, type FakeCollector } from './fake-collector.ts';
import type { Decision } from '../../collector/protocol.ts';
import type { WidgetApi, WidgetOptions } from '../../widget/api.ts';

let collector: FakeCollector;
const { start } = clientsPerTest({ autoPageviews: true, widgetUrl: 'https://cdn.shop.example/idic-widget.js' });

const offer = (placement: string): Decision => ({
  placement,
  decisionId: 'dec-' + placement,
  offer: { id: 'coffee-10', version: 1, kind: 'banner', locale: 'vi', content: { title: 'Giảm 10% cà phê' } },
  reason: 'MGC, coffee affinity 0.8',
});

/** Stands in for dist/idic-widget.js: "executes" when the SDK appends its script tag. */
let renders: { decisions: Decision[]; options: WidgetOptions }[];
let injected: string[];
const realAppend = document.head.appendChild;
function installWidgetStub() {
  renders = [];
  injected = [];
  delete (window as any).idicWidget;
  document.head.appendChild = function <T extends Node>(node: T): T {
    if (node instanceof HTMLScriptElement) {
      injected.push(node.src);
      const api: WidgetApi = { render: (decisions, options) => renders.push({ decisions, options }), renderLoyalty: () => {}, clear: () => {} };
      window.idicWidget = api;
    }
    return realAppend.call(this, node) as T;
  };
}

beforeEach(() => {
  collector = freshDevice();
  document.body.innerHTML = '<div data-idic-placement="home-hero"></div><div data-idic-placement="sidebar"></div>';
  installWidgetStub();
});
afterEach(() => {
  document.head.appendChild = realAppend;
});

describe('decide', () => {
  it('runs on init for the placements in the page, carrying the queued page view in the same request', async () => {
    const c = start();
    const got: Decision[][] = [];
    c.on('decisions', (d) => got.push(d));
    await until(() => got.length == 1);
    const [req] = collector.sent('/v1/decide');
    expect(req.body.placements).toEqual(['home-hero', 'sidebar']);
    expect(req.body.events.map((e: any) => e.type)).toEqual(['page']);
    expect(req.body.anonymousId).toMatch(/^[0-9A-Z]{26}$/);
    expect(req.body.context).toMatchObject({ path: '/coffee', consent: { analytics: 'granted', personalization: 'granted' } });
    await c.flush();
    // Acknowledged through decide: not sent a second time.
    expect(collector.sent('/v1/batch')).toEqual([]);
    expect(collector.stored.size).toBe(1);
  });

  it('does not load the widget when no decision has an offer', async () => {
    const c = start();
    const got: Decision[][] = [];
    c.on('decisions', (d) => got.push(d));
    await until(() => got.length == 1);
    await sleep(20);
    expect(injected).toEqual([]);
  });

  it('loads the widget lazily when an offer arrives, renders it, and records offer events', async () => {
    collector.decisions = (ps) => ps.map((p) => (p == 'home-hero' ? offer(p) : { placement: p, decisionId: 'n', offer: null, reason: 'none' }));
    const c = start({ locale: 'vi', currency: 'VND' });
    await until(() => renders.length == 1);
    expect(injected).toEqual(['https://cdn.shop.example/idic-widget.js']);
    const { decisions, options } = renders[0];
    expect(decisions.map((d) => d.placement)).toEqual(['home-hero', 'sidebar']);
    expect(options).toMatchObject({ locale: 'vi', currency: 'VND' });
    options.onEvent('impression', decisions[0]);
    options.onEvent('click', decisions[0]);
    options.onEvent('dismiss', decisions[0]);
    await c.flush();
    const offerEvents = collector.events().filter((e) => e.type == 'track');
    expect(offerEvents.map((e) => e.event)).toEqual(['Offer Viewed', 'Offer Clicked', 'Offer Dismissed']);
    expect(offerEvents[0].properties).toEqual({ decisionId: 'dec-home-hero', offerId: 'coffee-10', placement: 'home-hero' });
  });

  it('offers(placement) resolves the decision, asking the collector for a placement not on the page', async () => {
    collector.decisions = (ps) => ps.map(offer);
    const c = start({ autoPageviews: false });
    const d = await c.offers('checkout-upsell');
    expect(d?.decisionId).toBe('dec-checkout-upsell');
    expect(collector.sent('/v1/decide').some((r) => r.body.placements.includes('checkout-upsell'))).toBe(true);
  });

  it('a returning visitor sees the cached offer with no network, then a background refresh', async () => {
    collector.decisions = (ps) => ps.map(offer);
    const first = start();
    await until(() => renders.length == 1);
    first.destroy();
    installWidgetStub();
    collector.offline = true;
    const again = start();
    const got: Decision[][] = [];
    again.on('decisions', (d) => got.push(d));
    await until(() => renders.length == 1);
    expect(renders[0].decisions[0].decisionId).toBe('dec-home-hero');
    collector.offline = false;
    await again.offers('new-placement');
    // Listeners hear of each answer in a task of their own.
    await until(() => got.length >= 2);
  });

  it("shows only this page's placements: the home page's modal, kept in the bundle, does not follow the visitor to the cart", async () => {
    collector.decisions = (ps) => ps.map((p) => ({ ...offer(p), offer: { ...offer(p).offer!, kind: p == 'home-hero' ? 'modal' : 'banner' } }));
    const home = start();
    await until(() => renders.length == 1);
    expect(renders[0].decisions.map((d) => d.placement).sort()).toEqual(['home-hero', 'sidebar']);
    home.destroy();
    // The cart page: only a sidebar slot. From the kept bundle first (offline), then from the collector.
    document.body.innerHTML = '<div data-idic-placement="sidebar"></div>';
    installWidgetStub();
    collector.offline = true;
    const cart = start();
    await until(() => renders.length == 1);
    expect(renders[0].decisions.map((d) => d.placement)).toEqual(['sidebar']);
    collector.offline = false;
    await cart.offers('sidebar');
    await cart.flush();
    expect(renders.every((r) => r.decisions.every((d) => d.placement == 'sidebar'))).toBe(true);
  });

  it('ignores an expired bundle', async () => {
    collector.decisions = (ps) => ps.map(offer);
    collector.bundle = { payload: 'p', signature: 's', expiresAt: Date.now() + 50 };
    const first = start();
    await until(() => renders.length == 1);
    first.destroy();
    await sleep(80);
    installWidgetStub();
    collector.offline = true;
    const again = start();
    again.on('decisions', () => {});
    await sleep(60);
    expect(renders).toEqual([]);
  });

  it('a client destroyed while starting up sends nothing afterwards, not even the decide its start-up queued', async () => {
    collector.decisions = (ps) => ps.map(offer);
    const c = start();
    c.destroy();
    await sleep(150);
    expect(collector.sent('/v1/decide')).toEqual([]);
    expect(collector.sent('/v1/batch')).toEqual([]);
  });

  it('a client destroyed while its decide reads the event queue sends nothing, and keeps the events', async () => {
    const c = start();
    await until(() => collector.sent('/v1/decide').length == 1);
    c.track('Product Viewed', { sku: 'cf-1' });
    const asked = c.offers('checkout-upsell');
    // The request is past its first check and waiting on IndexedDB for the queued events.
    await Promise.resolve();
    await Promise.resolve();
    c.destroy();
    expect(await asked).toBeNull();
    await sleep(50);
    expect(collector.sent('/v1/decide')).toHaveLength(1);
    // Handed back, not lost: the next page's client sends it.
    const next = start();
    await next.flush();
    expect(collector.events().map((e) => e.event)).toContain('Product Viewed');
  });

  it('a client destroyed while its decide is out shows nothing of the answer', async () => {
    const c = start();
    await until(() => collector.sent('/v1/decide').length == 1);
    collector.decisions = (ps) => ps.map(offer);
    const answer = collector.fetch;
    globalThis.fetch = (async (url: string, init: RequestInit) => (c.destroy(), answer(url, init))) as typeof fetch;
    expect(await c.offers('checkout-upsell')).toBeNull();
    await sleep(20);
    expect(injected).toEqual([]);
    expect(renders).toEqual([]);
  });

  it('forgets the cached offers on reset, so the next person does not see them', async () => {
    collector.decisions = (ps) => ps.map(offer);
    const first = start();
    await until(() => renders.length == 1);
    await first.reset();
    first.destroy();
    installWidgetStub();
    collector.offline = true;
    start();
    await sleep(60);
    expect(renders).toEqual([]);
  });

  it('asks nothing and shows nothing when personalization is not granted', async () => {
    collector.decisions = (ps) => ps.map(offer);
    const c = start({ consent: { personalization: 'denied' } });
    expect(await c.offers('home-hero')).toBeNull();
    await c.flush();
    expect(collector.sent('/v1/decide')).toEqual([]);
    expect(injected).toEqual([]);
    expect(collector.events().length).toBe(1); // the page view still goes, analytics is granted
  });
});

describe('loyalty', () => {
  it('needs an identified customer and passes the verification hash', async () => {
    const c = start({ autoPageviews: false });
    await expect(c.loyalty()).rejects.toThrow(/identify/);
    await c.identify('cust-1', {}, { userHash: 'good-hash' });
    const state = await c.loyalty();
    expect(state).toMatchObject({ balance: 1200, tier: 'Silver' });
    const req = collector.sent('/v1/loyalty/me')[0];
    expect(req.body).toMatchObject({ writeKey: 'wk_test', userId: 'cust-1', userHash: 'good-hash' });
    expect(await c.redeem('rw-1')).toMatchObject({ code: 'CODE-rw-1' });
  });

  it("rejects with the collector's message when the identity is not verified", async () => {
    const c = start({ autoPageviews: false });
    await c.identify('cust-1', {}, { userHash: 'forged' });
    await expect(c.redeem('rw-1')).rejects.toThrow('identity not verified');
  });
});

describe("a shop's listener that throws", () => {
  it('breaks neither the offers shown nor the sending of events', async () => {
    collector.decisions = (ps) => ps.map((p) => (p == 'home-hero' ? offer(p) : { placement: p, decisionId: 'n', offer: null, reason: 'none' }));
    // A browser reports an exception thrown in a timer callback (window.onerror) and goes on; so does this stand-in.
    const thrown: unknown[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
      realSetTimeout(() => { try { fn(...args); } catch (e) { thrown.push(e); } }, ms)) as typeof setTimeout;
    try {
      const c = start();
      c.on('decisions', () => {
        throw new Error('a bug in the shop’s own code');
      });
      await until(() => renders.length == 1);
      c.track('After the listener threw');
      await c.flush();
      const names = [...collector.sent('/v1/decide'), ...collector.sent('/v1/batch')].flatMap((r) => (r.body.events ?? r.body.batch ?? []).map((e: any) => e.event ?? e.type));
      expect(names).toContain('After the listener threw');
      expect(thrown.map((e) => (e as Error).message)).toContain('a bug in the shop’s own code');
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });
});

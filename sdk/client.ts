/**
 * `createClient` ties the SDK's parts together: consent gates, identity, delivery, automatic
 * tracking and decisions. Each part lives in its own module; this file only wires them.
 */
import type { DecideContext, LoyaltyState, MessageInput, OFFER_EVENTS } from '../collector/protocol.ts';
import type { Idic } from './api.ts';
import { watchClicks, watchPages } from './autotrack.ts';
import { decodeConsent, encodeConsent, mayStore, resolveConsent } from './consent.ts';
import { readCookie, writeCookie } from './cookies.ts';
import { createDecisions, loadWidget } from './decisions.ts';
import { createDelivery } from './delivery.ts';
import { createIdentity, type User } from './identity.ts';
import { createKv } from './kv.ts';
import { post } from './transport.ts';
import type { ConsentState, DebugStats, InitOptions } from './types.ts';
import { ulid } from './ulid.ts';

export const VERSION = '0.1.0';

// Checked against the protocol's names at compile time; a value import would ship zod.
const OFFER_EVENT: typeof OFFER_EVENTS = {
  impression: 'Offer Viewed',
  click: 'Offer Clicked',
  dismiss: 'Offer Dismissed',
  conversion: 'Offer Converted',
};

const CONSENT = 'idic_consent';

/** Options with hooks tests use; the script tag and `init` never pass them. */
export interface ClientOptions extends InitOptions {
  /** Extra decide context (product, cart value) read at each decide. */
  decideContext?: () => DecideContext;
  now?: () => number;
  rng?: () => number;
  /** IndexedDB database name. @default 'idic' */
  dbName?: string;
  /** Counters object to fill (the ESM entry exports its own). */
  stats?: DebugStats;
}

/**
 * Start the SDK for one page.
 * @example
 * const idic = createClient({ writeKey: 'wk_…', host: 'https://collect.shop.example' });
 * idic.track('Product Viewed', { product_id: 'p1', category: 'coffee' });
 */
export function createClient(o: ClientOptions): Idic {
  const now = o.now || Date.now;
  const host = o.host.replace(/\/$/, '');
  /** False once destroy() ran. */
  let live = true;
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  let state: ConsentState = resolveConsent(o.consent, decodeConsent(readCookie(CONSENT)), {
    gpc: nav.globalPrivacyControl,
    dnt: nav.doNotTrack == '1',
  });
  const analytics = () => state.analytics == 'granted';
  const personal = () => state.personalization == 'granted';
  const kv = createKv(o.dbName);
  const identity = createIdentity(kv, () => mayStore(state), o.cookieDomain);
  const debug: DebugStats = o.stats || { queued: 0, sent: 0, dropped: 0, failures: 0 };
  let loaded: Promise<unknown> | undefined;
  let stamped = false;

  const delivery = createDelivery({
    ...o,
    kv,
    url: host + '/v1/batch',
    stats: debug,
    allowed: analytics,
    now,
    rng: o.rng || Math.random,
    // Events recorded before the stored id was read get it now, not a provisional one.
    ready: () => load(),
    stamp: (m) => m.anonymousId || stamp(m),
  });

  const user = (): Partial<User> => identity.user() || {};
  // alias and identify name their own userId; other events carry the current one.
  const stamp = (m: MessageInput) => {
    m.anonymousId = identity.anonymousId();
    m.userId ||= user().id;
    // The collector verifies every message that names a customer, not only identify.
    if (m.userId == user().id) m.userHash ||= user().hash;
  };
  const widgetUrl = o.widgetUrl || host + '/idic-widget.js';
  // The page's language (not the browser's) picks the offer text: the shop chose it for this visitor.
  const locale = o.locale || document.documentElement.lang || navigator.language;
  const widgetOptions = {
    locale,
    currency: o.currency || 'VND',
    onEvent: (name: keyof typeof OFFER_EVENTS, d: { decisionId: string; placement: string; offer: { id: string } | null }) =>
      track(OFFER_EVENT[name], { decisionId: d.decisionId, offerId: d.offer?.id, placement: d.placement }),
    // The answer carries the new balance: re-render the member panel with it.
    onRedeem: (id: string) =>
      redeem(id).then((r: any) => (r.state && window.idicWidget?.renderLoyalty(r.state, widgetOptions), r), (e: Error) => ({ error: e.message })),
  };
  const decisions = createDecisions({
    host,
    writeKey: o.writeKey,
    kv,
    widgetUrl,
    // Nothing leaves a destroyed client, not even a refresh its start-up had already queued.
    allowed: () => live && personal(),
    who: () => ({ anonymousId: identity.anonymousId(), userId: user().id, userHash: user().hash }),
    context: () => ({
      url: location.href,
      path: location.pathname,
      locale,
      device: innerWidth < 768 ? 'mobile' : innerWidth < 1024 ? 'tablet' : 'desktop',
      consent: state,
      ...o.decideContext?.(),
    }),
    now,
    take: delivery.take,
    settle: delivery.settle,
    give: delivery.give,
    widget: widgetOptions,
  });

  /** Read the stored identity once storing is allowed; everything that persists waits for it. */
  function load() {
    if (!mayStore(state)) return Promise.resolve();
    return (loaded ||= identity.load().then(() => (stamped = true)));
  }

  // What Segment puts in `context.page`; page views repeat it as their properties.
  const where = () => ({ path: location.pathname, url: location.href, search: location.search, title: document.title, referrer: document.referrer });

  function enqueue(m: MessageInput): Promise<unknown> {
    if (state.analytics == 'denied') return Promise.resolve();
    const msg = {
      ...m,
      messageId: ulid(now()),
      timestamp: new Date(now()).toISOString(),
      context: { page: where(), locale, library: { name: 'idic', version: VERSION } },
    };
    if (stamped) stamp(msg);
    return delivery.add(msg);
  }

  const placements = () =>
    o.placements || [...new Set(Array.from(document.querySelectorAll('[data-idic-placement]'), (e) => e.getAttribute('data-idic-placement')!))];
  const refresh = () => personal() && load().then(() => decisions.decide(placements(), 1));

  async function call(path: string, extra: object) {
    const u = user();
    if (!u.id) throw Error('idic: identify first');
    const r = await post(host + path, { writeKey: o.writeKey, userId: u.id, userHash: u.hash, locale, ...extra });
    if (r.status != 200) throw Error(r.body?.error?.message || 'idic: ' + r.status);
    return r.body;
  }

  const page = (name?: string, properties?: Record<string, unknown>) =>
    enqueue({ type: 'page', name, properties: { ...where(), ...properties } });
  const track = (event: string, properties?: Record<string, unknown>) => enqueue({ type: 'track', event, properties });
  const redeem = (rewardId: string) => call('/v1/loyalty/redeem', { rewardId });

  const onHide = () => document.visibilityState == 'hidden' && delivery.unload();
  const stops = [() => removeEventListener('pagehide', delivery.unload), () => document.removeEventListener('visibilitychange', onHide), delivery.stop, identity.close];
  addEventListener('pagehide', delivery.unload);
  document.addEventListener('visibilitychange', onHide);
  if (o.autoPageviews !== false) page(), stops.push(watchPages(() => page()));
  if (o.clickTracking) stops.push(watchClicks(track));

  // Cached offers first (no network), then one decide that also carries the queued events; only
  // then does the batch sender start, so the first page view rides on the decide request.
  load().then(async () => {
    if (live && personal()) {
      await decisions.restore(placements());
      if (document.readyState == 'loading') await new Promise((r) => addEventListener('DOMContentLoaded', r));
      await refresh();
    }
    if (live) delivery.start();
  });

  return {
    page,
    track,
    identify(userId, traits, opts = {}) {
      // Pages often identify on every load; decide again only when the customer changes.
      const changed = user().id != userId;
      const done = identity.setUser({ id: userId, hash: opts.userHash });
      const sent = enqueue({ type: 'identify', userId, traits, userHash: opts.userHash });
      if (changed) refresh();
      return Promise.all([done, sent]);
    },
    alias: (newId, previousId) => enqueue({ type: 'alias', userId: newId, previousId: previousId || user().id || identity.anonymousId() }),
    // Events recorded before the logout keep the visitor they were recorded for.
    reset: () => (delivery.stamp(), Promise.all([identity.reset(), decisions.forget()])),
    offers: (placement) => (personal() ? load().then(() => decisions.offers(placement)) : Promise.resolve(null)),
    on: (_event, listener) => decisions.on(listener),
    consent(choice) {
      const before = state;
      state = { ...state, ...choice };
      if (choice) writeCookie(CONSENT, encodeConsent(state), o.cookieDomain);
      const jobs: Promise<unknown>[] = [];
      // Revoking stops sending at once and forgets the queue; denying drops what waited in memory.
      if (!analytics() && (before.analytics == 'granted' || state.analytics == 'denied')) jobs.push(delivery.clear());
      if (!personal() && before.personalization == 'granted') jobs.push(decisions.forget());
      if (!mayStore(state) && mayStore(before)) (loaded = undefined), (stamped = false), jobs.push(identity.forget());
      Promise.all(jobs).then(() => {
        if (analytics() && before.analytics != 'granted') load().then(delivery.start);
        if (personal() && before.personalization != 'granted') refresh();
      });
      return state;
    },
    async loyalty(show) {
      const s: LoyaltyState = await call('/v1/loyalty/me', {});
      if (show) (await loadWidget(widgetUrl))?.renderLoyalty(s, widgetOptions, true);
      return s;
    },
    redeem,
    flush: () => load().then(delivery.flush),
    debug,
    destroy: () => {
      live = false;
      stops.forEach((s) => s());
    },
  };
}

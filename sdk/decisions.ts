/**
 * Offers for this visitor: one decide round trip (carrying queued events), the last decision
 * bundle kept in IndexedDB so a returning visitor's offers render with no network wait, and the
 * widget bundle loaded only when some decision has an offer to show.
 */
import type { DecideRequest, DecideResponse, Decision } from '../collector/protocol.ts';
import type { WidgetApi, WidgetOptions } from '../widget/api.ts';
import { post, type Reply } from './transport.ts';
import type { Item } from './queue.ts';
import type { Kv } from './kv.ts';
import type { DecisionsListener } from './types.ts';

export interface DecisionsOptions {
  host: string;
  writeKey: string;
  kv: Kv;
  widgetUrl: string;
  /** Personalization consent granted. */
  allowed(): boolean;
  /** Who is asking, at the time of the request. */
  who(): Pick<DecideRequest, 'anonymousId' | 'userId' | 'userHash'>;
  context(): DecideRequest['context'];
  now(): number;
  /** Queued events to send along (leased), and how to settle or hand them back. */
  take(max: number): Promise<Item[]>;
  settle(items: Item[], reply: Reply): Promise<unknown>;
  give(items: Item[]): Promise<unknown>;
  widget: Omit<WidgetOptions, 'document'>;
}

/** The cached bundle: whose it is, the decisions, and when it stops being valid. */
interface Cached {
  k: string;
  d: Decision[];
  e: number;
}

let widgetLoad: Promise<WidgetApi | undefined> | undefined;

/** Inject the widget script once; resolves to `window.idicWidget` (undefined if it failed to load). */
export function loadWidget(src: string): Promise<WidgetApi | undefined> {
  if (window.idicWidget) return Promise.resolve(window.idicWidget);
  return (widgetLoad ||= new Promise((resolve) => {
    const s = document.createElement('script');
    s.async = true;
    s.src = src;
    s.onload = s.onerror = () => resolve(window.idicWidget);
    document.head.appendChild(s);
  }));
}

export function createDecisions(o: DecisionsOptions) {
  const current = new Map<string, Decision>();
  const listeners: DecisionsListener[] = [];
  let asked = new Set<string>();
  // This page's placements: only their offers are shown — an overlay decided for the home page
  // (a modal, a slide-in) must not cover the cart. The kept bundle holds every page's.
  let here = new Set<string>();
  let round: Promise<unknown> | undefined;
  // Whom a bundle is for: "<anonymousId>,<userId>" (a ULID holds no comma).
  const key = () => {
    const w = o.who();
    return [w.anonymousId, w.userId] + '';
  };

  function show(decisions: Decision[]) {
    decisions.forEach((d) => current.set(d.placement, d));
    // Each listener in a task of its own: a shop's listener that throws is reported as its own
    // error (window.onerror), and stops neither the offers shown here nor event sending behind them.
    listeners.forEach((l) => setTimeout(l, 0, decisions));
    const all = [...current.values()].filter((d) => here.has(d.placement));
    if (all.some((d) => d.offer)) loadWidget(o.widgetUrl).then((w) => o.allowed() && w?.render(all, o.widget));
  }

  /** One decide request for the placements asked for so far in this tick. */
  function request(): Promise<unknown> {
    return (round ||= Promise.resolve().then(async () => {
      const placements = [...asked].slice(0, 10);
      asked = new Set();
      round = undefined;
      if (!o.allowed() || !placements.length) return;
      const events = await o.take(100);
      // The client may have been destroyed (or consent revoked) while the queue was read.
      if (!o.allowed()) return o.give(events);
      const asker = key();
      const reply = await post(`${o.host}/v1/decide`, {
        ...o.who(),
        placements,
        context: o.context(),
        events: events.map((i) => i.m),
        writeKey: o.writeKey,
      } satisfies DecideRequest);
      // Not a 200: false, read through ?. as undefined would be (fewer bytes than a conditional).
      const res = (reply.status == 200 && reply.body) as DecideResponse | undefined;
      if (events.length) await (res?.ingest ? o.settle(events, { status: 200, body: res.ingest }) : o.give(events));
      // Destroyed, or the visitor changed (reset, identify) while the request was out: it shows
      // and keeps nothing — the answer is about someone else.
      if (!res?.decisions || !o.allowed() || asker != key()) return;
      show(res.decisions);
      if (res.bundle) await o.kv.set('b', { k: asker, d: [...current.values()], e: res.bundle.expiresAt } satisfies Cached);
    }));
  }

  return {
    /** Ask for decisions on these placements (coalesced with other asks in the same tick); `page`: they are this page's all. */
    decide(placements: string[], page?: 1) {
      if (page) here = new Set();
      placements.forEach((p) => (asked.add(p), here.add(p)));
      return request();
    },
    /** Render the cached bundle's offers for this page's placements at once, if it is still valid and this visitor's. */
    async restore(placements: string[]) {
      here = new Set(placements);
      const c = await o.kv.get<Cached>('b');
      if (c && c.k == key() && c.e > o.now() && o.allowed()) show(c.d);
    },
    /** The decision for one placement: the current one, or one fetched for it. */
    async offers(placement: string): Promise<Decision | null> {
      if (!current.has(placement)) await this.decide([placement]);
      return current.get(placement) || null;
    },
    on(cb: DecisionsListener) {
      listeners.push(cb);
    },
    /** Identity or consent changed: what was decided no longer applies. */
    async forget() {
      current.clear();
      window.idicWidget?.clear();
      await o.kv.del('b');
    },
  };
}

export type Decisions = ReturnType<typeof createDecisions>;

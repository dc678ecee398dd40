/**
 * An in-test collector behind `fetch`: records what the SDK sends and answers like the real routes
 * (IngestResponse, DecideResponse). It can be taken offline or made to fail, to test delivery.
 * The real collector's end-to-end tests live elsewhere; this isolates the SDK.
 */
import 'fake-indexeddb/auto';
import { afterEach } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import type { DecideResponse, Decision, IngestResponse, LoyaltyState } from '../../collector/protocol.ts';
import { createClient, type ClientOptions } from '../../sdk/client.ts';
import type { Idic } from '../../sdk/api.ts';

export interface Request {
  path: string;
  body: any;
  keepalive?: boolean;
  contentType?: string;
}

export class FakeCollector {
  requests: Request[] = [];
  /** messageId → message, as the collector dedupes. */
  stored = new Map<string, any>();
  offline = false;
  /** Answer the next N requests with this status. */
  failNext: { status: number; count: number; retryAfter?: string } | undefined;
  decisions: (placements: string[]) => Decision[] = (ps) => ps.map((p) => ({ placement: p, decisionId: 'd-' + p, offer: null, reason: 'none' }));
  bundle: DecideResponse['bundle'] = { payload: 'p', signature: 's', expiresAt: Date.now() + 3600_000 };

  readonly fetch = async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    if (this.offline) throw new TypeError('Failed to fetch');
    const path = new URL(String(url)).pathname;
    const body = JSON.parse(String(init.body));
    this.requests.push({ path, body, keepalive: init.keepalive, contentType: (init.headers as Record<string, string>)?.['content-type'] });
    if (this.failNext && this.failNext.count-- > 0) {
      return new Response('{"error":{"code":"x","message":"down"}}', { status: this.failNext.status, headers: this.failNext.retryAfter ? { 'retry-after': this.failNext.retryAfter } : {} });
    }
    const ingest = (batch: any[] = []): IngestResponse => {
      let duplicates = 0;
      for (const m of batch) this.stored.has(m.messageId) ? duplicates++ : this.stored.set(m.messageId, m);
      return { success: true, accepted: batch.length - duplicates, duplicates };
    };
    if (path == '/v1/batch') return Response.json(ingest(body.batch));
    if (path == '/v1/decide') {
      const res: DecideResponse = { profileId: 'p1', decisions: this.decisions(body.placements), bundle: this.bundle, ingest: ingest(body.events) };
      return Response.json(res);
    }
    if (path.startsWith('/v1/loyalty/')) {
      if (body.userHash != 'good-hash') return Response.json({ error: { code: 'unverified', message: 'identity not verified' } }, { status: 401 });
      const state: LoyaltyState = { balance: 1200, tier: 'Silver', nextTier: { name: 'Gold', remaining: 120000, unit: 'currency', progress: 0.6 }, rewards: [{ id: 'rw-1', name: '50k off', cost: 1000, available: true }], expiring: null, currency: 'VND', codes: [] };
      return Response.json(path.endsWith('/redeem') ? { code: 'CODE-' + body.rewardId, reward: state.rewards[0], state } : state);
    }
    return Response.json({ error: { code: 'not_found', message: path } }, { status: 404 });
  };

  /** Events the collector holds, in arrival order. */
  events() {
    return [...this.stored.values()];
  }
  sent(path = '/v1/batch') {
    return this.requests.filter((r) => r.path == path);
  }
}

/** A clean device: empty IndexedDB, cookies and localStorage, and a fresh collector behind fetch. */
export function freshDevice(): FakeCollector {
  globalThis.indexedDB = new IDBFactory();
  for (const c of document.cookie.split('; ')) {
    if (c) document.cookie = c.split('=')[0] + '=; Max-Age=0; Path=/';
  }
  localStorage.clear();
  const collector = new FakeCollector();
  globalThis.fetch = collector.fetch as typeof fetch;
  return collector;
}

/** A client for tests: fast batching, no automatic page view unless asked. Destroy it after use. */
export function client(options: Partial<ClientOptions> = {}) {
  return createClient({ writeKey: 'wk_test', host: 'https://collect.test', autoPageviews: false, flushInterval: 5, ...options });
}

/**
 * `start(options)` makes a client (over `defaults`) that is destroyed after the test, so no SDK
 * keeps flushing into the next test's device. `open` lists the live ones; popping one and
 * destroying it stands for a page unload.
 */
export function clientsPerTest(defaults: Partial<ClientOptions> = {}) {
  const open: Idic[] = [];
  afterEach(() => open.splice(0).forEach((c) => c.destroy()));
  const start = (options: Partial<ClientOptions> = {}) => {
    const c = client({ ...defaults, ...options });
    open.push(c);
    return c;
  };
  return { start, open };
}

export const until = async (check: () => boolean | Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real collector on a store under test, with a controllable clock: the contract suite drives
 * it over HTTP (app.request) so it checks behaviour the routes rely on, not store internals.
 */
import { createCollector } from '../../collector/app.ts';
import { createSite } from '../../collector/services/sites.ts';
import { userHash } from '../../collector/http/hmac.ts';
import type { Store } from '../../collector/store/types.ts';
import type { SiteSettingsInput } from '../../collector/settings.ts';

export const ORIGIN = 'https://shop.example';

export async function collectorOn(store: Store, settings: SiteSettingsInput = {}) {
  let now = Date.UTC(2026, 10, 1, 10, 0, 0);
  let seed = 7;
  const app = createCollector({
    store, clock: { now: () => now }, cacheTtlMs: 0, log: () => {},
    random: () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31),
  });
  const site = await createSite(store, {
    name: `shop ${app.services.newId()}`,
    settings: { origins: [ORIGIN], ...settings, decide: { globalHoldoutShare: 0, exploration: 0, ...settings.decide } },
  }, app.services.newId, now);
  const json = async (res: Response | Promise<Response>) => {
    const r = await res;
    const body = await r.json();
    if (r.status >= 500) throw new Error(`HTTP ${r.status}: ${JSON.stringify(body)}`);
    return { status: r.status, body };
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    json(app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }));
  const admin = (path: string, init: RequestInit = {}) => json(app.request(`/v1/admin${path}`, {
    ...init, headers: { authorization: `Bearer ${site.secretKey}`, 'content-type': 'application/json', ...(init.headers as object) },
  }));
  const server = { authorization: `Basic ${Buffer.from(`${site.secretKey}:`).toString('base64')}` };
  /** One number from portable SQL, scoped to this test's site. */
  const count = async (table: string, where = '', params: unknown[] = []) =>
    (await store.query(`SELECT COUNT(*) AS n FROM ${table} WHERE site_id = ?${where ? ` AND ${where}` : ''}`, [site.id, ...params])).rows[0].n as number;
  return {
    app, store, site, post, admin, server, count,
    hash: (userId: string) => userHash(site.secretKey, userId),
    advance: (ms: number) => { now += ms; },
    now: () => now,
  };
}

export type Harness = Awaited<ReturnType<typeof collectorOn>>;

/** An active banner offer for placement `home`, with optional caps. */
export function offer(id: string, extra: Record<string, unknown> = {}) {
  return {
    name: id, placements: ['home'], kind: 'banner', status: 'active', priority: 100,
    content: { en: { title: `Offer ${id}`, link: '/sale' } }, ...extra,
  };
}

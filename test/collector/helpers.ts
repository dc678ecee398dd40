/** A real collector on a real SQLite :memory: store, with a controllable clock. */
import { createCollector, type CollectorOptions } from '../../collector/app.ts';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { createSite } from '../../collector/services/sites.ts';
import type { SiteSettingsInput } from '../../collector/settings.ts';
import { userHash } from '../../collector/http/hmac.ts';

export async function setup(settings: SiteSettingsInput = {}, options: Partial<CollectorOptions> = {}) {
  let now = Date.UTC(2026, 10, 1, 10, 0, 0);
  const store = openSqliteStore(':memory:');
  let seed = 42;
  const app = createCollector({
    store, clock: { now: () => now }, cacheTtlMs: 0,
    random: () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31),
    ...options,
  });
  const site = await createSite(store, { name: 'Test shop', settings: { origins: ['https://shop.example'], ...settings } }, app.services.newId, now);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const admin = (path: string, init: RequestInit = {}) =>
    app.request(`/v1/admin${path}`, { ...init, headers: { authorization: `Bearer ${site.secretKey}`, 'content-type': 'application/json', ...(init.headers as object) } });
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
  return {
    app, store, site, post, admin, basic,
    hash: (userId: string) => userHash(site.secretKey, userId),
    advance: (ms: number) => { now += ms; },
    now: () => now,
  };
}

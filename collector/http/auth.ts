/**
 * Who is calling: a site's public write key (browser: writes events, reads its own decisions)
 * or secret key (shop backend and admin: trusted). Keys arrive as HTTP Basic user (Segment's
 * libraries), as a Bearer token, or as a `writeKey` body field (sendBeacon cannot set headers).
 */
import type { Context } from 'hono';
import type { KeyKind, Site, Store } from '../store/types.ts';
import { TtlCache } from '../services/cache.ts';
import { HttpError } from './errors.ts';

export function keyFromHeaders(c: Context): string | null {
  const h = c.req.header('authorization');
  if (!h) return null;
  const [scheme, value = ''] = h.split(' ', 2);
  if (/^basic$/i.test(scheme)) {
    let decoded = '';
    try { decoded = Buffer.from(value, 'base64').toString('utf8'); } catch { /* falls through to the 401 below */ }
    return decoded.split(':')[0] || null;
  }
  if (/^bearer$/i.test(scheme)) return value.trim() || null;
  return null;
}

export interface Caller { site: Site; kind: KeyKind; trusted: boolean }

export class KeyResolver {
  private cache: TtlCache<{ site: Site; kind: KeyKind } | null>;
  constructor(store: Store, now: () => number, ttlMs = 2000) {
    this.cache = new TtlCache(ttlMs, (key) => store.siteByKey(key, now()), now);
  }
  invalidate() { this.cache.invalidate(); }

  async resolve(key: string | null | undefined): Promise<Caller> {
    if (!key) throw new HttpError(401, 'missing_key', 'no key: send the site write key as HTTP Basic user, Bearer token, or "writeKey" field');
    if (key.length > 100) throw new HttpError(401, 'invalid_key', 'unknown key');
    const found = await this.cache.get(key);
    if (!found) throw new HttpError(401, 'invalid_key', 'unknown key');
    return { site: found.site, kind: found.kind, trusted: found.kind === 'secret' };
  }
}

/** Browser calls must come from one of the site's allowed origins (server calls send no Origin). */
export function checkOrigin(c: Context, site: Site) {
  const origin = c.req.header('origin');
  if (!origin) return;
  if (!site.settings.origins.includes(origin)) {
    throw new HttpError(403, 'origin_not_allowed', `origin ${origin.slice(0, 200)} is not allowed for this site`);
  }
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Vary', 'Origin');
}

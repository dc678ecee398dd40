/**
 * idic browser SDK, ESM entry (`dist/idic.esm.js`).
 *
 * @example
 * import * as idic from 'idic';
 * idic.init({ writeKey: 'wk_…', host: 'https://collect.shop.example', consent: { mode: 'opt-in' } });
 * idic.track('Product Viewed', { product_id: 'p1', category: 'coffee' });
 * idic.on('decisions', (ds) => console.log(ds));
 *
 * Calls made before `init` wait and run, in order, once it is called.
 */
import type { Idic } from './api.ts';
import { createClient } from './client.ts';
import { createProxy, type Method } from './proxy.ts';
import type { DebugStats, InitOptions } from './types.ts';

export type { Idic } from './api.ts';
export type * from './types.ts';
export { createClient, type ClientOptions } from './client.ts';
export { backoff, DEFAULT_RETRY } from './backoff.ts';
export { resolveConsent } from './consent.ts';
export { SNIPPET, SNIPPET_MIN, snippet } from './snippet.ts';

const proxy = createProxy();

/** Counters of the running client: queued, sent, dropped, failures. */
export const debug: DebugStats = { queued: 0, sent: 0, dropped: 0, failures: 0 };

/**
 * Start the SDK once per page; later calls return the running client.
 * @example idic.init({ writeKey: 'wk_…', host: 'https://collect.shop.example', clickTracking: true })
 */
export function init(options: InitOptions): Idic {
  if (!proxy.client()) proxy.start(createClient({ ...options, stats: debug }));
  return proxy.client()!;
}

const later = (name: Method): any => (...args: unknown[]) => proxy.call(name, args);

/** @see Idic.page */
export const page: Idic['page'] = later('page');
/** @see Idic.track */
export const track: Idic['track'] = later('track');
/** @see Idic.identify */
export const identify: Idic['identify'] = later('identify');
/** @see Idic.alias */
export const alias: Idic['alias'] = later('alias');
/** @see Idic.reset */
export const reset: Idic['reset'] = later('reset');
/** @see Idic.offers */
export const offers: Idic['offers'] = later('offers');
/** @see Idic.on */
export const on: Idic['on'] = later('on');
/** @see Idic.consent — before `init` it resolves once `init` ran. */
export const consent: Idic['consent'] = later('consent');
/** @see Idic.loyalty */
export const loyalty: Idic['loyalty'] = later('loyalty');
/** @see Idic.redeem */
export const redeem: Idic['redeem'] = later('redeem');
/** @see Idic.flush */
export const flush: Idic['flush'] = later('flush');

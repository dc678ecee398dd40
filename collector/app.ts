/**
 * The collector as a Hono app, built by a factory that takes its store and settings, so tests
 * call `app.request()` against a real SQLite `:memory:` store with no port.
 *
 * @example
 * const store = openSqliteStore(':memory:');
 * const app = createCollector({ store });
 * const res = await app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ batch, writeKey }) });
 */
import { Hono } from 'hono';
import { newUlidFactory } from './ids.ts';
import { randomBytes } from 'node:crypto';
import type { Store } from './store/types.ts';
import type { Clock, Services } from './services/context.ts';
import { EMPTY_MODEL, type ShopModel } from './models/score.ts';
import { HttpError, respondError } from './http/errors.ts';
import { KeyResolver } from './http/auth.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { siteCaches } from './services/decide.ts';
import { publicRoutes } from './routes/public.ts';
import { loyaltyRoutes, loyaltyTierLookup } from './routes/loyalty.ts';
import { adminRoutes } from './routes/admin.ts';
import { identityRoutes } from './routes/identity.ts';
import { TtlCache } from './services/cache.ts';
import { Metrics, countRequests, observeStore, opsRoutes, type OpsState } from './ops/index.ts';
import { differentiateRoutes } from './routes/differentiate.ts';
import { consoleRoutes } from './console/routes.ts';
import { sdkFiles } from './routes/sdk-files.ts';

export interface CollectorOptions {
  store: Store;
  clock?: Clock;
  newId?: () => string;
  random?: () => number;
  /** Signs decision bundles; random per process unless set (set it when running many instances). */
  signingKey?: string;
  /** How long offers, keys and counters may be cached in memory (ms). */
  cacheTtlMs?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface Collector extends Hono {
  services: Services;
  /** Replace a site's fitted model (the background refit calls this). */
  setModel(siteId: string, model: ShopModel): void;
  /** Metrics and the readiness state the server flips when it drains (collector/ops/). */
  ops: { metrics: Metrics; state: OpsState };
}

export function createCollector(options: CollectorOptions): Collector {
  const clock = options.clock ?? { now: () => Date.now() };
  const models = new Map<string, ShopModel>();
  /** When this process last set a site's model (its own refit): a stored model fitted before is older. */
  const setAt = new Map<string, number>();
  const metrics = new Metrics();
  // Re-read every minute: a model fitted by another instance or by `idic fit` reaches this one.
  const modelLoader = new TtlCache<ShopModel>(60_000, async (siteId) => {
    const stored = (await options.store.getShopModel(siteId)) ?? EMPTY_MODEL;
    const fittedAt = (stored as { fit?: { at?: number } }).fit?.at ?? 0;
    if (!models.has(siteId) || fittedAt > (setAt.get(siteId) ?? -Infinity)) models.set(siteId, stored);
    return stored;
  });
  const svc: Services = {
    store: observeStore(options.store, metrics),
    clock,
    newId: options.newId ?? newUlidFactory(),
    random: options.random ?? Math.random,
    model: (siteId) => {
      void modelLoader.get(siteId);
      return models.get(siteId) ?? EMPTY_MODEL;
    },
    signingKey: options.signingKey ?? randomBytes(32).toString('hex'),
  };
  const ttl = options.cacheTtlMs ?? 2000;
  const keys = new KeyResolver(options.store, clock.now, ttl);
  const caches = siteCaches(options.store, ttl);
  const limiter = new RateLimiter();
  const log = options.log ?? ((e) => console.error(JSON.stringify(e)));
  const origins = new TtlCache<Set<string>>(ttl, async () => new Set((await options.store.listSites()).flatMap((s) => s.settings.origins)));

  const app = new Hono() as unknown as Collector;
  app.services = svc;
  app.setModel = (siteId, model) => {
    models.set(siteId, model);
    setAt.set(siteId, clock.now());
  };
  app.ops = { metrics, state: { draining: false } };
  app.use('*', countRequests(metrics));

  app.onError(async (err, c) => {
    // A refusal made before the caller's site is known (bad JSON, too large, no key) must still
    // be readable by a shop's page: unread, the SDK takes it for a network failure and retries a
    // batch that can never pass. Any origin some site allows may read it; it carries no data.
    const origin = c.req.header('origin');
    if (origin && c.req.path.startsWith('/v1/') && (await origins.get('all').catch(() => new Set<string>())).has(origin)) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    if (err instanceof HttpError) return respondError(c, err);
    log({ level: 'error', msg: 'unhandled error', path: c.req.path, error: String((err as Error)?.stack ?? err) });
    return c.json({ error: { code: 'internal', message: 'internal error; writes this request had not committed were rolled back' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  // CORS preflight: allowed when the origin belongs to some site; each request then checks its own site.
  app.options('/v1/*', async (c) => {
    const origin = c.req.header('origin');
    if (!origin || !(await origins.get('all')).has(origin)) {
      return c.json({ error: { code: 'origin_not_allowed', message: `origin ${(origin ?? '(none)').slice(0, 200)} is not allowed by any site` } }, 403);
    }
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': origin, 'Vary': 'Origin', 'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
      'Access-Control-Allow-Headers': 'content-type, authorization', 'Access-Control-Max-Age': '86400',
    });
  });

  app.route('/', opsRoutes(options.store, metrics, app.ops.state));
  // Loyalty before public: its wrapper around /v1/decide fills loyalty prompts' figures.
  app.route('/', loyaltyRoutes({ svc, keys, limiter }));
  app.route('/', publicRoutes({ svc, keys, limiter, caches, loyaltyTier: loyaltyTierLookup(svc, ttl) }));
  app.route('/v1/admin', adminRoutes({ svc, keys, caches }));
  app.route('/v1/admin', differentiateRoutes({ svc, keys, setModel: app.setModel }));
  app.route('/v1/admin', identityRoutes({ svc, keys }));
  app.route('/', consoleRoutes({ svc, keys, caches, setModel: app.setModel }));
  sdkFiles(app);
  return app;
}

/**
 * Operations endpoints for load balancers and monitoring:
 * - `GET /health` — liveness: the process answers (restart it if not);
 * - `GET /ready` — readiness: the store answers and every migration is applied, and the
 *   process is not shutting down (take it out of rotation if not);
 * - `GET /metrics` — Prometheus text format.
 */
import { Hono } from 'hono';
import type { Store } from '../store/types.ts';
import { FEATURE_MIGRATIONS } from '../store/schema/index.ts';
import type { Metrics } from './metrics.ts';

export interface OpsState {
  /** Set on SIGTERM: /ready answers 503 so the load balancer stops sending new requests. */
  draining: boolean;
}

/** Store reachable and schema complete. Stores may answer themselves (PostgreSQL's `ready()`). */
export async function storeReady(store: Store): Promise<boolean> {
  const own = (store as { ready?: () => Promise<boolean> }).ready;
  if (typeof own === 'function') return own.call(store);
  try {
    const { rows } = await store.query('SELECT version FROM schema_migrations');
    const have = new Set(rows.map((r) => Number(r.version)));
    return have.has(1) && FEATURE_MIGRATIONS.every((m) => have.has(m.version));
  } catch {
    return false;
  }
}

export function opsRoutes(store: Store, metrics: Metrics, state: OpsState) {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/ready', async (c) => {
    if (state.draining) return c.json({ ready: false, reason: 'shutting down' }, 503);
    const ok = await Promise.race([storeReady(store), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
    // SIGTERM may have come while the store answered: never report ready once draining.
    if (state.draining) return c.json({ ready: false, reason: 'shutting down' }, 503);
    return ok ? c.json({ ready: true }) : c.json({ ready: false, reason: 'store unreachable or migrations missing' }, 503);
  });
  app.get('/metrics', (c) => {
    const mem = process.memoryUsage();
    return c.body(metrics.render({ rssBytes: mem.rss, heapBytes: mem.heapUsed }), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return app;
}

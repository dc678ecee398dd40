/**
 * Request observation: metrics per route group, one structured JSON log line per request
 * (method, path, status, ms), and a store wrapper that counts stored events only once their
 * transaction has committed (a retried transaction counts once).
 */
import type { MiddlewareHandler } from 'hono';
import type { Store, Tx, WriteOptions } from '../store/types.ts';
import { routeGroup, type Metrics } from './metrics.ts';

export type Log = (entry: Record<string, unknown>) => void;

/** What to log: `IDIC_LOG=info` (default, every request), `error` (only 5xx), `off`. */
export type LogLevel = 'info' | 'error' | 'off';

/** Metrics per route group and the in-flight gauge; the app mounts it before every route. */
export function countRequests(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    metrics.inFlight++;
    try {
      await next();
    } finally {
      metrics.inFlight--;
      metrics.request(routeGroup(c.req.method, c.req.path), c.res?.status ?? 500, performance.now() - start);
    }
  };
}

/**
 * One JSON line per request, written by the server around `app.fetch` (so `app.request()` in
 * tests stays quiet): `{"level":"info","msg":"request","method":"POST","path":"/v1/batch","status":200,"ms":3.1}`.
 */
export function logRequest(log: Log, level: LogLevel, method: string, path: string, status: number, ms: number) {
  if (level === 'off' || (level === 'error' && status < 500)) return;
  log({ level: status >= 500 ? 'error' : 'info', msg: 'request', method, path, status, ms: Math.round(ms * 100) / 100 });
}

/**
 * The same store, with `write` counting new and duplicate events after commit and tracking
 * transactions in flight. Every other member is the store's own.
 */
export function observeStore<S extends Store>(store: S, metrics: Metrics): S {
  const write = async <T>(fn: (tx: Tx) => Promise<T>, options?: WriteOptions): Promise<T> => {
    let accepted = 0;
    let duplicates = 0;
    let attempts = 0;
    metrics.writesInFlight++;
    try {
      const result = await store.write((tx) => {
        // A retried transaction starts its counts again.
        if (attempts++ > 0) metrics.writeRetries++;
        accepted = duplicates = 0;
        const counted: Tx = {
          ...tx,
          countIngested: (a, d) => {
            accepted += a;
            duplicates += d;
          },
        };
        return fn(counted);
      }, options);
      metrics.eventsAccepted += accepted;
      metrics.eventsDuplicate += duplicates;
      return result;
    } finally {
      metrics.writesInFlight--;
    }
  };
  return new Proxy(store, { get: (target, key, receiver) => (key === 'write' ? write : Reflect.get(target, key, receiver)) });
}

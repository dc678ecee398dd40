/** Health, readiness, metrics and structured request logs for running many instances. */
export { Metrics, routeGroup, LATENCY_BUCKETS } from './metrics.ts';
export { countRequests, logRequest, observeStore, type Log, type LogLevel } from './observe.ts';
export { opsRoutes, storeReady, type OpsState } from './routes.ts';

/** `IDIC_LOG` → level; anything unknown means the default, one line per request. */
export function logLevelFrom(value: string | undefined): 'info' | 'error' | 'off' {
  return value === 'off' || value === 'error' ? value : 'info';
}

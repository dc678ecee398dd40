/** Review of collector/ops: route groups for CORS preflights, readiness racing a drain. */
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { collectorOn, ORIGIN } from '../store/harness.ts';
import { metricValues } from '../support/metrics.ts';

describe('ops review', () => {
  it('counts CORS preflights as preflight, not as decisions or ingest (decide latency is the SLO histogram)', async () => {
    const h = await collectorOn(openSqliteStore(':memory:'));
    for (const path of ['/v1/decide', '/v1/batch', '/v1/track']) {
      const res = await h.app.request(path, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
      expect(res.status).toBe(204);
    }
    const value = metricValues(await (await h.app.request('/metrics')).text());
    expect(value('idic_http_requests_total{route="preflight",status="204"}')).toBe(3);
    expect(value('idic_http_request_duration_seconds_count{route="decide"}')).toBeNaN();
    expect(value('idic_http_request_duration_seconds_count{route="ingest_batch"}')).toBeNaN();
    expect(value('idic_http_request_duration_seconds_count{route="ingest_single"}')).toBeNaN();
  });

  it('answers 503 to a readiness probe whose store check was still running when draining began', async () => {
    const store = openSqliteStore(':memory:');
    const h = await collectorOn(store);
    let answer!: (ok: boolean) => void;
    (store as unknown as { ready: () => Promise<boolean> }).ready = () => new Promise<boolean>((r) => (answer = r));
    const probe = h.app.request('/ready');
    await new Promise((r) => setTimeout(r, 10));
    h.app.ops.state.draining = true; // SIGTERM arrives while the store is still answering
    answer(true);
    const res = await probe;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, reason: 'shutting down' });
  });
});

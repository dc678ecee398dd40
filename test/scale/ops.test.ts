import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { collectorOn } from '../store/harness.ts';
import { logRequest } from '../../collector/ops/observe.ts';
import { listen } from '../../collector/server.ts';
import { metricValues, scrapeMetrics } from '../support/metrics.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, startInstance } from './processes.ts';

describe('health, readiness and metrics', () => {
  it('answers liveness and readiness, and stops being ready while draining or without its schema', async () => {
    const store = openSqliteStore(':memory:');
    const h = await collectorOn(store);
    expect((await h.app.request('/health')).status).toBe(200);
    expect(await (await h.app.request('/ready')).json()).toEqual({ ready: true });
    h.app.ops.state.draining = true;
    expect((await h.app.request('/ready')).status).toBe(503);
    h.app.ops.state.draining = false;
    store.db.exec('DELETE FROM schema_migrations WHERE version = 1');
    const res = await h.app.request('/ready');
    expect([res.status, (await res.json()).reason]).toEqual([503, 'store unreachable or migrations missing']);
  });

  it('exports ingest counts, decide latency, in-flight gauge and errors in Prometheus text format', async () => {
    const h = await collectorOn(openSqliteStore(':memory:'));
    const batch = [{ type: 'page', anonymousId: 'a', messageId: '1' }, { type: 'page', anonymousId: 'a', messageId: '2' }];
    await h.post('/v1/batch', { batch, writeKey: h.site.writeKey });
    await h.post('/v1/batch', { batch, writeKey: h.site.writeKey });
    await h.post('/v1/decide', { anonymousId: 'a', placements: ['home'], writeKey: h.site.writeKey });
    await h.post('/v1/batch', { batch: 'nope', writeKey: h.site.writeKey });
    const text = await (await h.app.request('/metrics')).text();
    const value = metricValues(text);
    expect(value('idic_events_ingested_total')).toBe(2);
    expect(value('idic_events_duplicate_total')).toBe(2);
    expect(value('idic_http_requests_total{route="ingest_batch",status="200"}')).toBe(2);
    expect(value('idic_http_requests_total{route="ingest_batch",status="400"}')).toBe(1);
    expect(value('idic_http_request_duration_seconds_count{route="decide"}')).toBe(1);
    expect(value('idic_http_request_duration_seconds_bucket{route="decide",le="+Inf"}')).toBe(1);
    // The /metrics request itself is in flight while it renders.
    expect(value('idic_http_requests_in_flight')).toBe(1);
    expect(value('idic_http_errors_total')).toBe(0);
    expect(text).toMatch(/# TYPE idic_http_request_duration_seconds histogram/);
  });

  it('reports the runtime\'s GC pauses and event-loop delay while serving, the delay since the last scrape', async () => {
    const h = await collectorOn(openSqliteStore(':memory:'));
    const running = await listen(h.app, null, { port: 0, log: () => {} });
    try {
      const scrape = () => scrapeMetrics(running.url);
      await scrape();
      // Block the loop with short-lived garbage: young-generation scavenges run, and timers fall behind.
      const t0 = performance.now();
      let kept = 0;
      while (performance.now() - t0 < 200) kept += [kept, { kept }].length;
      const blockedS = (performance.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 50));
      const after = await scrape();
      expect(after('nodejs_gc_duration_seconds_count{kind="minor"}')).toBeGreaterThan(0);
      expect(after('nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(blockedS / 2);
      // Each scrape covers the time since the previous one: the block is no longer in it.
      await new Promise((r) => setTimeout(r, 30));
      expect((await scrape())('nodejs_eventloop_lag_max_seconds')).toBeLessThan(blockedS / 2);
    } finally {
      await running.close();
    }
  });

  it('writes one JSON line per request, and only errors at level error', () => {
    const lines: Record<string, unknown>[] = [];
    logRequest((e) => lines.push(e), 'info', 'POST', '/v1/batch', 200, 3.14159);
    logRequest((e) => lines.push(e), 'error', 'POST', '/v1/batch', 200, 1);
    logRequest((e) => lines.push(e), 'error', 'GET', '/v1/decide', 500, 2);
    expect(lines).toEqual([
      { level: 'info', msg: 'request', method: 'POST', path: '/v1/batch', status: 200, ms: 3.14 },
      { level: 'error', msg: 'request', method: 'GET', path: '/v1/decide', status: 500, ms: 2 },
    ]);
  });

  it('writes request lines to stderr in a few writes, not one per request, and the last ones at exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idic-log-'));
    const instance = await startInstance({ IDIC_DB: join(dir, 'log.db'), IDIC_DATABASE_URL: '', IDIC_LOG: 'info' });
    try {
      const lines = () => instance.stderr.join('').split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l));
      for (let i = 0; i < 40; i++) expect((await call(instance.url, 'GET', '/health')).status).toBe(200);
      for (const t0 = Date.now(); lines().length < 40 && Date.now() - t0 < 5000;) await new Promise((r) => setTimeout(r, 20));
      expect(lines()).toHaveLength(40);
      expect(lines()[0]).toMatchObject({ level: 'info', msg: 'request', method: 'GET', path: '/health', status: 200 });
      // 40 requests one after another: their lines left the process in a handful of writes.
      expect(instance.stderr.length).toBeLessThan(10);
      // Lines still buffered when the process stops are written on its way out.
      await call(instance.url, 'GET', '/no-such-route');
      instance.child.kill('SIGTERM');
      await instance.exited;
      expect(lines().at(-1)).toMatchObject({ path: '/no-such-route', status: 404 });
    } finally {
      instance.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

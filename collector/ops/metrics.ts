/**
 * Prometheus metrics, hand-written text format (version 0.0.4): a few counters, gauges and
 * histograms, no dependency. One `Metrics` per collector process; each instance is scraped
 * on its own and Prometheus sums across instances.
 */

/** Latency buckets in seconds: decide's target is p99 ≤ 8 ms, so the fine buckets sit there. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1, 2.5];

export class Histogram {
  counts: number[];
  sum = 0;
  n = 0;
  constructor(readonly buckets: number[]) { this.counts = buckets.map(() => 0); }
  observe(v: number) {
    this.sum += v;
    this.n++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]) { this.counts[i]++; break; }
  }
  /** Cumulative bucket counts, as the exposition format wants them. */
  lines(name: string, labels: string): string[] {
    const out: string[] = [];
    let acc = 0;
    this.buckets.forEach((b, i) => {
      acc += this.counts[i];
      out.push(`${name}_bucket{${labels}${labels ? ',' : ''}le="${b}"} ${acc}`);
    });
    out.push(`${name}_bucket{${labels}${labels ? ',' : ''}le="+Inf"} ${this.n}`);
    out.push(`${name}_sum${labels ? `{${labels}}` : ''} ${this.sum}`);
    out.push(`${name}_count${labels ? `{${labels}}` : ''} ${this.n}`);
    return out;
  }
}

export class Metrics {
  private requests = new Map<string, number>();
  private durations = new Map<string, Histogram>();
  inFlight = 0;
  writesInFlight = 0;
  errors = 0;
  eventsAccepted = 0;
  eventsDuplicate = 0;
  writeRetries = 0;
  /** The runtime's GC pauses and event-loop delay (ops/runtime.ts), when the server watches them. */
  runtime?: { lines(): string[] };

  /** One finished request: its route group, status and duration in ms. */
  request(route: string, status: number, ms: number) {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (status >= 500) this.errors++;
    let h = this.durations.get(route);
    if (!h) this.durations.set(route, (h = new Histogram(LATENCY_BUCKETS)));
    h.observe(ms / 1000);
  }

  /** The exposition text for GET /metrics. */
  render(extra: { rssBytes?: number; heapBytes?: number } = {}): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    metric('idic_http_requests_total', 'counter', 'HTTP requests by route group and status.',
      [...this.requests].map(([k, v]) => `idic_http_requests_total{${k}} ${v}`));
    metric('idic_http_request_duration_seconds', 'histogram', 'Request latency by route group (decide, ingest, admin, …).',
      [...this.durations].flatMap(([route, h]) => h.lines('idic_http_request_duration_seconds', `route="${route}"`)));
    metric('idic_http_requests_in_flight', 'gauge', 'Requests being handled now (the request queue depth).', [`idic_http_requests_in_flight ${this.inFlight}`]);
    metric('idic_store_writes_in_flight', 'gauge', 'Store transactions open or waiting now.', [`idic_store_writes_in_flight ${this.writesInFlight}`]);
    metric('idic_store_write_retries_total', 'counter', 'Transactions retried after a deadlock or serialization failure.', [`idic_store_write_retries_total ${this.writeRetries}`]);
    metric('idic_http_errors_total', 'counter', 'Responses with status 5xx.', [`idic_http_errors_total ${this.errors}`]);
    metric('idic_events_ingested_total', 'counter', 'Events stored (new, committed).', [`idic_events_ingested_total ${this.eventsAccepted}`]);
    metric('idic_events_duplicate_total', 'counter', 'Events acknowledged as duplicates and not stored again.', [`idic_events_duplicate_total ${this.eventsDuplicate}`]);
    if (extra.rssBytes !== undefined) metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [`process_resident_memory_bytes ${extra.rssBytes}`]);
    if (extra.heapBytes !== undefined) metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, bytes.', [`nodejs_heap_used_bytes ${extra.heapBytes}`]);
    if (this.runtime) out.push(...this.runtime.lines());
    return out.join('\n') + '\n';
  }
}

/** Route groups keep label cardinality fixed: ids in paths never become label values. */
export function routeGroup(method: string, path: string): string {
  // First: a CORS preflight to /v1/decide is not a decision (nor one to /v1/batch an ingest).
  if (method === 'OPTIONS') return 'preflight';
  if (path === '/v1/decide') return 'decide';
  if (path === '/v1/batch') return 'ingest_batch';
  if (/^\/v1\/(track|identify|page|screen|group|alias)$/.test(path)) return 'ingest_single';
  if (path.startsWith('/v1/admin/')) return 'admin';
  if (path === '/health' || path === '/ready' || path === '/metrics') return 'ops';
  return 'other';
}

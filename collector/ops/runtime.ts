/**
 * The Node runtime's own pauses, for /metrics: garbage-collection pauses by kind and event-loop
 * delay (how late the loop runs what is due). A latency target in milliseconds has to be read
 * against these — a 4 ms scavenge delays every request that overlaps it, whatever the request
 * itself costs. Names follow prom-client's Node defaults so existing dashboards read them.
 *
 * Started by the server (`listen`), not by the app: tests build many apps, and an observer is
 * process-wide.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Histogram } from './metrics.ts';

/** GC pause buckets in seconds: a young-generation scavenge takes ~1–6 ms on a small VM. */
const GC_BUCKETS = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 1];

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export interface RuntimeWatch {
  /** Exposition lines; the event-loop figures cover the time since the previous call. */
  lines(): string[];
  stop(): void;
}

export function watchRuntime(): RuntimeWatch {
  const pauses = new Map<string, Histogram>();
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      const kind = GC_KINDS[e.detail?.kind ?? -1] ?? 'other';
      let h = pauses.get(kind);
      if (!h) pauses.set(kind, (h = new Histogram(GC_BUCKETS)));
      h.observe(e.duration / 1000);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  // 1 ms resolution: the loop's delay is sampled by a timer this often (an unref'd libuv timer).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();

  return {
    lines() {
      const s = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
      const lag = [
        ['nodejs_eventloop_lag_p50_seconds', s(delay.percentile(50))],
        ['nodejs_eventloop_lag_p99_seconds', s(delay.percentile(99))],
        ['nodejs_eventloop_lag_max_seconds', s(delay.max)],
      ] as const;
      delay.reset();
      return [
        '# HELP nodejs_gc_duration_seconds Garbage collection pauses by kind (minor: young-generation scavenge).',
        '# TYPE nodejs_gc_duration_seconds histogram',
        ...[...pauses].flatMap(([kind, h]) => h.lines('nodejs_gc_duration_seconds', `kind="${kind}"`)),
        ...lag.flatMap(([name, v]) => [`# HELP ${name} Event-loop delay since the previous scrape.`, `# TYPE ${name} gauge`, `${name} ${v}`]),
      ];
    },
    stop() {
      gc.disconnect();
      delay.disable();
    },
  };
}

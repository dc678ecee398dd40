/**
 * Ingest throughput against the embedded store, beside a Hono hello-world served the same way in
 * the same run. Durable: every event is committed to SQLite (WAL) with its profile updated
 * before the 2xx. Load comes from wrk in a second process.
 *
 *   npx tsx test/bench/ingest.ts [--seconds 8] [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { freePort } from '../support/ports.ts';
import { buildCollector, cpuMs, hasWrk, helloScript, profileArgs, ingestScript, median, runWrk, startProcess } from './wrk.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, runs: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
const runs = Number(values.runs);

if (!hasWrk()) {
  console.error('wrk is not installed: apt-get install -y wrk');
  process.exit(2);
}
const cli = await buildCollector();

const dir = mkdtempSync(join(tmpdir(), 'idic-bench-'));
const db = join(dir, 'bench.db');
const site = JSON.parse(execFileSync(process.execPath, [cli, 'site', 'create', '--name', 'bench', '--origin', 'https://shop.example', '--db', db, '--json'], { encoding: 'utf8' }));
// Benchmarks measure throughput, not the per-key rate limit.
const conn = new Database(db);
const settings = JSON.parse((conn.prepare('SELECT settings FROM sites').get() as { settings: string }).settings);
conn.prepare('UPDATE sites SET settings = ?').run(JSON.stringify({ ...settings, rateLimit: { perSecond: 1e9, burst: 1e9, perClientPerSecond: 1e9, perClientBurst: 1e9 } }));
conn.close();

const helloPort = await freePort();
const collectorPort = await freePort();
const hello = await startProcess(['--import', 'tsx', 'test/bench/hello.ts', String(helloPort)], 'hello listening');
const collector = await startProcess([...profileArgs(), cli, 'serve', '--db', db, '--port', String(collectorPort)], 'collector listening');

const rows: Record<string, number[]> = { hello: [], single: [], batch: [], visitor: [] };
const lat: Record<string, number[]> = { hello: [], single: [], batch: [], visitor: [] };
// Server CPU per event (µs): steadier than throughput when other work shares the machine.
const cpu: Record<string, number[]> = { hello: [], single: [], batch: [], visitor: [] };
try {
  for (let r = 0; r < runs; r++) {
    // Interleave the four so machine noise hits each alike.
    const measured = (pid: number | undefined, events: number, key: string, run: () => ReturnType<typeof runWrk>) => {
      const before = cpuMs(pid);
      const r = run();
      cpu[key].push(((cpuMs(pid) - before) * 1000) / (r.requestsPerSec * seconds * events));
      return r;
    };
    const h = measured(hello.pid, 1, 'hello', () => runWrk(`http://127.0.0.1:${helloPort}/hello`, helloScript(), seconds));
    const s = measured(collector.pid, 1, 'single', () => runWrk(`http://127.0.0.1:${collectorPort}/v1/track`, ingestScript(site.writeKey, 1, '/v1/track'), seconds));
    const b = measured(collector.pid, 100, 'batch', () => runWrk(`http://127.0.0.1:${collectorPort}/v1/batch`, ingestScript(site.writeKey, 100, '/v1/batch'), seconds, 4));
    const v1 = measured(collector.pid, 100, 'visitor', () => runWrk(`http://127.0.0.1:${collectorPort}/v1/batch`, ingestScript(site.writeKey, 100, '/v1/batch', true), seconds, 4));
    for (const [k, v] of [['hello', h], ['single', s], ['batch', b], ['visitor', v1]] as const) {
      if (v.non2xx) throw new Error(`${k}: ${v.non2xx} non-2xx answers`);
      rows[k].push(v.requestsPerSec);
      lat[k].push(v.p99ms);
    }
  }
} finally {
  collector.kill('SIGTERM');
  hello.kill('SIGTERM');
}
await new Promise((r) => collector.once('exit', r));
const stored = (new Database(db, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

const helloRps = median(rows.hello);
const singleRps = median(rows.single);
const batchEps = median(rows.batch) * 100;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`\nIngest on the embedded SQLite store — median of ${runs} runs × ${seconds}s, wrk 1 thread, this machine (${(await import('node:os')).cpus().length} cores)\n`);
console.table([
  { scenario: 'Hono hello-world POST (ceiling)', 'requests/s': fmt(helloRps), 'events/s': '—', 'p99 ms': median(lat.hello).toFixed(2), 'server CPU µs/event': median(cpu.hello).toFixed(1), 'vs hello-world': '1.00', target: '' },
  { scenario: 'single event per request (/v1/track)', 'requests/s': fmt(singleRps), 'events/s': fmt(singleRps), 'p99 ms': median(lat.single).toFixed(2), 'server CPU µs/event': median(cpu.single).toFixed(1), 'vs hello-world': (singleRps / helloRps).toFixed(2), target: '≥ 0.60 of hello-world' },
  { scenario: 'batches of 100, 100 visitors each (/v1/batch)', 'requests/s': fmt(median(rows.batch)), 'events/s': fmt(batchEps), 'p99 ms': median(lat.batch).toFixed(2), 'server CPU µs/event': median(cpu.batch).toFixed(1), 'vs hello-world': `${(batchEps / helloRps).toFixed(2)} ev/req`, target: '≥ 100,000 events/s' },
  { scenario: 'batches of 100, one visitor each (SDK shape)', 'requests/s': fmt(median(rows.visitor)), 'events/s': fmt(median(rows.visitor) * 100), 'p99 ms': median(lat.visitor).toFixed(2), 'server CPU µs/event': median(cpu.visitor).toFixed(1), 'vs hello-world': `${((median(rows.visitor) * 100) / helloRps).toFixed(2)} ev/req`, target: '≥ 100,000 events/s' },
]);
console.log(`events stored durably: ${fmt(stored)} (every acknowledged event, profile updated in the same transaction)`);
// This machine's speed drifts (the same hello-world has run anywhere from 14k to 31k req/s in one day): events
// per hello-world request ("ev/req") puts runs side by side; this is what 100,000 events/s needs at this run's rate.
console.log(`100,000 events/s at this run's hello-world rate = ${(100_000 / helloRps).toFixed(2)} ev/req`);

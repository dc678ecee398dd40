/**
 * Scale-out benchmark: real collector processes (`idic serve`) on SQLite and PostgreSQL, driven
 * over keep-alive HTTP from this process, beside a Hono hello-world on the same server stack.
 *
 *   npx tsx test/bench/scale.ts            # 10^4, 10^5, 10^6 profiles, 5 s per run
 *   npx tsx test/bench/scale.ts --quick    # 10^4 and 10^5 only, 3 s per run
 *   options: --sizes=1e4,1e6  --only=sqlite|postgres  --rate=100 (decides/s)  --seconds=5  --decide-only
 *            --pg-params=synchronous_commit=off (connection parameters for the collectors only)
 *
 * Decide latency is measured open loop: requests leave at a fixed rate (default 100/s) and each
 * latency counts from its intended send time, so the figures are the server's at that load,
 * not the queueing a closed loop of N requests in flight builds up by itself (a closed loop's
 * throughput is reported on its own row). "server CPU µs" is the collector process's own CPU
 * time per decide, from /proc: the cost the 2-core machine pays, whatever else runs on it; "waiting
 * for a CPU" is the share of the run the collector's event loop was runnable but not running
 * (other processes had the cores) — latency the server did not cause, so read p99 beside it.
 * On PostgreSQL every decide commits (it records the decision), so "one-row commit" — a plain
 * INSERT's COMMIT waiting for the WAL flush on this disk — is a floor no query change goes under.
 *
 * PostgreSQL: IDIC_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a
 * fresh schema dropped afterwards. Profiles are seeded with bulk SQL, not through HTTP.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { openPostgresStore } from '../../collector/store/postgres/index.ts';
import { createCollector } from '../../collector/app.ts';
import { createSite } from '../../collector/services/sites.ts';
import type { Store, Site } from '../../collector/store/types.ts';
import { offerInput } from '../../collector/offers/schema.ts';
import { startInstance, type Instance } from '../scale/processes.ts';
import { scrapeMetrics } from '../support/metrics.ts';
import { cpuSeconds, runQueueWaitMs, load, openLoad, percentile, seedPostgres, seedSqlite, type ProfileTemplate } from './scale-load.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const SECONDS = Number(arg('seconds') ?? (quick ? 3 : 5));
const SIZES = arg('sizes')?.split(',').map(Number) ?? (process.argv.includes('--tiny') ? [10_000] : quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]);
const ONLY = arg('only');
const RATE = Number(arg('rate') ?? 100);
const DECIDE_ONLY = process.argv.includes('--decide-only');
const PG_URL = process.env.IDIC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Extra connection parameters for the collectors only, e.g. --pg-params=synchronous_commit=off. */
const PG_PARAMS = new URLSearchParams(arg('pg-params') ?? '');
const newId = monotonicFactory();
const results = new Map<string, Record<string, number>>();
const put = (row: string, col: string, v: number) => results.set(row, { ...results.get(row), [col]: v });
const say = (s: string) => process.stderr.write(s + '\n');

interface Backend {
  name: 'sqlite' | 'postgres';
  env: Record<string, string>;
  site: Site;
  seed(to: number): Promise<void>;
  /** p50/p99 ms of a one-row committed transaction: the floor under every decide (it records one). */
  commitFloor(): Promise<{ p50: number; p99: number } | null>;
  /** Processes outside the collector doing its work: the PostgreSQL backends serving it. */
  helpers(): Promise<number[]>;
  close(): Promise<void>;
}

/** A site with 20 active offers and one real profile row to copy. */
async function prepare(store: Store): Promise<{ site: Site; template: ProfileTemplate }> {
  const now = Date.now();
  const site = await createSite(store, { name: 'bench', settings: { rateLimit: { perSecond: 1e9, burst: 1e9, perClientPerSecond: 1e9, perClientBurst: 1e9 } as any } }, newId, now);
  for (let o = 0; o < 20; o++) {
    const offer = offerInput.parse({ id: `offer-${o}`, name: `Offer ${o}`, placements: ['home'], kind: 'banner', status: 'active', priority: 100 + o,
      content: { en: { title: `Offer ${o}`, link: '/sale' } }, ...(o % 2 ? { target: { tier: ['MVC', 'MGC'] } } : {}) });
    await store.saveOffer(site.id, { ...offer, version: 0, updatedAt: now, updatedBy: 'bench' }, null);
  }
  const app = createCollector({ store, log: () => {} });
  const auth = { authorization: `Basic ${Buffer.from(`${site.secretKey}:`).toString('base64')}`, 'content-type': 'application/json' };
  const batch = [{ type: 'page', anonymousId: 'template', name: 'Home' }, { type: 'track', anonymousId: 'template', event: 'Product Viewed', properties: { category: 'coffee', price: 120000 } }];
  await app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ batch }), headers: auth });
  const [r] = (await store.query("SELECT p.traits, p.stats, p.scores FROM profiles p JOIN identities i ON i.site_id = p.site_id AND i.profile_id = p.id WHERE i.value = 'template'")).rows;
  return { site, template: { traits: r.traits, stats: r.stats, scores: r.scores, at: now } };
}

async function sqliteBackend(dir: string): Promise<Backend> {
  const file = join(dir, 'bench.db');
  const store = openSqliteStore(file);
  const { site, template } = await prepare(store);
  let seeded = 0;
  return {
    name: 'sqlite', env: { IDIC_DB: file, IDIC_DATABASE_URL: '' }, site,
    async seed(to) { seedSqlite(store.db, site.id, template, seeded, to); seeded = to; store.db.exec('PRAGMA analysis_limit = 1000; ANALYZE'); },
    async helpers() { return []; },
    async commitFloor() { return null; }, // synchronous = NORMAL in WAL mode: a commit does not wait for the disk
    async close() { await store.close(); },
  };
}

function withParams(u: URL, params: URLSearchParams): string {
  const v = new URL(u);
  for (const [k, x] of params) v.searchParams.set(k, x);
  return v.toString();
}

async function postgresBackend(): Promise<Backend> {
  const schema = `bench_${Date.now().toString(36)}`;
  const u = new URL(PG_URL);
  u.searchParams.set('search_path', schema);
  const store = await openPostgresStore(u.toString());
  const { site, template } = await prepare(store);
  let seeded = 0;
  return {
    name: 'postgres', env: { IDIC_DATABASE_URL: withParams(u, PG_PARAMS) }, site,
    async seed(to) { await seedPostgres(store.sql, site.id, template, seeded, to); seeded = to; },
    async commitFloor() {
      await store.sql.unsafe('CREATE TABLE IF NOT EXISTS bench_commit_probe (x INTEGER)');
      const ms: number[] = [];
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await store.sql.unsafe('INSERT INTO bench_commit_probe VALUES (1)');
        ms.push(performance.now() - t);
      }
      return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
    },
    async helpers() {
      const rows = await store.sql.unsafe("SELECT pid FROM pg_stat_activity WHERE application_name = 'idic' AND pid <> pg_backend_pid()");
      return rows.map((r) => Number(r.pid));
    },
    async close() { await store.sql.unsafe(`DROP SCHEMA "${schema}" CASCADE`); await store.close(); },
  };
}

const start = (b: Backend, n: number) => Promise.all(Array.from({ length: n }, () => startInstance({ ...b.env, IDIC_LOG: 'error', IDIC_SIGNING_KEY: 'bench' })));
const stop = async (instances: Instance[]) => {
  for (const i of instances) i.child.kill('SIGTERM');
  await Promise.all(instances.map((i) => i.exited));
};

/** Batches of 100 events: 10 customers × 10 events, customers drawn from the seeded ones. */
function ingestBody(tag: string, profiles: number) {
  return (n: number) => {
    const events: string[] = [];
    for (let c = 0; c < 10; c++) {
      const v = `v${Math.floor(Math.random() * profiles)}`;
      for (let e = 0; e < 10; e++) {
        events.push(e % 3 === 0
          ? `{"type":"page","anonymousId":"${v}","messageId":"${tag}-${n}-${c}-${e}","name":"Home"}`
          : `{"type":"track","anonymousId":"${v}","messageId":"${tag}-${n}-${c}-${e}","event":"Product Viewed","properties":{"category":"coffee","price":${e * 1000}}}`);
      }
    }
    return `{"batch":[${events.join(',')}]}`;
  };
}

/**
 * Ingest throughput, and what each event cost: collector CPU and PostgreSQL backend CPU (µs per
 * event, from /proc) — steadier than events/s when other work shares the two cores.
 */
async function ingest(b: Backend, instances: Instance[], profiles: number, tag: string) {
  const auth = { authorization: `Basic ${Buffer.from(`${b.site.secretKey}:`).toString('base64')}` };
  const urls = instances.map((i) => i.url);
  const body = ingestBody(tag, profiles);
  await load(urls, '/v1/batch', auth, (n) => body(1e9 + n), 8 * instances.length, 1); // warm-up: JIT, pool connections
  const pids = instances.map((i) => i.child.pid!);
  const backends = await b.helpers();
  const sum = (ps: number[]) => ps.reduce((s, p) => { try { return s + cpuSeconds(p); } catch { return s; } }, 0);
  const [cpu0, db0] = [sum(pids), sum(backends)];
  const r = await load(urls, '/v1/batch', auth, body, 8 * instances.length, SECONDS);
  const events = r.requests * 100;
  if (r.errors) say(`  ${r.errors} ingest errors ${JSON.stringify(r.statuses)} ${r.sample}`);
  return { rate: events / r.seconds, cpuUs: ((sum(pids) - cpu0) / events) * 1e6, dbCpuUs: ((sum(backends) - db0) / events) * 1e6 };
}

function putIngest(row: string, b: Backend, r: { rate: number; cpuUs: number; dbCpuUs: number }) {
  put(row, b.name, r.rate);
  put(`${row}: collector CPU µs/event`, b.name, r.cpuUs);
  if (b.name === 'postgres') put(`${row}: PostgreSQL backend CPU µs/event`, b.name, r.dbCpuUs);
}

async function decide(b: Backend, instance: Instance, profiles: number) {
  const body = () => `{"anonymousId":"v${Math.floor(Math.random() * profiles)}","placements":["home"],"writeKey":"${b.site.writeKey}"}`;
  const closed = await load([instance.url], '/v1/decide', {}, body, 4, Math.min(2, SECONDS)); // also the warm-up
  const pid = instance.child.pid!;
  const backends = await b.helpers();
  const dbCpu = () => backends.reduce((sum, p) => { try { return sum + cpuSeconds(p); } catch { return sum; } }, 0);
  const h0 = await serverHistogram(instance);
  const [cpu0, db0, wait0, t0] = [cpuSeconds(pid), dbCpu(), runQueueWaitMs(pid), performance.now()];
  const r = await openLoad(instance.url, '/v1/decide', {}, body, RATE, SECONDS);
  const inside = serverPercentileMs(h0, await serverHistogram(instance), 99);
  const cpuUs = ((cpuSeconds(pid) - cpu0) / r.sent) * 1e6;
  const dbCpuUs = ((dbCpu() - db0) / r.sent) * 1e6;
  const waitPct = ((runQueueWaitMs(pid) - wait0) / (performance.now() - t0)) * 100;
  if (r.errors) say(`  ${r.errors} decide errors ${JSON.stringify(r.statuses)} ${r.sample}`);
  return { p50: percentile(r.latenciesMs, 50), p99: percentile(r.latenciesMs, 99), max: percentile(r.latenciesMs, 100), cpuUs, dbCpuUs, waitPct, inside, closedRate: closed.requests / closed.seconds };
}

/** The collector's own decide latency histogram (cumulative counts by bucket bound, seconds). */
async function serverHistogram(instance: Instance): Promise<Map<number, number>> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^idic_http_request_duration_seconds_bucket\{route="decide",le="([^"]+)"\} (\d+)/gm)) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return out;
}

/** The smallest bucket bound (ms) holding `p`% of the decides between two histogram readings. */
function serverPercentileMs(before: Map<number, number>, after: Map<number, number>, p: number): number {
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const [le, n] of after) if (n - (before.get(le) ?? 0) >= (total * p) / 100) return le * 1000;
  return NaN;
}

async function rssMb(instance: Instance) {
  return (await scrapeMetrics(instance.url))('process_resident_memory_bytes') / 1e6;
}

async function helloWorld() {
  const code = `import { serve } from '@hono/node-server'; import { Hono } from 'hono';
    const app = new Hono(); app.post('/', async (c) => { await c.req.text(); return c.json({ success: true }); });
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + i.port })));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((r) => child.stdout!.setEncoding('utf8').on('data', (d: string) => { const m = /"url":"([^"]+)"/.exec(d); if (m) r(m[1]); }));
  const body = ingestBody('hello', 1000);
  const r = await load([url], '/', {}, body, 8, SECONDS);
  child.kill('SIGTERM');
  return r.requests / r.seconds;
}

async function run(b: Backend) {
  say(`${b.name}: seeding ${SIZES[0]} profiles`);
  await b.seed(SIZES[0]);
  for (const n of DECIDE_ONLY ? [] : [1, 2]) {
    const inst = await start(b, n);
    putIngest(`ingest events/s, batches of 100, ${n} instance${n > 1 ? 's' : ''}`, b, await ingest(b, inst, SIZES[0], `i${n}`));
    await stop(inst);
  }
  for (const size of SIZES) {
    const t0 = performance.now();
    await b.seed(size);
    say(`${b.name}: ${size} profiles (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const [inst] = await start(b, 1);
    const d = await decide(b, inst, size);
    const at = size.toExponential(0);
    put(`decide p50 ms @ ${at} profiles, ${RATE}/s open loop`, b.name, d.p50);
    put(`decide p99 ms @ ${at} profiles, ${RATE}/s open loop`, b.name, d.p99);
    put(`decide max ms @ ${at} profiles`, b.name, d.max);
    put(`decide p99 ms inside the collector (≤ bucket) @ ${at}`, b.name, d.inside);
    const floor = await b.commitFloor();
    if (floor) {
      put(`one-row commit p50 ms (WAL flush) @ ${at}`, b.name, floor.p50);
      put(`one-row commit p99 ms (WAL flush) @ ${at}`, b.name, floor.p99);
    }
    put(`decide server CPU µs/req @ ${at}`, b.name, d.cpuUs);
    if (b.name === 'postgres') put(`decide PostgreSQL backend CPU µs/req @ ${at}`, b.name, d.dbCpuUs);
    put(`collector waiting for a CPU, % of time @ ${at}`, b.name, d.waitPct);
    put(`machine load average @ ${at}`, b.name, loadavg()[0]);
    put(`decide req/s closed loop, 4 in flight @ ${at}`, b.name, d.closedRate);
    if (!DECIDE_ONLY) putIngest(`ingest events/s @ ${at} profiles`, b, await ingest(b, [inst], size, `g${size}`));
    put(`collector RSS MB @ ${at} profiles`, b.name, await rssMb(inst));
    await stop([inst]);
  }
}

function print(hello: number) {
  const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
  const rows = [...results].map(([name, r]) => [name, fmt(r.sqlite), fmt(r.postgres), r.sqlite && r.postgres ? (r.postgres / r.sqlite).toFixed(2) : '—']);
  const first = SIZES[0].toExponential(0);
  const last = SIZES.at(-1)!.toExponential(0);
  for (const name of ['sqlite', 'postgres'] as const) {
    const g = (k: string) => results.get(k)?.[name];
    rows.push([`growth ${first}→${last}: decide p99 ×`, '', '', '']);
    rows.at(-1)![name === 'sqlite' ? 1 : 2] = fmt((g(`decide p99 ms @ ${last} profiles, ${RATE}/s open loop`) ?? NaN) / (g(`decide p99 ms @ ${first} profiles, ${RATE}/s open loop`) ?? NaN));
    rows.push([`growth ${first}→${last}: decide server CPU µs/req × (steadier than p99 here)`, '', '', '']);
    rows.at(-1)![name === 'sqlite' ? 1 : 2] = fmt((g(`decide server CPU µs/req @ ${last}`) ?? NaN) / (g(`decide server CPU µs/req @ ${first}`) ?? NaN));
    rows.push([`growth ${first}→${last}: ingest events/s ×`, '', '', '']);
    rows.at(-1)![name === 'sqlite' ? 1 : 2] = fmt((g(`ingest events/s @ ${last} profiles`) ?? NaN) / (g(`ingest events/s @ ${first} profiles`) ?? NaN));
  }
  const merged = new Map<string, string[]>();
  for (const r of rows) merged.set(r[0], merged.has(r[0]) ? merged.get(r[0])!.map((v, i) => v || r[i]) : r);
  const table = [['measure', 'sqlite', 'postgres', 'pg/sqlite'], ...merged.values()];
  const w = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  console.log(table.map((r) => r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ')).join('\n'));
  const i1 = results.get('ingest events/s, batches of 100, 1 instance') ?? {};
  console.log(`\nhello-world (Hono on @hono/node-server, same 100-event body): ${fmt(hello)} req/s = ${fmt(hello * 100)} events/s ceiling`);
  console.log(`ingest / hello-world ceiling: sqlite ${fmt((i1.sqlite ?? NaN) / (hello * 100) * 100)} %, postgres ${fmt((i1.postgres ?? NaN) / (hello * 100) * 100)} %`);
  console.log('targets: ingest ≥ 100,000 events/s (sqlite), ≥ 20,000 (postgres); decide p99 ≤ 8 ms @ 1e+6; RSS ≤ 300 MB @ 1e+6');
}

const dir = mkdtempSync(join(tmpdir(), 'idic-bench-'));
try {
  const hello = await helloWorld();
  if (ONLY !== 'postgres') {
    const sqlite = await sqliteBackend(dir);
    await run(sqlite);
    await sqlite.close();
  }
  if (ONLY !== 'sqlite') try {
    const pg = await postgresBackend();
    try { await run(pg); } finally { await pg.close(); }
  } catch (err) {
    say(`postgres skipped: ${(err as Error).message}`);
  }
  print(hello);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

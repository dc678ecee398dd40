/**
 * Identity benchmark: identify + merge throughput on a real SQLite file (WAL), in process
 * through app.request (no sockets), median of RUNS fresh databases.
 * Run: npx tsx test/bench/identity.ts [customers=200] [events=100]
 *
 * Rows:
 * - identify, already linked (baseline): the ids are known, nothing moves;
 * - identify + merge: an anonymous profile with `events` events joins a known customer
 *   (every row moves, stats and scores are recomputed from the merged history);
 * - admin merge: two known customers with `events` events each become one;
 * - import: customer rows per second through importCustomers (CSV, 1,000-row transactions).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector } from '../../collector/app.ts';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { createSite } from '../../collector/services/sites.ts';
import { userHash } from '../../collector/http/hmac.ts';
import { csvRows } from '../../collector/services/identity-import-parse.ts';
import { importCustomers } from '../../collector/services/identity-import.ts';

const CUSTOMERS = Number(process.argv[2] ?? 200);
const EVENTS = Number(process.argv[3] ?? 100);
const RUNS = 5;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'idic-bench-identity-'));
  const store = openSqliteStore(join(dir, 'bench.db'));
  // A generous rate limit: the benchmark measures the graph, not the limiter.
  const app = createCollector({ store, log: () => {} });
  const site = await createSite(store, { name: 'bench', settings: { rateLimit: { perSecond: 1e9, burst: 1e9, perClientPerSecond: 1e9, perClientBurst: 1e9 } } }, app.services.newId, Date.now());
  const post = (path: string, body: unknown, key = site.writeKey) =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
  const must = async (r: Response | Promise<Response>) => {
    const res = await r;
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  };
  const history = (ids: { anonymousId?: string; userId?: string }, n: number) => Array.from({ length: n }, (_, k) => ({
    ...ids, ...(ids.userId ? { userHash: userHash(site.secretKey, ids.userId) } : {}),
    type: k % 4 === 0 ? 'page' : 'track', name: 'Product', event: k % 4 === 3 ? 'Product Added' : 'Product Viewed',
    properties: { category: ['coffee', 'tea', 'ceramics'][k % 3], price: 50000 + k }, timestamp: Date.now() - (n - k) * 60_000,
  }));
  return {
    app, store, site, post, must, history,
    async close() { await store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

type Row = { name: string; ops: number; ms: number[] };

async function run(): Promise<Record<string, { ops: number; ms: number }>> {
  const b = await fresh();
  const out: Record<string, { ops: number; ms: number }> = {};
  const time = async (name: string, ops: number, fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    out[name] = { ops, ms: performance.now() - t };
  };
  try {
    // Setup: known customers, and an anonymous device with EVENTS events for each.
    for (let i = 0; i < CUSTOMERS; i++) {
      await b.must(b.post('/v1/identify', { userId: `u${i}` }, b.site.secretKey));
      await b.must(b.post('/v1/batch', { batch: b.history({ anonymousId: `anon-${i}` }, EVENTS) }));
    }
    await time('identify + merge', CUSTOMERS, async () => {
      for (let i = 0; i < CUSTOMERS; i++) await b.must(b.post('/v1/identify', { anonymousId: `anon-${i}`, userId: `u${i}`, userHash: userHash(b.site.secretKey, `u${i}`) }));
    });
    await time('identify, already linked', CUSTOMERS, async () => {
      for (let i = 0; i < CUSTOMERS; i++) await b.must(b.post('/v1/identify', { anonymousId: `anon-${i}`, userId: `u${i}`, userHash: userHash(b.site.secretKey, `u${i}`) }));
    });
    // Pairs of known customers, each with EVENTS events, merged by the admin call.
    const pairs = Math.floor(CUSTOMERS / 2);
    for (let i = 0; i < pairs; i++) {
      await b.must(b.post('/v1/batch', { batch: b.history({ userId: `k${i}-a` }, EVENTS) }));
      await b.must(b.post('/v1/batch', { batch: b.history({ userId: `k${i}-b` }, EVENTS) }));
    }
    await time('admin merge (2 known)', pairs, async () => {
      for (let i = 0; i < pairs; i++) await b.must(b.post('/v1/admin/merge', { from: `k${i}-b`, into: `k${i}-a` }, b.site.secretKey));
    });
    const rows = 10_000;
    const csv = ['user_id,email,phone,name,city', ...Array.from({ length: rows }, (_, i) => `imp-${i},imp${i}@example.vn,09${String(10_000_000 + i)},Khách ${i},Hà Nội`)].join('\n');
    await time('import rows (CSV)', rows, async () => {
      const r = await importCustomers(b.app.services, b.site, csvRows((async function* () { for (let i = 0; i < csv.length; i += 65536) yield csv.slice(i, i + 65536); })()));
      if (r.created !== rows) throw new Error(`import created ${r.created}`);
    });
  } finally {
    await b.close();
  }
  return out;
}

const rows = new Map<string, Row>();
for (let r = 0; r < RUNS; r++) {
  for (const [name, v] of Object.entries(await run())) {
    const row = rows.get(name) ?? rows.set(name, { name, ops: v.ops, ms: [] }).get(name)!;
    row.ms.push(v.ms);
  }
}
const baseline = median(rows.get('identify, already linked')!.ms) / rows.get('identify, already linked')!.ops;
console.log(`identity benchmark — ${CUSTOMERS} customers, ${EVENTS} events per anonymous profile, median of ${RUNS} runs (SQLite file, WAL)\n`);
console.log(['scenario'.padEnd(28), 'ops'.padStart(7), 'total ms'.padStart(10), 'ms/op'.padStart(8), 'ops/s'.padStart(9), 'vs baseline'.padStart(12)].join(' '));
for (const r of rows.values()) {
  const ms = median(r.ms);
  const per = ms / r.ops;
  console.log([r.name.padEnd(28), String(r.ops).padStart(7), ms.toFixed(0).padStart(10), per.toFixed(3).padStart(8), Math.round(r.ops / (ms / 1000)).toLocaleString('en').padStart(9), `${(per / baseline).toFixed(1)}×`.padStart(12)].join(' '));
}

/**
 * PostgreSQL ingest in one process, without HTTP: the collector app (app.request) on a fresh
 * schema with 100,000 seeded profiles, batches of 100 events from 10 visitors. Prints what a batch
 * costs — collector CPU and backend CPU per event, WAL bytes per event, socket writes (round
 * trips) and bytes sent per batch — figures that move little with other load on the machine,
 * unlike events/s. KEEP=1 keeps the schema for EXPLAIN.
 *
 *   flock /tmp/idic-bench.lock npx tsx test/bench/scale-inproc.ts [batches=600] [concurrency=8]
 */
import { openPostgresStore } from '../../collector/store/postgres/index.ts';
import { createCollector } from '../../collector/app.ts';
import { createSite } from '../../collector/services/sites.ts';
import { cpuSeconds, seedPostgres } from './scale-load.ts';
import { monotonicFactory } from 'ulid';
import { Socket } from 'node:net';
const writes = { n: 0, bytes: 0 };
const w0 = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, chunk: any, ...rest: any[]) { writes.n++; writes.bytes += chunk?.length ?? 0; return (w0 as any).call(this, chunk, ...rest); } as any;
const N = Number(process.argv[2] ?? 600), C = Number(process.argv[3] ?? 8), PROFILES = 100_000;
const newId = monotonicFactory();
const schema = `h_${Date.now().toString(36)}`;
const store = await openPostgresStore(`postgres://postgres@127.0.0.1:5432/test?search_path=${schema}`);
try {
  const now = Date.now();
  const site = await createSite(store, { name: 'h', settings: { rateLimit: { perSecond: 1e9, burst: 1e9, perClientPerSecond: 1e9, perClientBurst: 1e9 } as any } }, newId, now);
  const app = createCollector({ store, log: () => {} });
  const auth = { authorization: `Basic ${Buffer.from(`${site.secretKey}:`).toString('base64')}`, 'content-type': 'application/json' };
  await app.request('/v1/batch', { method: 'POST', body: JSON.stringify({ batch: [{ type: 'track', anonymousId: 'template', event: 'Product Viewed', properties: { category: 'coffee', price: 1 } }] }), headers: auth });
  const [r] = (await store.query("SELECT p.traits, p.stats, p.scores FROM profiles p JOIN identities i ON i.site_id = p.site_id AND i.profile_id = p.id WHERE i.value = 'template'")).rows;
  if (process.env.KEEP) console.log(`schema kept: ${schema}`);
  await seedPostgres(store.sql, site.id, { traits: r.traits, stats: r.stats, scores: r.scores, at: now }, 0, PROFILES);
  const body = (tag: string, n: number) => {
    const events: string[] = [];
    for (let c = 0; c < 10; c++) {
      const v = `v${Math.floor(Math.random() * PROFILES)}`;
      for (let e = 0; e < 10; e++) events.push(e % 3 === 0
        ? `{"type":"page","anonymousId":"${v}","messageId":"${tag}-${n}-${c}-${e}","name":"Home"}`
        : `{"type":"track","anonymousId":"${v}","messageId":"${tag}-${n}-${c}-${e}","event":"Product Viewed","properties":{"category":"coffee","price":${e * 1000}}}`);
    }
    return `{"batch":[${events.join(',')}]}`;
  };
  const run = async (tag: string, n: number) => {
    let i = 0;
    await Promise.all(Array.from({ length: C }, async () => {
      while (i < n) { const k = i++; const res = await app.request('/v1/batch', { method: 'POST', body: body(tag, k), headers: auth }); if (res.status !== 200) throw new Error(await res.text()); await res.arrayBuffer(); }
    }));
  };
  await run('w', 100);
  const pids = (await store.sql.unsafe("SELECT pid FROM pg_stat_activity WHERE application_name = 'idic' AND pid <> pg_backend_pid()")).map((x) => Number(x.pid));
  const allPg = () => { let s = 0; for (const p of pids) { try { s += cpuSeconds(p); } catch {} } return s; };
  const wal0 = (await store.sql.unsafe('SELECT pg_current_wal_lsn() AS l'))[0].l;
  writes.n = 0; writes.bytes = 0;
  const c0 = process.cpuUsage(), b0 = allPg(), t0 = performance.now();
  await run('m', N);
  const t = (performance.now() - t0) / 1000, c = process.cpuUsage(c0), b = allPg() - b0;
  const wal = (await store.sql.unsafe(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '${wal0}') AS d`))[0].d;
  const ev = N * 100;
  console.log(`events/s ${(ev / t).toFixed(0)}  node CPU µs/event ${(((c.user + c.system) / ev)).toFixed(1)}  backend CPU µs/event ${((b / ev) * 1e6).toFixed(1)}  WAL bytes/event ${(Number(wal) / ev).toFixed(0)}  socket writes/batch ${(writes.n / N).toFixed(1)} bytes/batch ${(writes.bytes / N).toFixed(0)}`);
} finally {
  if (!process.env.KEEP) await store.sql.unsafe(`DROP SCHEMA "${schema}" CASCADE`);
  await store.close();
}

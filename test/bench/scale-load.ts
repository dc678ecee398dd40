/**
 * Load generation and seeding for test/bench/scale.ts: keep-alive HTTP loops in this process
 * (the collectors run as separate processes), and bulk profile seeding with plain SQL.
 */
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { Sql } from '../../collector/store/postgres/sql.ts';

export interface LoadResult { requests: number; errors: number; seconds: number; latenciesMs: number[]; statuses: Record<number, number>; sample?: string }

/**
 * Run `concurrency` request loops against `urls` (round robin) for `seconds`; `body(i)` makes
 * the i-th request body. Latency is measured per request, send to last byte.
 */
export async function load(urls: string[], path: string, headers: Record<string, string>, body: (i: number) => string, concurrency: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let requests = 0;
  let errors = 0;
  let sample: string | undefined;
  const statuses: Record<number, number> = {};
  let i = 0;
  const end = performance.now() + seconds * 1000;
  const one = (url: string, data: string) => new Promise<number>((resolve) => {
    const req = request(url + path, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      if (res.statusCode !== 200 && !sample) res.setEncoding('utf8').on('data', (d: string) => { sample ??= d.slice(0, 300); });
      else res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(data);
  });
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, c) => {
    while (performance.now() < end) {
      const n = i++;
      const t = performance.now();
      const status = await one(urls[(n + c) % urls.length], body(n));
      latenciesMs.push(performance.now() - t);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) requests++;
      else errors++;
    }
  }));
  agent.destroy();
  return { requests, errors, seconds: (performance.now() - start) / 1000, latenciesMs, statuses, sample };
}

export interface OpenLoadResult { sent: number; errors: number; latenciesMs: number[]; serviceMs: number[]; statuses: Record<number, number>; sample?: string }

/**
 * Open-loop load: requests leave at a fixed `rate` per second whatever the server does, and each
 * latency counts from the request's *intended* send time, so a stalled server (or a late timer
 * here) shows up in the figures instead of silently slowing the load down, as a closed loop
 * does. `serviceMs` is from the actual send, for telling the two apart.
 */
export async function openLoad(url: string, path: string, headers: Record<string, string>, body: (i: number) => string, rate: number, seconds: number): Promise<OpenLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const bodies = Array.from({ length: total }, (_, n) => body(n)); // made before the clock starts
  const latenciesMs: number[] = [];
  const serviceMs: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let sample: string | undefined;
  const one = (data: string, due: number) => new Promise<void>((resolve) => {
    const sent = performance.now();
    const done = (status: number) => {
      const t = performance.now();
      latenciesMs.push(t - due);
      serviceMs.push(t - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) errors++;
      resolve();
    };
    const req = request(url + path, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      if (res.statusCode !== 200 && !sample) res.setEncoding('utf8').on('data', (d: string) => { sample ??= d.slice(0, 300); });
      else res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0));
    req.end(data);
  });
  const pending: Promise<void>[] = [];
  const start = performance.now() + 5;
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(one(bodies[n], due));
  }
  await Promise.all(pending);
  agent.destroy();
  return { sent: total, errors, latenciesMs, serviceMs, statuses, sample };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * Milliseconds a process's main thread has spent runnable but waiting for a CPU (/proc schedstat):
 * when other work on the machine delays the event loop, latency grows that the server did not cause.
 */
export function runQueueWaitMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A stored profile row to copy: the same figures for every seeded customer. */
export interface ProfileTemplate { traits: string; stats: string; scores: string; at: number }

/**
 * Grow the site's seeded profiles `p<i>` (identity anonymous `v<i>`) from `from` to `to` in SQLite:
 * one INSERT … SELECT over a counting CTE per table and chunk, so SQLite loops, not JavaScript.
 */
export function seedSqlite(db: Database.Database, siteId: string, t: ProfileTemplate, from: number, to: number) {
  // CAST: better-sqlite3 binds JS numbers as REAL, and 'p' || 1.0 is 'p1.0'.
  const numbers = 'WITH RECURSIVE g(n) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT n + 1 FROM g WHERE n < ?)';
  const p = db.prepare(`INSERT OR IGNORE INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at)
    ${numbers} SELECT ?, 'p' || n, NULL, ?, ?, ?, ?, ? FROM g`);
  const i = db.prepare(`INSERT OR IGNORE INTO identities (site_id, kind, value, profile_id, created_at)
    ${numbers} SELECT ?, 'anonymous', 'v' || n, 'p' || n, ? FROM g`);
  const chunk = db.transaction((a: number, b: number) => {
    p.run(a, b, siteId, t.traits, t.stats, t.scores, t.at, t.at);
    i.run(a, b, siteId, t.at);
  });
  for (let a = from; a < to; a += 250_000) chunk(a, Math.min(to, a + 250_000) - 1);
}

/**
 * The same in PostgreSQL, set-based. A million rows inserted one index entry at a time spend most
 * of their time in the indexes, so for a big step the indexes and primary keys are dropped and
 * rebuilt after (the new ids are all above those seeded before: nothing can collide); the rows
 * load on three connections at once (2 cores, and WAL writes to wait on), skipping the commit
 * flush (a crash mid-seed only loses the seed).
 */
export async function seedPostgres(sql: Sql, siteId: string, t: ProfileTemplate, from: number, to: number) {
  const bulk = (text: string, params: unknown[] = []) => sql.begin(async (tx) => {
    await tx.unsafe("SET LOCAL synchronous_commit = off; SET LOCAL maintenance_work_mem = '256MB'");
    await tx.unsafe(text, params as any[]);
  });
  const big = to - from > 100_000;
  const keys = big ? await sql.unsafe(`SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
    WHERE c.contype = 'p' AND c.conrelid IN ('profiles'::regclass, 'identities'::regclass)`) : [];
  const indexes = big ? await sql.unsafe(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
    AND tablename IN ('profiles', 'identities') AND indexname NOT IN (SELECT conname FROM pg_constraint)`) : [];
  for (const ix of indexes) await sql.unsafe(`DROP INDEX "${ix.indexname}"`);
  for (const k of keys) await sql.unsafe(`ALTER TABLE ${k.tbl} DROP CONSTRAINT "${k.conname}"`);
  const onConflict = big ? '' : 'ON CONFLICT DO NOTHING';
  const profiles = (a: number, b: number) => bulk(`INSERT INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at)
    SELECT $1, 'p' || g, NULL, $2, $3, $4, $5, $5 FROM generate_series($6::int, $7::int) g ${onConflict}`, [siteId, t.traits, t.stats, t.scores, t.at, a, b - 1]);
  const middle = Math.floor((from + to) / 2);
  await Promise.all([
    profiles(from, middle),
    profiles(middle, to),
    bulk(`INSERT INTO identities (site_id, kind, value, profile_id, created_at)
      SELECT $1, 'anonymous', 'v' || g, 'p' || g, $2 FROM generate_series($3::int, $4::int) g ${onConflict}`, [siteId, t.at, from, to - 1]),
  ]);
  await Promise.all([
    ...keys.map((k) => bulk(`ALTER TABLE ${k.tbl} ADD CONSTRAINT "${k.conname}" ${k.def}`)),
    ...indexes.map((ix) => bulk(ix.indexdef)),
  ]);
  // VACUUM, not only ANALYZE: it sets the rows' hint bits and the visibility map, as autovacuum
  // would have long since on a real table; otherwise the first decide to read each page dirties it.
  await sql.unsafe('VACUUM (ANALYZE) profiles, identities');
}

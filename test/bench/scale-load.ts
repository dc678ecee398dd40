/**
 * Load generation and seeding for test/bench/scale.ts: keep-alive HTTP loops in this process
 * (the collectors run as separate processes), and bulk profile seeding with plain SQL.
 */
import { Agent, request } from 'node:http';
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

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A stored profile row to copy: the same figures for every seeded customer. */
export interface ProfileTemplate { traits: string; stats: string; scores: string; at: number }

/** Grow the site's seeded profiles `p<i>` (identity anonymous `v<i>`) from `from` to `to` in SQLite. */
export function seedSqlite(db: Database.Database, siteId: string, t: ProfileTemplate, from: number, to: number) {
  const p = db.prepare('INSERT OR IGNORE INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)');
  const i = db.prepare('INSERT OR IGNORE INTO identities (site_id, kind, value, profile_id, created_at) VALUES (?, ?, ?, ?, ?)');
  const chunk = db.transaction((a: number, b: number) => {
    for (let n = a; n < b; n++) {
      p.run(siteId, `p${n}`, t.traits, t.stats, t.scores, t.at, t.at);
      i.run(siteId, 'anonymous', `v${n}`, `p${n}`, t.at);
    }
  });
  for (let a = from; a < to; a += 50_000) chunk(a, Math.min(to, a + 50_000));
}

/** The same in PostgreSQL, set-based. */
export async function seedPostgres(sql: Sql, siteId: string, t: ProfileTemplate, from: number, to: number) {
  for (let a = from; a < to; a += 200_000) {
    const b = Math.min(to, a + 200_000) - 1;
    await sql.unsafe(`INSERT INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at)
      SELECT $1, 'p' || g, NULL, $2, $3, $4, $5, $5 FROM generate_series($6::int, $7::int) g ON CONFLICT DO NOTHING`, [siteId, t.traits, t.stats, t.scores, t.at, a, b]);
    await sql.unsafe(`INSERT INTO identities (site_id, kind, value, profile_id, created_at)
      SELECT $1, 'anonymous', 'v' || g, 'p' || g, $2 FROM generate_series($3::int, $4::int) g ON CONFLICT DO NOTHING`, [siteId, t.at, a, b]);
  }
  await sql.unsafe('ANALYZE profiles; ANALYZE identities');
}

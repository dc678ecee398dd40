/**
 * The PostgreSQL connection and the small pieces every query goes through: BIGINT and NUMERIC
 * come back as JS numbers (timestamps are epoch ms, counts are small), `?` placeholders are
 * rewritten to `$n`, booleans become 0/1, and transient conflicts are retried.
 */
import postgres from 'postgres';
import type { SqlRow } from '../types.ts';

export type Sql = postgres.Sql<Record<string, never>>;
/** A pool, or one transaction's connection: both run `unsafe(text, params)`. */
export type Runner = Pick<postgres.Sql, 'unsafe'>;

/** Numbers, not strings: BIGINT epoch ms and COUNT(*) fit a double; NUMERIC is SUM(BIGINT). */
const asNumber = (x: string) => Number(x);
const TYPES = {
  bigint: { to: 20, from: [20], serialize: (x: unknown) => String(x), parse: asNumber },
  numeric: { to: 1700, from: [1700], serialize: (x: unknown) => String(x), parse: asNumber },
};

/**
 * Open a pool. The schema comes from the URL's `search_path` parameter (for example
 * `postgres://host/db?search_path=shop1`) or `IDIC_DATABASE_SCHEMA`; pool size from `max`.
 */
export function connect(url: string): { sql: Sql; schema: string | null } {
  const u = new URL(url);
  const schema = u.searchParams.get('search_path') ?? process.env.IDIC_DATABASE_SCHEMA ?? null;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/i.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  u.searchParams.delete('search_path');
  const sql = postgres(u.toString(), {
    types: TYPES as any,
    onnotice: () => {},
    connection: { application_name: 'idic', ...(schema ? { search_path: schema } : {}) },
  }) as unknown as Sql;
  return { sql, schema };
}

const rewritten = new Map<string, string>();

/** `?` → `$1, $2, …`, leaving question marks inside quoted strings and identifiers alone. */
export function toPositional(text: string): string {
  let out = rewritten.get(text);
  if (out !== undefined) return out;
  let n = 0;
  let quote: string | null = null;
  out = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else out += ch === '?' ? `$${++n}` : ch;
  }
  if (rewritten.size > 5000) rewritten.clear();
  rewritten.set(text, out);
  return out;
}

/** Portable SQL (see SqlRunner) on a pool or a transaction. */
export async function portable(run: Runner, text: string, params: unknown[] = []): Promise<{ rows: SqlRow[]; changes: number }> {
  const args = params.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v));
  const res = await run.unsafe(toPositional(text), args as any[], { prepare: true });
  // Reads report no changes, as SQLite does.
  const changes = res.command === 'SELECT' ? 0 : res.count ?? 0;
  return { rows: [...res] as SqlRow[], changes };
}

/**
 * PostgreSQL's "try again" errors: serialization failure, deadlock detected — and an event
 * another transaction stored after this one checked the batch for duplicates (appendEvents):
 * on the retry the check sees it, and counts it a duplicate.
 */
export function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; constraint_name?: string } | null;
  return e?.code === '40001' || e?.code === '40P01' || (e?.code === '23505' && e.constraint_name === 'events_pkey');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One transaction's connection, pipelined: `unsafe` sends at once and may go out in the same
 * packet as statements sent before it that nobody awaited (`defer`) — BEGIN, SET LOCAL, a lock,
 * an insert whose answer nobody reads. Every awaited statement first settles those, so a
 * deferred failure surfaces at the next read, or at the latest before the commit is trusted.
 * On this kind of machine each round trip costs the collector and the backend tens of µs of CPU
 * (the wake-up of the other side), and a decide's latency is mostly round trips.
 *
 * Only statements whose failure aborts the transaction on the server may be deferred: a COMMIT
 * sent behind them then rolls back rather than keeping half the work.
 */
export interface Pipeline extends Runner {
  /**
   * Send `text` now; its failure is reported by the next awaited statement or `settle()`, as
   * `asError(err)` when given (a failed lock try becomes the caller's "retry with all keys").
   */
  defer(text: string, params?: unknown[], asError?: (err: unknown) => unknown): void;
  /** Wait for every deferred statement; throws the first failure. */
  settle(): Promise<void>;
}

export function pipeline(conn: Runner): Pipeline {
  let pending: Promise<unknown>[] = [];
  /** The first deferred failure: the transaction is aborted, and every later statement reports this cause. */
  let failure: { reason: unknown } | null = null;
  const settle = async () => {
    while (pending.length) {
      const now = pending;
      pending = [];
      // The first failure in the order sent is the cause: statements behind it only report the
      // aborted transaction (25P02), and their answers may arrive first.
      const failed = (await Promise.allSettled(now)).find((r) => r.status === 'rejected');
      if (failed) failure ??= { reason: failed.reason };
    }
    if (failure) throw failure.reason;
  };
  const send = (text: string, params: unknown[] = [], options?: { prepare?: boolean }) =>
    conn.unsafe(text, params as any[], options).execute() as unknown as Promise<postgres.RowList<postgres.Row[]>>;
  const unsafe = (text: string, params?: unknown[], options?: { prepare?: boolean }) => {
    const sent = send(text, params, options);
    if (!pending.length && !failure) return sent;
    // Ours went out behind them (one packet); wait for theirs, then ours.
    return settle().then(() => sent, (err) => { sent.catch(() => {}); throw err; });
  };
  return {
    unsafe: unsafe as unknown as Runner['unsafe'],
    defer(text, params = [], asError) {
      const sent = send(text, params, { prepare: true });
      const p = asError ? sent.catch((err) => { throw asError(err); }) : sent;
      p.catch(() => {}); // reported through settle(), never as an unhandled rejection
      pending.push(p);
    },
    settle,
  };
}

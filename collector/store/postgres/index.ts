/**
 * The scale-out store: PostgreSQL through the `postgres` client, shared by any number of
 * collector instances. `write(fn)` is one transaction, retried from the start when PostgreSQL
 * reports a deadlock or serialization failure (fn must not have effects outside `tx`, which
 * the services respect). Reads made through the store *inside* a write — the services do this,
 * e.g. `store.exposures()` while attributing an order — run on that transaction's connection,
 * so they see its own writes and never wait for a second pooled connection (which, with every
 * connection inside a transaction, would never come).
 *
 * @example
 * const store = await openPostgresStore('postgres://postgres@127.0.0.1:5432/idic?search_path=shop');
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Offer } from '../../offers/schema.ts';
import type { BanditCounter, Site, Store, Tx, WriteOptions } from '../types.ts';
import { siteSettings } from '../../settings.ts';
import { connect, isRetryable, pipeline, portable, sleep, type Pipeline, type Runner, type Sql } from './sql.ts';
import { migrate, migrationsApplied } from './migrations.ts';
import { makeTx, NeedLocks, SERIAL_KEY } from './tx.ts';
import { DECIDE_LOCK_SQL, DECIDE_READ_SQL, eventFromRow, EXPOSURES_SQL, exposuresFromRows, PROFILE_SELECT, profileFromRow } from './rows.ts';

type Row = Record<string, any>;

export interface PostgresStore extends Store {
  /** The pool, for bulk loads (benchmarks) and tests that inspect tables. */
  sql: Sql;
  /** The schema tables live in (from the URL's search_path), or null for the default. */
  schema: string | null;
  /** Readiness: the database answers and every migration this build knows is applied. */
  ready(): Promise<boolean>;
  decideInTransaction: NonNullable<Store['decideInTransaction']>;
}

const MAX_ATTEMPTS = 8;

export async function openPostgresStore(url: string): Promise<PostgresStore> {
  const { sql, schema } = connect(url);
  try {
    await migrate(sql, schema);
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw err;
  }
  const inTx = new AsyncLocalStorage<Runner>();
  /** The current transaction's connection when called inside `write`, else the pool. */
  const db = (): Runner => inTx.getStore() ?? sql;
  const q = (text: string, params: unknown[] = []) => db().unsafe(text, params as any[], { prepare: true }) as unknown as Promise<Row[] & { count: number }>;

  /**
   * BEGIN … COMMIT on one reserved connection, pipelined (see `pipeline`): BEGIN (and SET LOCAL)
   * leave with the transaction's first statement, COMMIT with its last deferred ones — a decide
   * is three round trips, not six.
   */
  const transaction = async <T>(fn: (p: Pipeline) => Promise<T>, options?: WriteOptions): Promise<T> => {
    const conn = await sql.reserve();
    const p = pipeline(conn as unknown as Runner);
    try {
      p.defer('BEGIN');
      if (options?.durability === 'relaxed') p.defer('SET LOCAL synchronous_commit = off');
      const result = await inTx.run(p, () => fn(p));
      const done = await p.unsafe('COMMIT', [], { prepare: true });
      // Never the case when every deferred statement succeeded (settled above), but a COMMIT of an aborted transaction answers ROLLBACK, not an error.
      if (done.command !== 'COMMIT') throw new Error(`transaction ended with ${done.command}, not COMMIT`);
      return result;
    } catch (err) {
      // Queued behind anything still in flight, so the connection goes back idle.
      await conn.unsafe('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      conn.release();
    }
  };

  const siteFromRow = (r: Row, keys: Row[]): Site => ({
    id: r.id, name: r.name, settings: siteSettings.parse(JSON.parse(r.settings)), createdAt: r.created_at,
    writeKey: keys.find((k) => k.kind === 'write')?.key ?? '', secretKey: keys.find((k) => k.kind === 'secret')?.key ?? '',
  });
  // Current keys, and secret keys retired but still in their grace period (expiry:key).
  const SITE_SELECT = `SELECT s.*, ARRAY(SELECT k.kind || ':' || k.key FROM site_keys k WHERE k.site_id = s.id
    AND k.expires_at IS NULL ORDER BY k.created_at DESC) AS keys,
    ARRAY(SELECT k.expires_at || ':' || k.key FROM site_keys k WHERE k.site_id = s.id AND k.kind = 'secret'
    AND k.expires_at IS NOT NULL ORDER BY k.expires_at DESC LIMIT 5) AS retired FROM sites s`;
  const split = (k: string) => [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
  const site = (r: Row): Site => ({
    ...siteFromRow(r, (r.keys as string[]).map((k) => ({ kind: split(k)[0], key: split(k)[1] }))),
    previousSecrets: (r.retired as string[]).map((k) => ({ key: split(k)[1], expiresAt: Number(split(k)[0]) })),
  });

  const store: PostgresStore = {
    sql,
    schema,
    query: (text, params) => portable(db(), text, params),
    // A few group commits in flight per lane (two lanes) leave most of the pool (10) for reads.
    writeConcurrency: 3,

    async write<T>(fn: (tx: Tx) => Promise<T>, options?: WriteOptions): Promise<T> {
      const outer = inTx.getStore();
      // A write inside a write joins it: one transaction, as with SQLite's single connection.
      if (outer) return fn(makeTx(outer));
      let prelock: string[] = [];
      for (let attempt = 1; ; attempt++) {
        try {
          return await transaction(async (p) => {
            const tx = makeTx(p, prelock.length > 0);
            if (prelock.length) {
              await tx.lock([SERIAL_KEY]);
              await tx.lock(prelock);
            }
            return fn(tx);
          }, options);
        } catch (err) {
          // Locks met out of order: once more, serially, taking the keys seen so far first.
          if (err instanceof NeedLocks) { prelock = err.keys; continue; }
          if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
          await sleep(Math.random() * 5 * attempt);
        }
      }
    },

    async ready() {
      try {
        return await migrationsApplied(sql);
      } catch {
        return false;
      }
    },

    async createSite(s) {
      await sql.begin(async (t) => {
        await t.unsafe('INSERT INTO sites (id, name, settings, created_at) VALUES ($1, $2, $3, $4)', [s.id, s.name, JSON.stringify(s.settings), s.createdAt]);
        const key = 'INSERT INTO site_keys (key, site_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, NULL)';
        await t.unsafe(key, [s.writeKey, s.id, 'write', s.createdAt]);
        await t.unsafe(key, [s.secretKey, s.id, 'secret', s.createdAt]);
      });
    },
    async siteByKey(key, now) {
      const [k] = await q('SELECT site_id, kind, expires_at FROM site_keys WHERE key = $1', [key]);
      if (!k || (k.expires_at !== null && k.expires_at <= now)) return null;
      const [s] = await q(`${SITE_SELECT} WHERE s.id = $1`, [k.site_id]);
      return s ? { site: site(s), kind: k.kind } : null;
    },
    async getSite(siteId) {
      const [s] = await q(`${SITE_SELECT} WHERE s.id = $1`, [siteId]);
      return s ? site(s) : null;
    },
    async listSites() {
      return (await q(`${SITE_SELECT} ORDER BY s.created_at, s.id`)).map(site);
    },

    async findProfile(siteId, anyId) {
      // By profile id, then an id merged away, then any identity value — in one round trip.
      const [r] = await q(`${PROFILE_SELECT} WHERE p.site_id = $1 AND p.id = COALESCE(
        (SELECT id FROM profiles WHERE site_id = $1 AND id = $2),
        (SELECT into_id FROM merges WHERE site_id = $1 AND from_id = $2),
        (SELECT profile_id FROM identities WHERE site_id = $1 AND value = $2 LIMIT 1))`, [siteId, anyId]);
      return r ? profileFromRow(r) : null;
    },
    async profileByIdentity(siteId, id) {
      const [r] = await q(`${PROFILE_SELECT} WHERE p.site_id = $1 AND p.id =
        (SELECT profile_id FROM identities WHERE site_id = $1 AND kind = $2 AND value = $3)`, [siteId, id.kind, id.value]);
      return r ? profileFromRow(r) : null;
    },
    async timeline(siteId, profileId, page) {
      // Keyset paging on (ts, seq): events sharing a timestamp never fall between two pages.
      const rows = await q(`SELECT * FROM events WHERE site_id = $1 AND profile_id = $2 AND (ts, seq) < ($3, $4)
        ORDER BY ts DESC, seq DESC LIMIT $5`, [siteId, profileId, page.before ?? Number.MAX_SAFE_INTEGER, page.beforeSeq ?? Number.MAX_SAFE_INTEGER, page.limit]);
      return rows.map(eventFromRow);
    },

    async listOffers(siteId) {
      return (await q('SELECT data FROM offers WHERE site_id = $1 ORDER BY id', [siteId])).map((r) => JSON.parse(r.data) as Offer);
    },
    async saveOffer(siteId, offer, expectedVersion) {
      const conflict = (current: number | null) => new Error(`version conflict: offer ${offer.id} is at version ${current ?? 'none'}`);
      try {
        return await store.write(async (tx) => {
          const { rows: [cur] } = await tx.query('SELECT version FROM offers WHERE site_id = ? AND id = ? FOR UPDATE', [siteId, offer.id]);
          const current: number | null = cur ? cur.version : null;
          if (current !== expectedVersion) throw conflict(current);
          const saved: Offer = { ...offer, version: (current ?? 0) + 1 };
          const data = JSON.stringify(saved);
          await tx.query(`INSERT INTO offers (site_id, id, version, status, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (site_id, id) DO UPDATE SET version = excluded.version, status = excluded.status, data = excluded.data,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by`, [siteId, saved.id, saved.version, saved.status, data, saved.updatedAt, saved.updatedBy]);
          await tx.query('INSERT INTO offer_versions (site_id, id, version, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)',
            [siteId, saved.id, saved.version, data, saved.updatedAt, saved.updatedBy]);
          return saved;
        });
      } catch (err) {
        // Two first versions created at once: FOR UPDATE had no row to lock, the primary key decides.
        if ((err as { code?: string }).code === '23505') {
          const [cur] = await q('SELECT version FROM offers WHERE site_id = $1 AND id = $2', [siteId, offer.id]);
          throw conflict(cur ? cur.version : null);
        }
        throw err;
      }
    },
    async offerHistory(siteId, offerId) {
      return (await q('SELECT data FROM offer_versions WHERE site_id = $1 AND id = $2 ORDER BY version DESC', [siteId, offerId])).map((r) => JSON.parse(r.data));
    },

    async exposures(siteId, profileId, since) {
      return exposuresFromRows(await q(EXPOSURES_SQL, [siteId, profileId, since]));
    },
    async decideInTransaction(siteId, ids, since, fn) {
      const who = [siteId, ids.userId ?? null, ids.anonymousId ?? null];
      try {
        return await transaction(async (p) => {
          // BEGIN, SET LOCAL, the lock and the read leave in one packet; the read runs after the
          // lock is granted, so it sees every decision recorded by whoever held it before.
          const [[locked], [row]] = await Promise.all([
            p.unsafe(DECIDE_LOCK_SQL, who, { prepare: true }), p.unsafe(DECIDE_READ_SQL, [...who, since], { prepare: true }),
          ]);
          // The ids pointed elsewhere between the lock and the read (a merge committed): not this path.
          const found = locked && row && row.id === locked.id ? { profile: profileFromRow(row), exposures: exposuresFromRows(row.exposures ? JSON.parse(row.exposures) : []) } : null;
          const out = await fn(found);
          if (!out) return null;
          await makeTx(p).insertDecisions(out.rows);
          return out.value;
        }, { durability: 'relaxed' });
      } catch (err) {
        // A deadlock or serialization failure: the general path retries.
        if (isRetryable(err)) return null;
        throw err;
      }
    },
    async banditCounters(siteId) {
      return (await q('SELECT * FROM bandit WHERE site_id = $1', [siteId])).map((r): BanditCounter => ({
        offerId: r.offer_id, arm: r.arm, trials: r.trials, conversions: r.conversions, value: r.value,
      }));
    },
    async redemptions(siteId) {
      const rows = await q(`SELECT d.offer_id, COUNT(*) AS n FROM outcomes o JOIN decisions d ON d.site_id = o.site_id AND d.id = o.decision_id
        WHERE o.site_id = $1 AND o.kind = 'conversion' AND d.holdout = 0 GROUP BY d.offer_id`, [siteId]);
      return new Map(rows.map((r) => [r.offer_id as string, r.n as number]));
    },

    async getShopModel(siteId) {
      // On the pool even when called inside a write: the collector loads a model in the
      // background, from whatever request first needs it, and no transaction waits for it.
      const [r] = await sql.unsafe('SELECT data FROM shop_models WHERE site_id = $1', [siteId], { prepare: true });
      return r ? JSON.parse(r.data) : null;
    },
    async saveShopModel(siteId, model) {
      await q(`INSERT INTO shop_models (site_id, data, fitted_at) VALUES ($1, $2, $3)
        ON CONFLICT (site_id) DO UPDATE SET data = excluded.data, fitted_at = excluded.fitted_at`, [siteId, JSON.stringify(model), model.fittedAt]);
    },

    async close() {
      // Lets queries already sent finish (acknowledged work), then closes the connections.
      await sql.end({ timeout: 5 });
    },
  };
  return store;
}

/**
 * One PostgreSQL transaction as a `Tx`. Correctness across processes rests on two locks:
 * the services' advisory locks on identity keys (`lock()`), and `FOR UPDATE` on every profile
 * read here — two requests reaching one profile through different ids (an anonymous id and
 * a user id) still update it one after the other, so no stats update is lost.
 *
 * Lock order: services lock keys as they meet them (message by message in a batch), so two
 * batches naming the same customers in different orders would deadlock, and PostgreSQL only
 * notices after `deadlock_timeout` (1 s). So a transaction's first `lock()` waits for one key
 * (holding none) and only *tries* the others, as every later `lock()` does; a failed try throws
 * `NeedLocks` with every key seen so far. `write()` then retries once in *serial* mode: holding
 * the one serial lock (so serial transactions cannot deadlock each other) and the keys seen so
 * far, it waits for every further key. Optimistic transactions never wait for a lock while
 * holding one, so they cannot close a cycle either.
 *
 * Within a transaction that holds a key's lock nobody else can re-point that identity, so the
 * identity → profile answers and the keys already locked are remembered: a batch of 100 events
 * from one visitor costs one lock and one lookup, not a hundred.
 */
import type { Profile, ProfileIdentity } from '../../profile.ts';
import type { DecisionRow, OrderRow, OutcomeRow, StoredEvent, Tx } from '../types.ts';
import { PROFILE_TABLES } from '../schema/index.ts';
import { portable, type Pipeline, type Runner } from './sql.ts';
import { decisionFromRow, eventFromRow, PROFILE_SELECT, profileFromRow } from './rows.ts';

type Row = Record<string, any>;

/** A later lock was taken by someone else: retry the transaction, locking `keys` first. */
export class NeedLocks extends Error {
  constructor(readonly keys: string[]) { super('advisory locks out of order; retrying with all keys locked first'); }
}

export const SERIAL_KEY = 'idic.serial-writer';

// The rows travel as one JSON document (stringified once, natively) rather than thirteen text
// arrays, each element of which the client would escape on its own. The JSON columns (body,
// traits, …) are read as `text`: an object value comes out as its JSON text, verbatim.
const INSERT_EVENTS = `INSERT INTO events (site_id, source, message_id, profile_id, type, name, anonymous_id,
    user_id, ts, received_at, trusted, bot, body)
  SELECT r.site_id, r.source, r.message_id, r.profile_id, r.type, r.name, r.anonymous_id, r.user_id, r.ts,
    r.received_at, r.trusted, r.bot, r.body
  FROM json_to_recordset($1::text::json) AS r(site_id text, source text, message_id text, profile_id text, type text,
    name text, anonymous_id text, user_id text, ts bigint, received_at bigint, trusted int, bot int, body text)`;

const eventRecords = (rows: StoredEvent[]) => rows.map((e) => ({
  site_id: e.siteId, source: e.source, message_id: e.messageId, profile_id: e.profileId, type: e.type, name: e.name,
  anonymous_id: e.anonymousId, user_id: e.userId, ts: e.ts, received_at: e.receivedAt, trusted: e.trusted ? 1 : 0,
  bot: e.bot ? 1 : 0, body: e.body,
}));

/**
 * An escape json_to_recordset cannot decode: it decodes every string of its document, nested
 * ones too, and PostgreSQL text holds neither NUL nor a lone surrogate, so a `"\u0000"` or
 * `"\ud800"` anywhere in a message's properties, traits or context failed the whole batch (a 500;
 * SQLite stores and gives back such a message as sent). JSON.stringify writes exactly these two
 * as escapes (lowercase); a match inside a longer escape (`\\u0000`, a backslash then "u0000")
 * only costs the slower form below.
 */
const UNDECODABLE = /\\u0000|\\ud[89a-f]/;

/**
 * `records` as one JSON document for json_to_recordset. When some value holds an escape it cannot
 * decode, the `nested` JSON fields travel as strings of JSON text instead (decoded once, they are
 * that text again, escapes intact), so every message is stored and read back as it was sent.
 */
function recordsDocument(records: Record<string, unknown>[], nested: readonly string[]): string {
  const doc = JSON.stringify(records);
  if (!UNDECODABLE.test(doc)) return doc;
  return JSON.stringify(records.map((r) => {
    const out = { ...r };
    for (const k of nested) if (out[k] !== null && out[k] !== undefined) out[k] = JSON.stringify(out[k]);
    return out;
  }));
}

const eventsDocument = (rows: StoredEvent[]) => recordsDocument(eventRecords(rows), ['body']);

/** `sql` is one transaction's connection; given a pipeline, locks that wait and inserts nobody reads travel with the next statement. */
export function makeTx(sql: Runner | Pipeline, serial = false): Tx {
  const q = (text: string, params: unknown[] = []) => sql.unsafe(text, params as any[], { prepare: true }) as unknown as Promise<Row[] & { count: number }>;
  /**
   * A statement nobody reads the answer of, whose failure aborts the transaction: pipelined, it
   * leaves with the next statement and its failure (as `asError`) surfaces there.
   */
  const unanswered = async (text: string, params: unknown[], asError: (err: unknown) => unknown = (err) => err) => {
    if ('defer' in sql) sql.defer(text, params, asError);
    else await q(text, params).catch((err) => { throw asError(err); });
  };
  const locked = new Set<string>();
  const identities = new Map<string, string | null>();
  const idKey = (siteId: string, id: ProfileIdentity) => `${siteId}\u0000${id.kind}\u0000${id.value}`;

  const lock = async (keys: string[]) => {
    const fresh = [...new Set(keys)].filter((k) => !locked.has(k));
    if (!fresh.length) return;
    // Only a serial transaction waits while holding a lock: an optimistic one waiting for its
    // second key while holding its first could close a cycle with it (PostgreSQL would notice
    // only after deadlock_timeout, 1 s). So an optimistic first lock waits for one key and only
    // tries the others below.
    const wait = serial ? fresh : locked.size === 0 ? fresh.slice(0, 1) : [];
    if (wait.length) {
      // Sorted by the hash that is actually locked, so every process takes them in one order.
      // Deferred: a lock that waits can only fail by aborting the transaction, and every later
      // statement runs behind it on this connection.
      const text = `SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h
        FROM unnest($1::text[]) AS k ORDER BY 1) s`;
      await unanswered(text, [wait]);
    }
    const tryFor = fresh.slice(wait.length);
    if (tryFor.length) {
      // The try fails the transaction when a key is held elsewhere, so it needs no answer here:
      // a statement sent behind a failed try never runs (no FOR UPDATE waits for a row while we
      // hold locks out of order), and the failure comes back as "retry with every key".
      const need = [...locked, ...fresh];
      const missed = (err: unknown) => ((err as { code?: string })?.code === 'IDL01' ? new NeedLocks(need) : err);
      await unanswered('SELECT idic_try_locks($1::text[])', [tryFor], missed);
    }
    for (const k of fresh) locked.add(k);
  };

  /** Upsert many profiles in one statement (the last copy of a profile wins; one row may only be hit once). */
  const saveProfiles = async (list: Profile[]) => {
    const profiles = [...new Map(list.map((p) => [p.id, p])).values()];
    if (!profiles.length) return;
    const text = `INSERT INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at)
      SELECT r.site_id, r.id, r.user_id, r.traits, r.stats, r.scores, r.created_at, r.updated_at
      FROM json_to_recordset($1::text::json) AS r(site_id text, id text, user_id text, traits text, stats text, scores text,
        created_at bigint, updated_at bigint)
      ON CONFLICT (site_id, id) DO UPDATE SET user_id = excluded.user_id,
      traits = excluded.traits, stats = excluded.stats, scores = excluded.scores, updated_at = excluded.updated_at`;
    const params = [recordsDocument(profiles.map((p) => ({
      site_id: p.siteId, id: p.id, user_id: p.userId, traits: p.traits, stats: p.stats, scores: p.scores, created_at: p.createdAt, updated_at: p.updatedAt,
    })), ['traits', 'stats', 'scores'])];
    // Nobody reads its answer: it leaves with the next statement (usually the COMMIT).
    await unanswered(text, params);
  };

  return {
    query: (text, params) => portable(sql, text, params),
    lock,

    async findProfileIds(siteId, ids) {
      const out = new Map<string, string>();
      const missing = ids.filter((id) => !identities.has(idKey(siteId, id)));
      if (missing.length) {
        const rows = await q(`SELECT kind, value, profile_id FROM identities WHERE site_id = $1
          AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`, [siteId, missing.map((i) => i.kind), missing.map((i) => i.value)]);
        for (const id of missing) identities.set(idKey(siteId, id), null);
        for (const r of rows) identities.set(idKey(siteId, { kind: r.kind, value: r.value }), r.profile_id);
      }
      for (const id of ids) {
        const pid = identities.get(idKey(siteId, id));
        if (pid) out.set(`${id.kind}:${id.value}`, pid);
      }
      return out;
    },

    async getProfile(siteId, profileId) {
      // A profile is reachable through several identity keys; its own key joins the lock protocol.
      await lock([`${siteId}|profile-row:${profileId}`]);
      const [r] = await q(`${PROFILE_SELECT} WHERE p.site_id = $1 AND p.id = $2 FOR UPDATE OF p`, [siteId, profileId]);
      return r ? profileFromRow(r) : null;
    },

    async getProfiles(siteId, profileIds) {
      const ids = [...new Set(profileIds)];
      const out = new Map<string, Profile>();
      if (!ids.length) return out;
      await lock(ids.map((id) => `${siteId}|profile-row:${id}`));
      const rows = await q(`${PROFILE_SELECT} WHERE p.site_id = $1 AND p.id = ANY($2::text[]) FOR UPDATE OF p`, [siteId, ids]);
      for (const r of rows) out.set(r.id, profileFromRow(r));
      return out;
    },

    async saveProfile(p: Profile) {
      await saveProfiles([p]);
    },

    saveProfiles,

    async linkIdentity(siteId, id, profileId, now) {
      await q(`INSERT INTO identities (site_id, kind, value, profile_id, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (site_id, kind, value) DO UPDATE SET profile_id = excluded.profile_id`, [siteId, id.kind, id.value, profileId, now]);
      identities.set(idKey(siteId, id), profileId);
    },

    async identitiesOf(siteId, profileId) {
      const rows = await q('SELECT kind, value FROM identities WHERE site_id = $1 AND profile_id = $2 ORDER BY created_at, kind', [siteId, profileId]);
      return rows.map((i): ProfileIdentity => ({ kind: i.kind, value: i.value }));
    },

    async mergeInto(siteId, fromId, intoId, now) {
      if (fromId === intoId) return;
      const args = [intoId, siteId, fromId];
      for (const table of ['identities', 'events', 'orders', 'decisions']) {
        await q(`UPDATE ${table} SET profile_id = $1 WHERE site_id = $2 AND profile_id = $3`, args);
      }
      for (const m of PROFILE_TABLES) await q(`UPDATE ${m.table} SET ${m.column} = $1 WHERE site_id = $2 AND ${m.column} = $3`, args);
      await q('UPDATE merges SET into_id = $1 WHERE site_id = $2 AND into_id = $3', args);
      await q(`INSERT INTO merges (site_id, from_id, into_id, at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (site_id, from_id) DO UPDATE SET into_id = excluded.into_id, at = excluded.at`, [siteId, fromId, intoId, now]);
      await q('DELETE FROM profiles WHERE site_id = $1 AND id = $2', [siteId, fromId]);
      for (const [k, pid] of identities) if (pid === fromId) identities.set(k, intoId);
    },

    async insertEvents(rows: StoredEvent[]) {
      if (!rows.length) return [];
      const inserted = await q(`${INSERT_EVENTS} ON CONFLICT (site_id, source, message_id) DO NOTHING RETURNING source, message_id`, [eventsDocument(rows)]);
      const fresh = new Set(inserted.map((r) => `${r.source}\u0000${r.message_id}`));
      // A message repeated inside one call is new once: the first occurrence.
      return rows.map((e) => fresh.delete(`${e.source}\u0000${e.messageId}`));
    },

    async appendEvents(rows: StoredEvent[]) {
      if (!rows.length) return;
      // No ON CONFLICT: a row stored since the batch's check breaks the primary key, which aborts
      // the transaction (isRetryable knows that error), so nothing here needs an answer.
      await unanswered(INSERT_EVENTS, [eventsDocument(rows)]);
    },

    async storedMessageIds(siteId, source, messageIds) {
      if (!messageIds.length) return new Set<string>();
      // One probe of the unique key per id, as a subquery per id, which the planner cannot turn
      // into a join. Written as `message_id = ANY($3)` (or as a join), the planner — before the
      // first ANALYZE of a new shop's growing events table, when it believes the site has a
      // handful of events — reads every event of the site and filters (20–30 ms a batch).
      const probed = await q(`SELECT m.id, (SELECT true FROM events e WHERE e.site_id = $1 AND e.source = $2
        AND e.message_id = m.id) AS stored FROM unnest($3::text[]) AS m(id)`, [siteId, source, messageIds]);
      return new Set(probed.filter((r) => r.stored).map((r) => r.id as string));
    },

    async eventsOf(siteId, profileId) {
      return (await q('SELECT * FROM events WHERE site_id = $1 AND profile_id = $2 ORDER BY ts, seq', [siteId, profileId])).map(eventFromRow);
    },

    async insertOrder(o: OrderRow) {
      const r = await q(`INSERT INTO orders (site_id, order_id, profile_id, ts, amount, currency, status, items)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (site_id, order_id) DO NOTHING`,
      [o.siteId, o.orderId, o.profileId, o.ts, o.amount, o.currency, o.status, JSON.stringify(o.items)]);
      return r.count === 1;
    },

    async setOrderStatus(siteId, orderId, status) {
      // The row as it was before the update: the caller reverses revenue only once.
      const [r] = await q(`UPDATE orders o SET status = $3 FROM (SELECT * FROM orders WHERE site_id = $1 AND order_id = $2 FOR UPDATE) old
        WHERE o.site_id = old.site_id AND o.order_id = old.order_id RETURNING old.*`, [siteId, orderId, status]);
      if (!r) return null;
      return { siteId, orderId, profileId: r.profile_id, ts: r.ts, amount: r.amount, currency: r.currency, status: r.status, items: JSON.parse(r.items) };
    },

    async insertDecisions(rows: DecisionRow[]) {
      if (!rows.length) return;
      const col = <T>(f: (d: DecisionRow) => T) => rows.map(f);
      const text = `INSERT INTO decisions (site_id, id, profile_id, placement, offer_id, offer_version, arm, holdout, session_id, created_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::text[], $10::bigint[])`;
      const params = [
        col((d) => d.siteId), col((d) => d.id), col((d) => d.profileId), col((d) => d.placement), col((d) => d.offerId),
        col((d) => d.offerVersion), col((d) => d.arm), col((d) => (d.holdout ? 1 : 0)), col((d) => d.sessionId), col((d) => d.createdAt),
      ];
      // Nobody reads its answer: it leaves with the COMMIT (a failure aborts the transaction).
      await unanswered(text, params);
    },

    async insertOutcome(o: OutcomeRow) {
      // Insert only for a known decision of this site, and hand back the decision when the outcome is new.
      const [d] = await q(`WITH d AS (SELECT * FROM decisions WHERE site_id = $1 AND id = $2),
        ins AS (INSERT INTO outcomes (site_id, decision_id, kind, at, value) SELECT site_id, id, $3, $4, $5 FROM d
          ON CONFLICT (site_id, decision_id, kind) DO NOTHING RETURNING 1)
        SELECT d.* FROM d WHERE EXISTS (SELECT 1 FROM ins)`, [o.siteId, o.decisionId, o.kind, o.at, o.value]);
      return d ? decisionFromRow(d) : null;
    },

    async bumpBandit(siteId, offerId, arm, delta) {
      await q(`INSERT INTO bandit (site_id, offer_id, arm, trials, conversions, value) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (site_id, offer_id, arm) DO UPDATE SET trials = bandit.trials + excluded.trials,
        conversions = bandit.conversions + excluded.conversions, value = bandit.value + excluded.value`,
      [siteId, offerId, arm, delta.trials ?? 0, delta.conversions ?? 0, delta.value ?? 0]);
    },
  };
}

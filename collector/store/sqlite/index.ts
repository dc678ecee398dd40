/**
 * The embedded default store: one SQLite file through better-sqlite3 (`:memory:` in tests).
 * better-sqlite3 is synchronous, so a transaction's work runs without yielding to other
 * requests; `write()` still queues callers so an awaiting service never interleaves two
 * transactions on the one connection.
 */
import Database from 'better-sqlite3';
import type { Profile, ProfileIdentity } from '../../profile.ts';
import type { Offer } from '../../offers/schema.ts';
import type { BanditCounter, DecisionRow, OrderRow, OutcomeRow, Site, Store, StoredEvent, Tx } from '../types.ts';
import { siteSettings } from '../../settings.ts';
import { migrate } from './migrations.ts';
import { seedPlannerStats } from './planner-stats.ts';
import { exposuresFromRows } from '../exposures.ts';
import { PROFILE_TABLES } from '../schema/index.ts';
import { startCheckpointer } from './checkpointer.ts';
import { ProfileCache, touchesCachedTables, type CachedRow } from './profile-cache.ts';
import { sqliteBulkImport } from './bulk-import.ts';
import { PendingDecisions } from './pending-decisions.ts';
import { bodyToStore, eventFromRow } from '../event-body.ts';
import { sqliteBulkEvents } from './bulk-events.ts';

type Row = Record<string, any>;

export interface SqliteStore extends Store {
  /** The raw connection, for the CLI's bulk import and for tests that inspect tables. */
  db: Database.Database;
}

export interface SqliteOptions {
  /**
   * Checkpoint the WAL from a worker thread (checkpointer.ts) instead of inside commits: for a
   * long-running server (`idic serve`, the demo). Off by default: tests and CLI commands open
   * stores briefly, and a thread each would only cost them start-up time.
   */
  backgroundCheckpoints?: boolean;
}

export function openSqliteStore(path: string, options: SqliteOptions = {}): SqliteStore {
  const db = new Database(path);
  // A profile row (stats and scores as JSON, about 1.1 KB) is more than a WITHOUT ROWID table keeps
  // in a 4 KB page (1,002 bytes; the rest spills to an overflow page of its own): 8 KB pages keep
  // it whole (up to 2,030 bytes). Measured at 100,000 profiles: the file 408 → 145 MB, a profile
  // read by identity 52 → 23 µs. Only a new, empty file takes a page size; older files keep theirs.
  if (db.pragma('page_count', { simple: true }) === 0) db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a commit survives a process crash (SIGKILL); only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  // Temporary B-trees (the import's staging table, sorts) stay in memory instead of a temp file:
  // measured on the CDNOW import, 870–900 → 810–850 ms median, less system time.
  db.pragma('temp_store = MEMORY');
  migrate(db);
  seedPlannerStats(db);

  const onDisk = path !== ':memory:' && path !== '';
  const checkpointer = options.backgroundCheckpoints && onDisk ? startCheckpointer(db, path) : null;

  const q = prepareAll(db);
  const cache = new ProfileCache(db);
  const tx = makeTx(db, q, (sql, params) => query(sql, params), cache);
  let tail: Promise<unknown> = Promise.resolve();
  // The edges of one write transaction, shared by `write()` and the flush of waiting decisions.
  const begin = () => {
    db.exec('BEGIN IMMEDIATE');
    cache.validate(true);
  };
  const commit = () => {
    db.exec('COMMIT');
    cache.settle();
  };
  const rollback = (undrain: () => void) => {
    if (db.inTransaction) db.exec('ROLLBACK');
    undrain();
    cache.clear();
    cache.settle();
  };
  /** Write the waiting decisions now, in a transaction of their own; false if one is open (it drained them at its start). */
  const flushDecisions = (): boolean => {
    if (db.inTransaction) return false;
    begin();
    let undrain = () => {};
    try {
      undrain = pending.drain();
      commit();
    } catch (err) {
      rollback(undrain);
      throw err;
    }
    return true;
  };
  const pending = new PendingDecisions({
    insert: (rows: DecisionRow[]) => tx.insertDecisions(rows),
    flushNow: flushDecisions,
    flushLater: () => void store.write(async () => {}).catch(() => {}),
  });
  // A raw read of the decisions table outside a transaction first writes the decisions still waiting.
  const query = portableQuery(db, cache, (sql) => {
    if (pending.size && /\bdecisions\b/i.test(sql)) flushDecisions();
  });

  const profileFromRow = (r: Row): Profile => cachedProfile(q, cache, r as CachedRow);
  const byIdentity = db.prepare(`SELECT p.*, (SELECT json_group_array(json_array(x.kind, x.value) ORDER BY x.created_at, x.kind)
      FROM identities x WHERE x.site_id = p.site_id AND x.profile_id = p.id) AS identity_list
    FROM identities i JOIN profiles p ON p.site_id = i.site_id AND p.id = i.profile_id
    WHERE i.site_id = ? AND i.kind = ? AND i.value = ?`);

  const siteFromRow = (r: Row): Site => {
    const keys = q.currentKeys.all(r.id) as Row[];
    return {
      id: r.id, name: r.name, settings: siteSettings.parse(JSON.parse(r.settings)), createdAt: r.created_at,
      writeKey: keys.find((k) => k.kind === 'write')?.key ?? '', secretKey: keys.find((k) => k.kind === 'secret')?.key ?? '',
      previousSecrets: (q.retiredSecrets.all(r.id) as Row[]).map((k) => ({ key: k.key, expiresAt: Number(k.expires_at) })),
    };
  };

  const store: SqliteStore = {
    db,
    query,
    write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      const run = tail.then(async () => {
        begin();
        let undrain = () => {};
        try {
          undrain = pending.drain();
          const result = await fn(tx);
          commit();
          return result;
        } catch (err) {
          rollback(undrain);
          throw err;
        }
      });
      tail = run.catch(() => {});
      return run;
    },

    async createSite(site) {
      db.transaction(() => {
        q.insertSite.run(site.id, site.name, JSON.stringify(site.settings), site.createdAt);
        q.insertKey.run(site.writeKey, site.id, 'write', site.createdAt, null);
        q.insertKey.run(site.secretKey, site.id, 'secret', site.createdAt, null);
      })();
    },
    async siteByKey(key, now) {
      const k = q.keyLookup.get(key) as Row | undefined;
      if (!k || (k.expires_at !== null && k.expires_at <= now)) return null;
      const s = q.getSite.get(k.site_id) as Row | undefined;
      return s ? { site: siteFromRow(s), kind: k.kind } : null;
    },
    async getSite(siteId) {
      const s = q.getSite.get(siteId) as Row | undefined;
      return s ? siteFromRow(s) : null;
    },
    async listSites() {
      return (db.prepare('SELECT * FROM sites ORDER BY created_at').all() as Row[]).map(siteFromRow);
    },

    async findProfile(siteId, anyId) {
      cache.validate();
      let r = q.getProfile.get(siteId, anyId) as Row | undefined;
      if (!r) {
        const merged = q.mergedInto.get(siteId, anyId) as Row | undefined;
        const ident = merged ? { profile_id: merged.into_id } : (q.identityByValue.get(siteId, anyId) as Row | undefined);
        if (ident) r = q.getProfile.get(siteId, ident.profile_id) as Row | undefined;
      }
      return r ? profileFromRow(r) : null;
    },
    async profileByIdentity(siteId, id) {
      cache.validate();
      const pid = cache.link(siteId, id.kind, id.value);
      const held = pid && cache.row(siteId, pid);
      if (held) return profileFromRow(held);
      // Not held (decide's usual case for a visitor not seen lately): the identity, its profile
      // row and that profile's identities in one statement rather than three.
      const r = byIdentity.get(siteId, id.kind, id.value) as (CachedRow & { identity_list: string }) | undefined;
      if (!r) return null;
      const { identity_list, ...row } = r;
      row.identities = (JSON.parse(identity_list) as [string, string][]).map(([kind, value]) => ({ kind, value }) as ProfileIdentity);
      cache.putLink(siteId, id.kind, id.value, row.id);
      cache.putRow(row);
      return profileFromRow(row);
    },
    async timeline(siteId, profileId, page) {
      const before = page.before ?? Number.MAX_SAFE_INTEGER;
      const rows = q.timeline.all(siteId, profileId, before, before, page.beforeSeq ?? Number.MAX_SAFE_INTEGER, page.limit) as Row[];
      return rows.map(eventFromRow);
    },

    async listOffers(siteId) {
      return (q.listOffers.all(siteId) as Row[]).map(offerFromRow);
    },
    async saveOffer(siteId, offer, expectedVersion) {
      return db.transaction(() => {
        const cur = q.getOffer.get(siteId, offer.id) as Row | undefined;
        const current = cur ? cur.version : null;
        if (current !== expectedVersion) throw new Error(`version conflict: offer ${offer.id} is at version ${current ?? 'none'}`);
        const saved: Offer = { ...offer, version: (current ?? 0) + 1 };
        const data = JSON.stringify(saved);
        q.upsertOffer.run(siteId, saved.id, saved.version, saved.status, data, saved.updatedAt, saved.updatedBy);
        q.insertOfferVersion.run(siteId, saved.id, saved.version, data, saved.updatedAt, saved.updatedBy);
        return saved;
      })();
    },
    async offerHistory(siteId, offerId) {
      return (q.offerHistory.all(siteId, offerId) as Row[]).map((r) => JSON.parse(r.data));
    },

    async exposures(siteId, profileId, since) {
      const stored = exposuresFromRows(q.exposures.all(siteId, profileId, since) as Row[]);
      return pending.size ? [...stored, ...pending.exposures(siteId, profileId, since)] : stored;
    },
    deferDecisions(rows) {
      pending.add(rows);
    },
    async banditCounters(siteId) {
      return (q.bandit.all(siteId) as Row[]).map((r): BanditCounter => ({ offerId: r.offer_id, arm: r.arm, trials: r.trials, conversions: r.conversions, value: r.value }));
    },
    async redemptions(siteId) {
      const m = new Map<string, number>();
      for (const r of q.redemptions.all(siteId) as Row[]) m.set(r.offer_id, r.n);
      return m;
    },

    async getShopModel(siteId) {
      const r = q.getModel.get(siteId) as Row | undefined;
      return r ? JSON.parse(r.data) : null;
    },
    async saveShopModel(siteId, model) {
      q.saveModel.run(siteId, JSON.stringify(model), model.fittedAt);
    },

    async close() {
      await tail;
      pending.stop();
      if (pending.size) await store.write(async () => {});
      await checkpointer?.stop();
      db.close();
    },
  };
  return store;
}

function offerFromRow(r: Row): Offer {
  return JSON.parse(r.data);
}

function prepareAll(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    insertSite: p('INSERT INTO sites (id, name, settings, created_at) VALUES (?, ?, ?, ?)'),
    insertKey: p('INSERT INTO site_keys (key, site_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
    keyLookup: p('SELECT site_id, kind, expires_at FROM site_keys WHERE key = ?'),
    currentKeys: p('SELECT key, kind FROM site_keys WHERE site_id = ? AND expires_at IS NULL ORDER BY created_at DESC'),
    // The store has no clock: the few latest-expiring rotated secrets; the caller checks expiry.
    retiredSecrets: p("SELECT key, expires_at FROM site_keys WHERE site_id = ? AND kind = 'secret' AND expires_at IS NOT NULL ORDER BY expires_at DESC LIMIT 5"),
    getSite: p('SELECT * FROM sites WHERE id = ?'),
    getProfile: p('SELECT * FROM profiles WHERE site_id = ? AND id = ?'),
    saveProfile: p(`INSERT INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, id) DO UPDATE SET user_id = excluded.user_id,
      traits = excluded.traits, stats = excluded.stats, scores = excluded.scores, updated_at = excluded.updated_at`),
    deleteProfile: p('DELETE FROM profiles WHERE site_id = ? AND id = ?'),
    findIdentity: p('SELECT profile_id FROM identities WHERE site_id = ? AND kind = ? AND value = ?'),
    anyIdentityOfKind: p('SELECT 1 FROM identities WHERE site_id = ? AND kind = ? LIMIT 1').pluck(),
    identityByValue: p('SELECT profile_id FROM identities WHERE site_id = ? AND value = ? LIMIT 1'),
    identitiesOf: p('SELECT kind, value FROM identities WHERE site_id = ? AND profile_id = ? ORDER BY created_at, kind'),
    linkIdentity: p(`INSERT INTO identities (site_id, kind, value, profile_id, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (site_id, kind, value) DO UPDATE SET profile_id = excluded.profile_id`),
    mergedInto: p('SELECT into_id FROM merges WHERE site_id = ? AND from_id = ?'),
    insertEvent: p(`INSERT OR IGNORE INTO events (site_id, source, message_id, profile_id, type, name, anonymous_id,
      user_id, ts, received_at, trusted, bot, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    eventsOf: p('SELECT * FROM events WHERE site_id = ? AND profile_id = ? ORDER BY ts, seq'),
    timeline: p('SELECT * FROM events WHERE site_id = ? AND profile_id = ? AND ts <= ? AND (ts < ? OR seq < ?) ORDER BY ts DESC, seq DESC LIMIT ?'),
    insertOrder: p(`INSERT OR IGNORE INTO orders (site_id, order_id, profile_id, ts, amount, currency, status, items)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    getOrder: p('SELECT * FROM orders WHERE site_id = ? AND order_id = ?'),
    setOrderStatus: p('UPDATE orders SET status = ? WHERE site_id = ? AND order_id = ?'),
    listOffers: p("SELECT data FROM offers WHERE site_id = ? ORDER BY id"),
    getOffer: p('SELECT version FROM offers WHERE site_id = ? AND id = ?'),
    upsertOffer: p(`INSERT INTO offers (site_id, id, version, status, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (site_id, id) DO UPDATE SET version = excluded.version, status = excluded.status, data = excluded.data,
      updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
    insertOfferVersion: p('INSERT INTO offer_versions (site_id, id, version, data, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)'),
    offerHistory: p('SELECT data FROM offer_versions WHERE site_id = ? AND id = ? ORDER BY version DESC'),
    insertDecision: p(`INSERT INTO decisions (site_id, id, profile_id, placement, offer_id, offer_version, arm, holdout, session_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    getDecision: p('SELECT * FROM decisions WHERE site_id = ? AND id = ?'),
    insertOutcome: p('INSERT OR IGNORE INTO outcomes (site_id, decision_id, kind, at, value) VALUES (?, ?, ?, ?, ?)'),
    exposures: p(`SELECT d.id, d.offer_id, d.placement, d.session_id, d.created_at, d.holdout, o.kind, o.at AS oat
      FROM decisions d LEFT JOIN outcomes o ON o.site_id = d.site_id AND o.decision_id = d.id
      WHERE d.site_id = ? AND d.profile_id = ? AND d.created_at >= ? ORDER BY d.created_at`),
    bumpBandit: p(`INSERT INTO bandit (site_id, offer_id, arm, trials, conversions, value) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (site_id, offer_id, arm) DO UPDATE SET trials = trials + excluded.trials,
      conversions = conversions + excluded.conversions, value = value + excluded.value`),
    bandit: p('SELECT * FROM bandit WHERE site_id = ?'),
    redemptions: p(`SELECT d.offer_id, COUNT(*) AS n FROM outcomes o JOIN decisions d ON d.site_id = o.site_id AND d.id = o.decision_id
      WHERE o.site_id = ? AND o.kind = 'conversion' AND d.holdout = 0 GROUP BY d.offer_id`),
    getModel: p('SELECT data FROM shop_models WHERE site_id = ?'),
    saveModel: p(`INSERT INTO shop_models (site_id, data, fitted_at) VALUES (?, ?, ?)
      ON CONFLICT (site_id) DO UPDATE SET data = excluded.data, fitted_at = excluded.fitted_at`),
    moveIdentities: p('UPDATE identities SET profile_id = ? WHERE site_id = ? AND profile_id = ?'),
    moveEvents: p('UPDATE events SET profile_id = ? WHERE site_id = ? AND profile_id = ?'),
    moveOrders: p('UPDATE orders SET profile_id = ? WHERE site_id = ? AND profile_id = ?'),
    moveDecisions: p('UPDATE decisions SET profile_id = ? WHERE site_id = ? AND profile_id = ?'),
    repointMerges: p('UPDATE merges SET into_id = ? WHERE site_id = ? AND into_id = ?'),
    insertMerge: p('INSERT OR REPLACE INTO merges (site_id, from_id, into_id, at) VALUES (?, ?, ?, ?)'),
  };
}

/** Portable SQL with a statement cache: feature modules prepare nothing themselves. */
function portableQuery(db: Database.Database, profiles: ProfileCache, beforeQuery: (sql: string) => void) {
  const cache = new Map<string, Database.Statement>();
  const clears = new Set<string>();
  const lastChanges = db.prepare('SELECT changes() AS n');
  return (sql: string, params: unknown[] = []) => {
    beforeQuery(sql);
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql);
      cache.set(sql, st);
      if (touchesCachedTables(sql)) clears.add(sql);
    }
    const args = params.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
    if (clears.has(sql)) profiles.clear();
    if (st.reader) {
      const rows = st.all(...args) as Row[];
      // INSERT/UPDATE/DELETE … RETURNING read too: report their changes, as PostgreSQL does.
      return { rows, changes: /^\s*(select|with|values|pragma|explain)\b/i.test(sql) ? 0 : (lastChanges.get() as Row).n };
    }
    return { rows: [], changes: st.run(...args).changes };
  };
}

/** The row of a profile: from the cache, else read (and kept). */
function profileRow(q: ReturnType<typeof prepareAll>, cache: ProfileCache, siteId: string, id: string): CachedRow | undefined {
  const hit = cache.row(siteId, id);
  if (hit) return hit;
  const r = q.getProfile.get(siteId, id) as CachedRow | undefined;
  if (r) cache.putRow(r);
  return r;
}

/** A fresh Profile from a row's stored text (never a shared object: callers mutate what they get). */
function cachedProfile(q: ReturnType<typeof prepareAll>, cache: ProfileCache, r: CachedRow): Profile {
  const held = cache.row(r.site_id, r.id) === r ? r : undefined;
  let ids = held?.identities;
  if (!ids) {
    ids = (q.identitiesOf.all(r.site_id, r.id) as Row[]).map((i) => ({ kind: i.kind, value: i.value }));
    if (held) held.identities = ids;
  }
  return {
    siteId: r.site_id, id: r.id, userId: r.user_id, traits: JSON.parse(r.traits), stats: JSON.parse(r.stats),
    scores: JSON.parse(r.scores), createdAt: r.created_at, updatedAt: r.updated_at,
    identities: ids.map((i) => ({ kind: i.kind, value: i.value })),
  };
}

function linkedProfile(q: ReturnType<typeof prepareAll>, cache: ProfileCache, siteId: string, id: ProfileIdentity): string | undefined {
  const hit = cache.link(siteId, id.kind, id.value);
  if (hit) return hit;
  const r = q.findIdentity.get(siteId, id.kind, id.value) as Row | undefined;
  if (r) cache.putLink(siteId, id.kind, id.value, r.profile_id);
  return r?.profile_id;
}

function makeTx(db: Database.Database, q: ReturnType<typeof prepareAll>, query: Tx['query'], cache: ProfileCache): Tx {
  const events = sqliteBulkEvents(db);
  return {
    query,
    ...sqliteBulkImport(db, () => cache.clear()),
    storedMessageIds: events.storedMessageIds,
    lock() {
      // One connection, one writer: BEGIN IMMEDIATE already serialises every write transaction.
    },
    findProfileIds(siteId, ids) {
      const out = new Map<string, string>();
      // A long list (a chunk of an import) naming a kind of id the site has none of yet — a new
      // shop's first import of its customers — needs no lookup per id: one query says so.
      const absent = new Set<string>();
      if (ids.length >= 64) for (const kind of new Set(ids.map((i) => i.kind))) if (!q.anyIdentityOfKind.get(siteId, kind)) absent.add(kind);
      for (const id of ids) {
        if (absent.has(id.kind)) continue;
        const pid = linkedProfile(q, cache, siteId, id);
        if (pid) out.set(`${id.kind}:${id.value}`, pid);
      }
      return out;
    },
    getProfile(siteId, profileId) {
      const r = profileRow(q, cache, siteId, profileId);
      return r ? cachedProfile(q, cache, r) : null;
    },
    saveProfile(p) {
      const traits = JSON.stringify(p.traits);
      const stats = JSON.stringify(p.stats);
      const scores = JSON.stringify(p.scores);
      q.saveProfile.run(p.siteId, p.id, p.userId, traits, stats, scores, p.createdAt, p.updatedAt);
      cache.saved(p.siteId, p.id, p.userId, traits, stats, scores, p.updatedAt);
    },
    linkIdentity(siteId, id, profileId, now) {
      // The identity may move from another profile: both lists change.
      const before = q.findIdentity.get(siteId, id.kind, id.value) as Row | undefined;
      q.linkIdentity.run(siteId, id.kind, id.value, profileId, now);
      for (const pid of [before?.profile_id, profileId]) {
        const r = pid && cache.row(siteId, pid);
        if (r) r.identities = undefined;
      }
      cache.putLink(siteId, id.kind, id.value, profileId);
    },
    identitiesOf(siteId, profileId) {
      return (q.identitiesOf.all(siteId, profileId) as Row[]).map((i): ProfileIdentity => ({ kind: i.kind, value: i.value }));
    },
    mergeInto(siteId, fromId, intoId, now) {
      if (fromId === intoId) return;
      for (const move of [q.moveIdentities, q.moveEvents, q.moveOrders, q.moveDecisions]) move.run(intoId, siteId, fromId);
      for (const move of PROFILE_TABLES) query(`UPDATE ${move.table} SET ${move.column} = ? WHERE site_id = ? AND ${move.column} = ?`, [intoId, siteId, fromId]);
      q.repointMerges.run(intoId, siteId, fromId);
      q.insertMerge.run(siteId, fromId, intoId, now);
      q.deleteProfile.run(siteId, fromId);
      cache.clear(); // rare: identities, events and feature rows all moved
    },
    insertEvents(rows: StoredEvent[]) {
      // A batch of one site and source: one duplicate check and multi-row INSERTs (bulk-events.ts).
      if (rows.length >= 8 && rows.every((r) => r.siteId === rows[0].siteId && r.source === rows[0].source)) return events.insertMany(rows);
      // A few rows: one prepared INSERT each (measured faster than multi-row INSERTs with RETURNING).
      return rows.map((e) => q.insertEvent.run(e.siteId, e.source, e.messageId, e.profileId, e.type, e.name, e.anonymousId,
        e.userId, e.ts, e.receivedAt, e.trusted ? 1 : 0, e.bot ? 1 : 0, JSON.stringify(bodyToStore(e))).changes === 1);
    },
    eventsOf(siteId, profileId) {
      return (q.eventsOf.all(siteId, profileId) as Row[]).map(eventFromRow);
    },
    insertOrder(o: OrderRow) {
      return q.insertOrder.run(o.siteId, o.orderId, o.profileId, o.ts, o.amount, o.currency, o.status, JSON.stringify(o.items)).changes === 1;
    },
    setOrderStatus(siteId, orderId, status) {
      const r = q.getOrder.get(siteId, orderId) as Row | undefined;
      if (!r) return null;
      q.setOrderStatus.run(status, siteId, orderId);
      return { siteId, orderId, profileId: r.profile_id, ts: r.ts, amount: r.amount, currency: r.currency, status: r.status, items: JSON.parse(r.items) };
    },
    insertDecisions(rows: DecisionRow[]) {
      for (const d of rows) q.insertDecision.run(d.siteId, d.id, d.profileId, d.placement, d.offerId, d.offerVersion, d.arm, d.holdout ? 1 : 0, d.sessionId, d.createdAt);
    },
    insertOutcome(o: OutcomeRow) {
      const d = q.getDecision.get(o.siteId, o.decisionId) as Row | undefined;
      if (!d) return null;
      if (q.insertOutcome.run(o.siteId, o.decisionId, o.kind, o.at, o.value).changes === 0) return null;
      return { siteId: d.site_id, id: d.id, profileId: d.profile_id, placement: d.placement, offerId: d.offer_id, offerVersion: d.offer_version, arm: d.arm, holdout: !!d.holdout, sessionId: d.session_id, createdAt: d.created_at };
    },
    bumpBandit(siteId, offerId, arm, delta) {
      q.bumpBandit.run(siteId, offerId, arm, delta.trials ?? 0, delta.conversions ?? 0, delta.value ?? 0);
    },
  };
}


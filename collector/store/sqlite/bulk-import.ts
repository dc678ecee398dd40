/**
 * The SQLite store's bulk path for history imports (services/orders-import.ts): the same rows
 * `insertOrder`, `insertEvents`, `saveProfile` and `linkIdentity` write, without their per-row
 * extras (duplicate reports, profile-cache upkeep, the lookup before each link). Runs inside
 * `write()`, so a batch is stored whole or not at all.
 *
 * Why it is faster: duplicates are found with one query per chunk (we hold the write lock, so
 * nothing can slip in between the check and the inserts), every table is filled through
 * multi-row INSERTs that bind the values common to all rows once (bulk-insert.ts), and the
 * caller hands rows over in key order so each B-tree mostly appends.
 */
import type Database from 'better-sqlite3';
import type { Profile } from '../../profile.ts';
import type { ImportBatch, OrderRow, StoredEvent } from '../types.ts';
import { multiRowInsert } from './bulk-insert.ts';

export function sqliteBulkImport(db: Database.Database, afterWrite: () => void) {
  const anyOrder = db.prepare('SELECT 1 FROM orders WHERE site_id = ? LIMIT 1').pluck();
  const known = db.prepare('SELECT o.order_id FROM json_each(?) j JOIN orders o ON o.site_id = ? AND o.order_id = j.value').pluck();
  // Plain INSERT: the caller passes only orders `knownOrderIds` did not return; a clash is a bug and aborts the batch.
  const orders = multiRowInsert<OrderRow>(db, {
    insert: 'INSERT INTO orders (site_id, order_id, profile_id, ts, amount, currency, status, items)',
    columns: ['site', null, null, null, null, 'currency', 'status', null],
    own: (o, a, i) => { a[i] = o.orderId; a[i + 1] = o.profileId; a[i + 2] = o.ts; a[i + 3] = o.amount; a[i + 4] = JSON.stringify(o.items); },
    shared: (o) => ({ site: o.siteId, currency: o.currency, status: o.status }),
    same: (x, y) => x.siteId === y.siteId && x.currency === y.currency && x.status === y.status,
  });
  const events = multiRowInsert<StoredEvent>(db, {
    insert: `INSERT OR IGNORE INTO events (site_id, source, message_id, profile_id, type, name, anonymous_id, user_id, ts,
      received_at, trusted, bot, body)`,
    columns: ['site', 'source', null, null, 'type', 'name', null, null, null, 'received', 'trusted', 'bot', null],
    own: (e, a, i) => { a[i] = e.messageId; a[i + 1] = e.profileId; a[i + 2] = e.anonymousId; a[i + 3] = e.userId; a[i + 4] = e.ts; a[i + 5] = JSON.stringify(e.body); },
    shared: (e) => ({ site: e.siteId, source: e.source, type: e.type, name: e.name, received: e.receivedAt, trusted: e.trusted ? 1 : 0, bot: e.bot ? 1 : 0 }),
    same: (x, y) => x.siteId === y.siteId && x.source === y.source && x.type === y.type && x.name === y.name
      && x.receivedAt === y.receivedAt && x.trusted === y.trusted && x.bot === y.bot,
  });
  // New profiles of one batch share one (unscored) scores object: serialised once per batch.
  let lastScores: unknown = null;
  let lastScoresJson = '';
  const scoresJson = (scores: Profile['scores']) => {
    if (scores !== lastScores) { lastScores = scores; lastScoresJson = JSON.stringify(scores); }
    return lastScoresJson;
  };
  const profiles = multiRowInsert<Profile>(db, {
    insert: 'INSERT INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at)',
    columns: ['site', null, null, null, null, null, null, null],
    own: (p, a, i) => {
      a[i] = p.id; a[i + 1] = p.userId; a[i + 2] = JSON.stringify(p.traits); a[i + 3] = JSON.stringify(p.stats);
      a[i + 4] = scoresJson(p.scores); a[i + 5] = p.createdAt; a[i + 6] = p.updatedAt;
    },
    shared: (p) => ({ site: p.siteId }),
    same: (x, y) => x.siteId === y.siteId,
    tail: `ON CONFLICT (site_id, id) DO UPDATE SET user_id = excluded.user_id, traits = excluded.traits, stats = excluded.stats,
      scores = excluded.scores, updated_at = excluded.updated_at`,
  });
  const links = multiRowInsert<ImportBatch['links'][number]>(db, {
    insert: 'INSERT INTO identities (site_id, kind, value, profile_id, created_at)',
    columns: ['site', 'kind', null, null, 'at'],
    own: (l, a, i) => { a[i] = l.id.value; a[i + 1] = l.profileId; },
    shared: (l) => ({ site: l.siteId, kind: l.id.kind, at: l.at }),
    same: (x, y) => x.siteId === y.siteId && x.id.kind === y.id.kind && x.at === y.at,
    tail: 'ON CONFLICT (site_id, kind, value) DO UPDATE SET profile_id = excluded.profile_id',
  });

  return {
    /** Which of these order ids the site already has: one query, none at all for a site without orders. */
    knownOrderIds(siteId: string, orderIds: string[]): Set<string> {
      if (orderIds.length === 0 || !anyOrder.get(siteId)) return new Set();
      return new Set(known.all(JSON.stringify(orderIds), siteId) as string[]);
    },

    insertImported(b: ImportBatch): void {
      orders(b.orders);
      events(b.events);
      lastScores = null;
      profiles(b.profiles);
      links(b.links);
      // Profiles and links changed behind the profile cache's back.
      afterWrite();
    },
  };
}

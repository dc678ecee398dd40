/**
 * The SQLite store's bulk path for history imports (services/orders-import.ts): the same rows
 * `insertOrder`, `insertEvents`, `saveProfile` and `linkIdentity` write, without their per-row
 * extras (duplicate reports, profile-cache upkeep, the lookup before each link). Runs inside
 * `write()`, so a batch is stored whole or not at all.
 *
 * Why it is faster: duplicates are found with one query per chunk (we hold the write lock, so
 * nothing can slip in between the check and the inserts); each order's values are bound once, into
 * a staging table, and SQLite itself writes from there both the `orders` row and the `Order
 * Completed` event, JSON text included (measured on the CDNOW import: about half the time of
 * building both rows in JavaScript, serialising their JSON and binding every value twice); every
 * table is filled through multi-row INSERTs (bulk-insert.ts); and the caller hands rows over in key
 * order so each B-tree mostly appends.
 */
import type Database from 'better-sqlite3';
import type { Profile } from '../../profile.ts';
import type { ImportBatch, ImportBatchOrder } from '../types.ts';
import { multiRowInsert } from './bulk-insert.ts';

/** Characters JSON.stringify escapes in a string: a string without them is JSON once quoted. */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string's JSON text when quoting alone would not give it (SQL falls back to '"' || s || '"'). */
const escaped = (s: string) => (ESCAPED.test(s) ? JSON.stringify(s) : null);

/** A number as JSON.stringify writes it (SQLite would write 100.0 for 100). */
const jsonNumber = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

// The JSON of a staged order, as JSON.stringify writes orderRow().items and orderEvent().body.
const str = (col: string, json = `${col}_json`) => `coalesce(${json}, '"' || ${col} || '"')`;
const ITEMS = `CASE WHEN category IS NULL AND quantity_text IS NULL THEN '[]' ELSE '[{'
  || CASE WHEN category IS NULL THEN '' ELSE '"category":' || ${str('category')} || ',' END
  || '"amount":' || amount_text || CASE WHEN quantity_text IS NULL THEN '' ELSE ',"quantity":' || quantity_text END || '}]' END`;
// Type and event name are the row's columns, left out of the stored body as everywhere (store/event-body.ts).
const BODY = `'{"properties":{"order_id":' || ${str('order_id', 'order_json')}
  || ',"revenue":' || amount_text || ',"currency":' || ${str('currency')}
  || CASE WHEN price_text IS NULL THEN '' ELSE ',"products":[{'
    || CASE WHEN category IS NULL THEN '' ELSE '"category":' || ${str('category')} || ',' END
    || '"quantity":' || coalesce(quantity_text, '1') || ',"price":' || price_text || '}]' END || '}'
  || CASE WHEN date_only THEN ',"context":{"dateOnly":true}' ELSE '' END || '}'`;

export function sqliteBulkImport(db: Database.Database, afterWrite: () => void) {
  const anyOrder = db.prepare('SELECT 1 FROM orders WHERE site_id = ? LIMIT 1').pluck();
  // IN (subquery), not a join: for a join the planner may choose to scan the site's orders and probe the list per row.
  const known = db.prepare('SELECT order_id FROM orders WHERE site_id = ? AND order_id IN (SELECT value FROM json_each(?))').pluck();
  // The staging table lives in the connection's temp schema, created on first use; a rolled-back
  // transaction takes its creation with it, hence the check before each batch.
  const staged = db.prepare("SELECT 1 FROM sqlite_temp_schema WHERE name = 'import_orders'").pluck();
  let stage: ReturnType<typeof staging> | null = null;
  // New profiles of one batch share one (unscored) scores object: serialised once per batch.
  let lastScores: unknown = null;
  let lastScoresJson = '';
  const scoresJson = (scores: Profile['scores']) => {
    if (scores !== lastScores) { lastScores = scores; lastScoresJson = JSON.stringify(scores); }
    return lastScoresJson;
  };
  const profileSpec = (tail: string) => multiRowInsert<Profile>(db, {
    insert: 'INSERT INTO profiles (site_id, id, user_id, traits, stats, scores, created_at, updated_at)',
    columns: ['site', null, null, null, null, null, null, null],
    own: (p, a, i) => {
      a[i] = p.id; a[i + 1] = p.userId; a[i + 2] = JSON.stringify(p.traits); a[i + 3] = JSON.stringify(p.stats);
      a[i + 4] = scoresJson(p.scores); a[i + 5] = p.createdAt; a[i + 6] = p.updatedAt;
    },
    shared: (p) => ({ site: p.siteId }),
    same: (x, y) => x.siteId === y.siteId,
    tail,
  });
  // A profile linked in the batch is new (the caller creates a profile and its link together): a
  // plain INSERT, which SQLite does in one descent of the B-tree instead of the upsert's two. Were
  // it not new after all, the INSERT fails and the batch with it.
  const newProfiles = profileSpec('');
  const profiles = profileSpec(`ON CONFLICT (site_id, id) DO UPDATE SET user_id = excluded.user_id, traits = excluded.traits,
    stats = excluded.stats, scores = excluded.scores, updated_at = excluded.updated_at`);
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
      return new Set(known.all(siteId, JSON.stringify(orderIds)) as string[]);
    },

    insertImported(b: ImportBatch): void {
      if (!stage || !staged.get()) stage = staging(db);
      stage.clear.run();
      stage.insert(b.orders, b.profileIds);
      // Plain INSERT: the caller passes only orders `knownOrderIds` did not return; a clash is a bug and aborts the batch.
      stage.orders.run({ site: b.siteId });
      stage.events.run({ site: b.siteId, received: b.receivedAt });
      stage.clear.run();
      lastScores = null;
      if (b.links.length === b.profiles.length) newProfiles(b.profiles);
      else {
        const linked = new Set(b.links.map((l) => l.profileId));
        newProfiles(b.profiles.filter((p) => linked.has(p.id)));
        profiles(b.profiles.filter((p) => !linked.has(p.id)));
      }
      links(b.links);
      // Profiles and links changed behind the profile cache's back.
      afterWrite();
    },
  };
}

function staging(db: Database.Database) {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS import_orders (
    order_id TEXT NOT NULL, order_json TEXT, profile_id TEXT NOT NULL, user_id TEXT, ts INTEGER NOT NULL, amount REAL NOT NULL,
    amount_text TEXT NOT NULL, currency TEXT NOT NULL, currency_json TEXT, category TEXT, category_json TEXT,
    quantity_text TEXT, price_text TEXT, date_only INTEGER NOT NULL)`);
  let profileIds: string[] = [];
  const stageRows = multiRowInsert<ImportBatchOrder>(db, {
    insert: `INSERT INTO temp.import_orders (order_id, order_json, profile_id, user_id, ts, amount, amount_text, currency, currency_json,
      category, category_json, quantity_text, price_text, date_only)`,
    columns: [null, null, null, null, null, null, null, 'currency', 'currencyJson', null, null, null, null, null],
    own: (o, a, i, n) => {
      a[i] = o.orderId; a[i + 1] = escaped(o.orderId); a[i + 2] = profileIds[n]; a[i + 3] = o.customerId; a[i + 4] = o.ts; a[i + 5] = o.amount;
      a[i + 6] = jsonNumber(o.amount); a[i + 7] = o.category; a[i + 8] = o.category && escaped(o.category);
      a[i + 9] = o.quantity ? jsonNumber(o.quantity) : null;
      // As orderProperties(): a product line when the file gave a category or a quantity.
      a[i + 10] = o.category || o.quantity ? jsonNumber(o.amount / (o.quantity ?? 1)) : null;
      a[i + 11] = o.dateOnly ? 1 : 0;
    },
    shared: (o) => ({ currency: o.currency, currencyJson: escaped(o.currency) }),
    same: (x, y) => x.currency === y.currency,
  });
  return {
    /** Stage orders[i] with its profile profileIds[i]. */
    insert(orders: ImportBatchOrder[], ids: string[]) {
      profileIds = ids;
      try {
        stageRows(orders);
      } finally {
        profileIds = [];
      }
    },
    orders: db.prepare(`INSERT INTO orders (site_id, order_id, profile_id, ts, amount, currency, status, items)
      SELECT @site, order_id, profile_id, ts, amount, currency, 'completed', ${ITEMS} FROM temp.import_orders ORDER BY rowid`),
    events: db.prepare(`INSERT OR IGNORE INTO events (site_id, source, message_id, profile_id, type, name, anonymous_id, user_id, ts,
      received_at, trusted, bot, body)
      SELECT @site, 'import', 'import:' || order_id, profile_id, 'track', 'Order Completed', NULL, user_id, ts, @received, 1, 0, ${BODY}
      FROM temp.import_orders ORDER BY rowid`),
    clear: db.prepare('DELETE FROM temp.import_orders'),
  };
}

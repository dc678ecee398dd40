/**
 * The SQLite store's bulk import path (store/sqlite/bulk-import.ts, services/orders-import-bulk.ts)
 * against the portable per-order path PostgreSQL takes: same rows, same stats, same counts —
 * and nothing stored when a chunk fails halfway.
 */
import { describe, it, expect } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../collector/store/sqlite/index.ts';
import { createSite } from '../../collector/services/sites.ts';
import { importOrders, parseOrdersCsv } from '../../collector/services/orders-import.ts';
import { EMPTY_MODEL } from '../../collector/models/shop-model.ts';
import { recomputeStats } from '../../collector/services/identity.ts';
import type { Services } from '../../collector/services/context.ts';
import type { Site, Store, Tx } from '../../collector/store/types.ts';
import { openTestPostgres, postgresUnavailable } from '../store/pg.ts';

const NOW = Date.UTC(2026, 5, 1);

async function shop(wrap: (s: SqliteStore) => Store = (s) => s) {
  const db = openSqliteStore(':memory:');
  return { db, ...(await shopOn(wrap(db))) };
}

async function shopOn(store: Store) {
  let n = 0;
  // Deterministic ids, so two stores fed the same files hold the same rows.
  const newId = () => `id${String(++n).padStart(6, '0')}`;
  const site = await createSite(store, { name: 'Shop', settings: { currency: 'VND' } }, newId, NOW);
  const svc: Services = { store, clock: { now: () => NOW }, newId, random: () => 0.5, signingKey: '', model: () => EMPTY_MODEL };
  const run = (text: string, opts: Parameters<typeof importOrders>[3] = {}) =>
    importOrders(svc, site, parseOrdersCsv(text, { utcOffsetMinutes: 420, currency: 'VND', now: NOW }), opts);
  return { site, svc, run };
}

/** The same store without its bulk methods: every chunk goes through the portable Tx, order by order. */
const portable = (s: SqliteStore): Store => ({
  ...s,
  write: (fn) => s.write((tx) => fn({ ...tx, knownOrderIds: undefined, insertImported: undefined } as Tx)),
});

/** Everything an import writes, in a stable order. */
function dump(db: SqliteStore, site: Site) {
  const all = (sql: string) => db.db.prepare(sql).all(site.id);
  return {
    orders: all('SELECT * FROM orders WHERE site_id = ? ORDER BY order_id'),
    events: all('SELECT site_id, source, message_id, profile_id, type, name, anonymous_id, user_id, ts, received_at, trusted, bot, body FROM events WHERE site_id = ? ORDER BY message_id'),
    profiles: all('SELECT * FROM profiles WHERE site_id = ? ORDER BY id'),
    identities: all('SELECT * FROM identities WHERE site_id = ? ORDER BY kind, value'),
  };
}

const FIRST = 'customer_id,order_date,amount,order_id\nu1,2026-01-05,100000,o1\n';
const SECOND = [
  'customer_id,order_date,amount,order_id,quantity,category',
  'u1,2026-01-05,100000,o1,,', // known from the first file
  'u1,2026-02-01,40000,o2,2,tea',
  'u2,2026-02-03,15000,,1,', // derived ids: the n-th identical row keeps its own
  'u2,2026-02-03,15000,,1,',
  'u3,2026-03-01,70000,o3,,coffee',
  'u4,2026-03-02,5000,o3,,', // the same order id twice in one file: the second is a duplicate
  'u10,2026-03-03,9000,,,',
  'u1,2026-03-04,30000,o4,,tea',
  'u10,2026-03-05T21:30:00+07:00,9000,o5,,', // a time of day given
].join('\n');

describe('orders import: a bare date says nothing about the time of day', () => {
  it('counts date-only orders for value but not for time of day, on both paths and when the history is replayed', async () => {
    for (const s of [await shop(), await shop(portable)]) {
      await s.run(SECOND);
      const u1 = await s.db.findProfile(s.site.id, 'u1');
      // Three date-only orders (placed at noon): no afternoon shopper made of them.
      expect(u1!.stats).toMatchObject({ orders: 3, purchaseDays: 3 });
      expect(u1!.stats.needs!.dayParts).toEqual([0, 0, 0, 0]);
      const u10 = await s.db.findProfile(s.site.id, 'u10');
      expect(u10!.stats.needs!.dayParts).toEqual([0, 0, 0, 1]); // 21:30 in the shop's time zone: evening
      // A merge rebuilds stats from the stored events: it must read them as the import did.
      const rows = s.db.db.prepare('SELECT type, name, ts, trusted, body, message_id FROM events WHERE profile_id = ? ORDER BY ts').all(u1!.id) as { type: string; name: string; ts: number; trusted: number; body: string; message_id: string }[];
      const replayed = recomputeStats(rows.map((r) => ({ ...r, trusted: !!r.trusted, body: JSON.parse(r.body), messageId: r.message_id, bot: false }) as never), s.site, NOW);
      expect(replayed.needs!.dayParts).toEqual([0, 0, 0, 0]);
      expect(replayed.orders).toBe(3);
    }
  });
});

describe('orders import: SQLite bulk path', () => {
  it('stores exactly what the portable per-order path stores, across chunks, duplicates and known customers', async () => {
    const bulk = await shop();
    const slow = await shop(portable);
    for (const s of [bulk, slow]) await s.run(FIRST);
    const progress: number[] = [];
    const a = await bulk.run(SECOND, { chunkOrders: 3, onProgress: (done) => progress.push(done) });
    const b = await slow.run(SECOND, { chunkOrders: 3 });
    expect({ ...a, ms: 0 }).toEqual({ ...b, ms: 0 });
    expect(a).toMatchObject({ rows: 9, imported: 7, duplicates: 2, customers: 5, profilesCreated: 3 });
    expect(progress.at(-1)).toBe(9);
    expect(dump(bulk.db, bulk.site)).toEqual(dump(slow.db, slow.site));

    // The customer known before keeps one profile and gains the new orders once.
    const u1 = await bulk.db.findProfile(bulk.site.id, 'u1');
    expect(u1!.stats).toMatchObject({ orders: 3, revenue: 170000 });
    expect(u1!.identities).toEqual([{ kind: 'user', value: 'u1' }]);
    const u2 = await bulk.db.findProfile(bulk.site.id, 'u2');
    expect(u2!.stats).toMatchObject({ orders: 2, revenue: 30000 });
    // The order id seen twice belongs to the first customer that had it; the second never got a profile.
    expect(await bulk.db.findProfile(bulk.site.id, 'u4')).toBeNull();

    // Importing the same file again changes nothing, on either path.
    const before = dump(bulk.db, bulk.site);
    const again = await bulk.run(SECOND, { chunkOrders: 3 });
    expect(again).toMatchObject({ imported: 0, duplicates: 9, profilesCreated: 0, profileIds: [] });
    expect(dump(bulk.db, bulk.site)).toEqual(before);
    await Promise.all([bulk.db.close(), slow.db.close()]);
  });

  it('finds known customers in long chunks, whether the shop has no customer ids yet or some', async () => {
    // 120 customers in one chunk: the store answers "which are known" for the whole list at once
    // when the site has no customer id at all (a new shop's first import), and id by id otherwise.
    const many = ['customer_id,order_date,amount', ...Array.from({ length: 240 }, (_, i) => `c${i % 120},2026-02-${String(1 + (i % 28)).padStart(2, '0')},${500 + i}`)].join('\n');
    const bulk = await shop();
    const slow = await shop(portable);
    const first = await bulk.run(many);
    expect({ ...first, ms: 0 }).toEqual({ ...(await slow.run(many)), ms: 0 });
    expect(first).toMatchObject({ imported: 240, customers: 120, profilesCreated: 120 });

    // Later files name 120 customers, two of them known: they keep their one profile.
    const later = ['customer_id,order_date,amount', 'c7,2026-03-01,9000', 'c99,2026-03-02,8000',
      ...Array.from({ length: 118 }, (_, i) => `n${i},2026-03-03,${100 + i}`)].join('\n');
    const again = await bulk.run(later);
    expect({ ...again, ms: 0 }).toEqual({ ...(await slow.run(later)), ms: 0 });
    expect(again).toMatchObject({ imported: 120, customers: 120, profilesCreated: 118 });
    expect(dump(bulk.db, bulk.site)).toEqual(dump(slow.db, slow.site));
    expect((await bulk.db.findProfile(bulk.site.id, 'c7'))!.stats).toMatchObject({ orders: 3, revenue: 500 + 7 + 500 + 127 + 9000 });
    await Promise.all([bulk.db.close(), slow.db.close()]);
  });

  it('writes the JSON of awkward values exactly as the per-order path does', async () => {
    // SQLite writes the bulk path's JSON text; JavaScript writes the per-order path's.
    const text = [
      'customer_id,order_date,amount,order_id,quantity,category',
      'u1,2026-01-05,100,"say ""hi""\\",3,"tea, green"', // quote and backslash in the order id, comma in the category
      'u1,2026-01-06,0.1,o2,3,trà\tđá', // a price with 17 digits; unicode and a backslash in the category
      'u2,2026-01-07,0.0000001,o3,,', // 1e-7: exponent notation
      'u2,2026-01-08,999999999999999.9,o4,0.5,', // 17 significant digits just under the 10^15 cap, fractional quantity
      'u3,2026-01-09,12.00,,,x',
    ].join('\n');
    const bulk = await shop();
    const slow = await shop(portable);
    const a = await bulk.run(text);
    const b = await slow.run(text);
    expect(a).toMatchObject({ imported: 5, rejected: 0 });
    expect({ ...a, ms: 0 }).toEqual({ ...b, ms: 0 });
    const d = dump(bulk.db, bulk.site);
    expect(d).toEqual(dump(slow.db, slow.site));
    expect((d.events as { body: string }[]).map((e) => JSON.parse(e.body).properties)).toContainEqual(
      { order_id: 'say "hi"\\', revenue: 100, currency: 'VND', products: [{ category: 'tea, green', quantity: 3, price: 100 / 3 }] },
    );
    await Promise.all([bulk.db.close(), slow.db.close()]);
  });

  it('stores nothing of a chunk that fails halfway, and the next import completes it', async () => {
    let calls = 0;
    // A real store whose second bulk write fails after the first has gone through.
    const failing = (s: SqliteStore): Store => ({
      ...s,
      write: (fn) => s.write((tx) => fn({
        ...tx,
        insertImported: (batch) => {
          if (++calls === 2) throw new Error('disk full');
          return tx.insertImported!(batch);
        },
      })),
    });
    const t = await shop(failing);
    const rows = Array.from({ length: 600 }, (_, i) => `c${i % 200},2026-01-${String(1 + (i % 28)).padStart(2, '0')},${1000 + i}`);
    const text = ['customer_id,order_date,amount', ...rows].join('\n');
    await expect(t.run(text)).rejects.toThrow('disk full');
    expect(calls).toBe(2);
    const counts = () => Object.values(dump(t.db, t.site)).map((r) => r.length);
    expect(counts()).toEqual([0, 0, 0, 0]);
    // The profile cache forgot nothing it should not have: the customers are still unknown.
    expect(await t.db.findProfile(t.site.id, 'c1')).toBeNull();

    const ok = await t.run(text);
    expect(ok).toMatchObject({ imported: 600, duplicates: 0, customers: 200, profilesCreated: 200 });
    expect(counts()).toEqual([600, 600, 200, 200]);
    expect((await t.db.findProfile(t.site.id, 'c1'))!.stats.orders).toBe(3);
    expect(await t.run(text)).toMatchObject({ imported: 0, duplicates: 600 });
    await t.db.close();
  });
});

const pgSkip = await postgresUnavailable();

describe.skipIf(pgSkip !== null)(`orders import: PostgreSQL, order by order${pgSkip ? ` — ${pgSkip}` : ''}`, () => {
  it('ends with the same profiles, stats and timelines as the SQLite bulk path', async () => {
    const pg = await openTestPostgres();
    try {
      const slow = await shopOn(pg.store);
      const bulk = await shop();
      for (const s of [bulk, slow]) await s.run(FIRST);
      const b = await slow.run(SECOND, { chunkOrders: 3 });
      const a = await bulk.run(SECOND, { chunkOrders: 3 });
      expect({ ...b, ms: 0 }).toEqual({ ...a, ms: 0 });
      for (const id of ['u1', 'u2', 'u3', 'u4', 'u10']) {
        const [p, q] = [await slow.svc.store.findProfile(slow.site.id, id), await bulk.db.findProfile(bulk.site.id, id)];
        expect(p && { ...p, siteId: '' }).toEqual(q && { ...q, siteId: '' });
        if (!p) continue;
        const [tp, tq] = [await pg.store.timeline(slow.site.id, p.id, { limit: 50 }), await bulk.db.timeline(bulk.site.id, p.id, { limit: 50 })];
        const strip = (e: (typeof tp)[number]) => ({ ...e, siteId: '', seq: 0 });
        expect(tp.map(strip)).toEqual(tq.map(strip));
      }
      expect(await slow.run(SECOND)).toMatchObject({ imported: 0, duplicates: 9 });
      await bulk.db.close();
    } finally {
      await pg.dispose();
    }
  });
});

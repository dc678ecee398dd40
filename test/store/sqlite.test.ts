import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { storeContract } from './contract.ts';
import { collectorOn } from './harness.ts';

storeContract('sqlite', async () => {
  const store = openSqliteStore(':memory:');
  return { store, dispose: () => store.close() };
});

describe('SQLite event rows', () => {
  it('keep only what their columns do not hold (type, ids and name come back from the columns)', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const h = await collectorOn(store);
      const sent = [
        { type: 'track', anonymousId: 'wb', messageId: 'wb1', event: 'Product Viewed', properties: { category: 'tea' }, context: { locale: 'vi-VN' } },
        { type: 'page', anonymousId: 'wb', messageId: 'wb2', name: 'Trà', category: 'Catalog' },
      ];
      expect((await h.post('/v1/batch', { batch: sent, writeKey: h.site.writeKey })).body.accepted).toBe(2);
      const bodies = store.db.prepare('SELECT body FROM events ORDER BY message_id').pluck().all() as string[];
      expect(bodies.map((b) => JSON.parse(b))).toEqual([{ properties: { category: 'tea' }, context: { locale: 'vi-VN' } }, { category: 'Catalog' }]);
      expect((await store.timeline(h.site.id, (await store.findProfile(h.site.id, 'wb'))!.id, { limit: 5 })).map((e) => e.body).reverse()).toEqual(sent);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite file layout', () => {
  it('keeps a profile row whole in its page (no overflow page per profile) in a new file', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const h = await collectorOn(store);
      const categories = ['coffee', 'tea', 'ceramics', 'books', 'snacks', 'gifts', 'kitchen', 'garden'];
      const batch = categories.flatMap((category, i) => [
        { type: 'page', anonymousId: 'rich', messageId: `p${i}`, name: category, properties: { path: `/c/${category}` } },
        { type: 'track', anonymousId: 'rich', messageId: `v${i}`, event: 'Product Viewed', properties: { category, price: 120000 + i * 5000 } },
        { type: 'track', anonymousId: 'rich', messageId: `a${i}`, event: 'Product Added', properties: { category, price: 120000 + i * 5000 } },
      ]);
      expect((await h.post('/v1/batch', { batch, writeKey: h.site.writeKey })).body.accepted).toBe(batch.length);
      const size = store.db.prepare("SELECT length(CAST(traits || stats || scores AS BLOB)) FROM profiles WHERE site_id = ?").pluck().get(h.site.id) as number;
      // More than a 4 KB page keeps in a WITHOUT ROWID row (1,002 bytes): the case that used to spill.
      expect(size).toBeGreaterThan(1002);
      const overflow = store.db.prepare("SELECT count(*) FROM dbstat WHERE name = 'profiles' AND pagetype = 'overflow'").pluck().get();
      expect(overflow).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('leaves the page size of an existing file as it was', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'idic-pages-'));
    try {
      const old = new Database(join(dir, 'old.db'));
      old.pragma('page_size = 4096');
      old.exec('CREATE TABLE kept (x)');
      old.close();
      const store = openSqliteStore(join(dir, 'old.db'));
      expect(store.db.pragma('page_size', { simple: true })).toBe(4096);
      await store.close();
      const fresh = openSqliteStore(join(dir, 'new.db'));
      expect(fresh.db.pragma('page_size', { simple: true })).toBe(8192);
      await fresh.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

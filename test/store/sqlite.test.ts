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

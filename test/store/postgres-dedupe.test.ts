/**
 * Duplicate deliveries racing across instances on PostgreSQL: each instance checks a batch for
 * stored messageIds before the other has committed, so both find every event new. The later
 * insert meets the first one's rows at the primary key; that transaction is retried, and the
 * retry counts them as duplicates — every delivery answered 200, every event stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, postgresUnavailable } from './pg.ts';
import { openPostgresStore, type PostgresStore } from '../../collector/store/postgres/index.ts';
import { createCollector } from '../../collector/app.ts';
import { createSite } from '../../collector/services/sites.ts';

const skip = await postgresUnavailable();

describe.skipIf(!!skip)(`PostgreSQL duplicate deliveries across instances${skip ? ` (${skip})` : ''}`, () => {
  let schema: ReturnType<typeof freshSchema>;
  let stores: PostgresStore[];
  beforeAll(async () => {
    schema = freshSchema();
    stores = [await openPostgresStore(schema.url), await openPostgresStore(schema.url)];
  });
  afterAll(async () => {
    for (const s of stores ?? []) await s.close();
    await schema?.drop();
  });

  it('stores a batch delivered to two instances at once exactly once, answering both', async () => {
    const apps = stores.map((store) => createCollector({ store, cacheTtlMs: 0, log: () => {} }));
    const site = await createSite(stores[0], { name: 'race', settings: { origins: [] } }, apps[0].services.newId, Date.now());
    const auth = { authorization: `Basic ${Buffer.from(`${site.secretKey}:`).toString('base64')}`, 'content-type': 'application/json' };
    const ROUNDS = 12;
    for (let round = 0; round < ROUNDS; round++) {
      const body = JSON.stringify({
        batch: Array.from({ length: 20 }, (_, i) => ({ type: 'page', name: 'Home', messageId: `r${round}-${i}`, anonymousId: `v${i % 4}` })),
      });
      const answers = await Promise.all(apps.map((app) => app.request('/v1/batch', { method: 'POST', headers: auth, body })));
      const bodies = await Promise.all(answers.map((a) => a.json()));
      expect(answers.map((a) => a.status), JSON.stringify(bodies)).toEqual([200, 200]);
      expect(bodies.map((b) => b.accepted).sort()).toEqual([0, 20]);
      expect(bodies.map((b) => b.duplicates).sort()).toEqual([0, 20]);
    }
    const { rows } = await stores[0].query('SELECT COUNT(*) AS n FROM events WHERE site_id = ?', [site.id]);
    expect(rows[0].n).toBe(ROUNDS * 20);
    // Each of the four visitors saw five pages a round, counted once.
    const p = await stores[1].findProfile(site.id, 'v0');
    expect(p?.stats.pageViews).toBe(ROUNDS * 5);
  });
});

/**
 * The rescore racing ingest on a real PostgreSQL (READ COMMITTED): an event ingested on another
 * connection between the rescore's read of a page and its update must keep its scores.
 * Skips without IDIC_TEST_DATABASE_URL (see test/store/pg.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, postgresUnavailable } from '../store/pg.ts';
import type { PostgresStore } from '../../collector/store/postgres/index.ts';
import { createCollector } from '../../collector/app.ts';
import { createSite } from '../../collector/services/sites.ts';
import { rescoreProfiles } from '../../collector/services/refit.ts';
import { scoreProfile } from '../../collector/models/score.ts';
import type { Store, Tx } from '../../collector/store/types.ts';

const skip = await postgresUnavailable();

describe.skipIf(!!skip)(`refit rescore on PostgreSQL${skip ? ` (${skip})` : ''}`, () => {
  let opened: Awaited<ReturnType<typeof openTestPostgres>>;
  let store: PostgresStore;
  beforeAll(async () => { opened = await openTestPostgres(); store = opened.store; });
  afterAll(async () => { await opened?.dispose(); });

  it('keeps the scores of an event ingested between the rescore\'s read and its update', async () => {
    const now = Date.UTC(2026, 10, 1, 10);
    const app = createCollector({ store, clock: { now: () => now }, cacheTtlMs: 0, log: () => {} });
    const site = await createSite(store, { name: 'race', settings: { origins: [] } }, app.services.newId, now);
    const auth = { authorization: `Basic ${Buffer.from(`${site.secretKey}:`).toString('base64')}`, 'content-type': 'application/json' };
    const track = (messageId: string, category: string) => app.request('/v1/track', {
      method: 'POST', headers: auth, body: JSON.stringify({ type: 'track', userId: 'u1', messageId, event: 'Product Viewed', properties: { category } }),
    });
    expect((await track('m1', 'rock')).status).toBe(200);
    const id = (await store.findProfile(site.id, 'u1'))!.id;

    // The rescore's transaction: right after it read the page, ingest commits on another connection.
    let raced = false;
    const wrapped = Object.create(store) as Store;
    wrapped.write = (fn, options) => store.write((tx) => {
      const q: Tx = Object.create(tx);
      q.query = async (sql, params) => {
        const res = await tx.query(sql, params);
        if (!raced && /^SELECT id, stats FROM profiles/.test(sql)) {
          raced = true;
          expect((await track('m2', 'jazz')).status).toBe(200);
        }
        return res;
      };
      return fn(q);
    }, options);
    const model = app.services.model(site.id);
    await rescoreProfiles({ ...app.services, store: wrapped }, site, model);
    expect(raced).toBe(true);

    const { rows: [row] } = await store.query('SELECT stats, scores FROM profiles WHERE site_id = ? AND id = ?', [site.id, id]);
    const stats = JSON.parse(row.stats);
    expect(Object.keys(stats.affinity.scores)).toContain('jazz');
    expect(JSON.parse(row.scores)).toEqual(JSON.parse(JSON.stringify(scoreProfile(stats, model, site.settings.scoring, now))));
  }, 60_000);
});

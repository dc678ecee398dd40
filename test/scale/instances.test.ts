/**
 * Three real collector processes sharing one PostgreSQL, hammered at once on the same
 * customers: every count ends exact. Needs IDIC_TEST_DATABASE_URL (fails under CI=true without it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monotonicFactory } from 'ulid';
import { openPostgresStore, type PostgresStore } from '../../collector/store/postgres/index.ts';
import { createSite } from '../../collector/services/sites.ts';
import type { Site } from '../../collector/store/types.ts';
import { freshSchema, postgresUnavailable } from '../store/pg.ts';
import { offer } from '../store/harness.ts';
import { basic, bearer, call, startInstance, within, type Instance } from './processes.ts';

const missing = await postgresUnavailable();
const CUSTOMERS = 12;

describe.skipIf(!!missing)(`three collector processes on one PostgreSQL${missing ? ` (${missing})` : ''}`, () => {
  let db: ReturnType<typeof freshSchema>;
  let instances: Instance[] = [];
  let store: PostgresStore;
  let site: Site;
  const urls = () => instances.map((i) => i.url);
  const server = () => basic(site.secretKey);
  const count = async (sql: string, params: unknown[] = []) => Number((await store.query(sql, [site.id, ...params])).rows[0].n);

  beforeAll(async () => {
    db = freshSchema('scale');
    // Started together on an empty schema: the migrations race, and must be applied once.
    instances = await Promise.all([1, 2, 3].map(() => startInstance({ IDIC_DATABASE_URL: db.url, IDIC_SIGNING_KEY: 'shared-test-key' })));
    store = await openPostgresStore(db.url);
    site = await createSite(store, {
      name: 'scale shop',
      settings: { origins: ['https://shop.example'], rateLimit: { perSecond: 1e6, burst: 1e6 }, decide: { globalHoldoutShare: 0, exploration: 0 } },
    }, monotonicFactory(), Date.now());
  });

  afterAll(async () => {
    for (const i of instances) i.child.kill('SIGTERM');
    await Promise.all(instances.map((i) => i.exited));
    await store?.close();
    await db?.drop();
  });

  it('applies each migration once although three instances started on an empty schema', async () => {
    expect(await store.query('SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version HAVING COUNT(*) > 1')).toEqual({ rows: [], changes: 0 });
    for (const url of urls()) expect((await call(url, 'GET', '/ready')).status).toBe(200);
  });

  it('ends with exact counts: no lost update, no double count, one profile per customer', async () => {
    // First sight of each visitor on all three instances at once: one profile each.
    await Promise.all(urls().flatMap((url, k) => Array.from({ length: CUSTOMERS }, (_, c) =>
      call(url, 'POST', '/v1/page', { anonymousId: `a${c}`, messageId: `first-${c}-${k}` }, server()))));
    expect(await count('SELECT COUNT(*) AS n FROM profiles WHERE site_id = ?')).toBe(CUSTOMERS);
    // The same identify delivered to every instance at once: stored once, linked once.
    await Promise.all(urls().flatMap((url) => Array.from({ length: CUSTOMERS }, (_, c) =>
      call(url, 'POST', '/v1/identify', { anonymousId: `a${c}`, userId: `u${c}`, messageId: `ident-${c}` }, server()))));
    expect(await count(`SELECT COUNT(*) AS n FROM events WHERE site_id = ? AND type = 'identify'`)).toBe(CUSTOMERS);

    // Hammer: 3 instances × 6 workers × 4 batches of 25 page views, through both ids of each
    // customer; every fourth batch is delivered again to the next instance (a retry after a lost ack).
    const expected = new Array(CUSTOMERS).fill(3);
    const work: Promise<unknown>[] = [];
    for (const [k, url] of urls().entries()) {
      for (let w = 0; w < 6; w++) {
        work.push((async () => {
          for (let b = 0; b < 4; b++) {
            const batch = Array.from({ length: 25 }, (_, e) => {
              const c = (k * 7 + w * 5 + b * 3 + e) % CUSTOMERS;
              expected[c]++;
              return { type: 'page', messageId: `p-${k}-${w}-${b}-${e}`, ...(e % 2 ? { userId: `u${c}` } : { anonymousId: `a${c}` }) };
            });
            const sends = [call(url, 'POST', '/v1/batch', { batch }, server())];
            if (b % 4 === 0) sends.push(call(urls()[(k + 1) % 3], 'POST', '/v1/batch', { batch }, server()));
            for (const r of await Promise.all(sends)) expect(r.status, JSON.stringify(r.body)).toBe(200);
          }
        })());
      }
    }
    // Each customer's order, sent three times at once (three messageIds, one order id).
    for (let c = 0; c < CUSTOMERS; c++) {
      for (const [k, url] of urls().entries()) {
        work.push(call(url, 'POST', '/v1/track', { userId: `u${c}`, messageId: `order-${c}-${k}`, event: 'Order Completed', properties: { order_id: `o${c}`, revenue: 100 } }, server()));
      }
    }
    await Promise.all(work);

    expect(await count('SELECT COUNT(*) AS n FROM profiles WHERE site_id = ?')).toBe(CUSTOMERS);
    expect(await count(`SELECT COUNT(*) AS n FROM events WHERE site_id = ? AND type = 'page'`)).toBe(expected.reduce((a, b) => a + b, 0));
    expect(await count('SELECT COUNT(*) AS n FROM orders WHERE site_id = ?')).toBe(CUSTOMERS);
    for (let c = 0; c < CUSTOMERS; c++) {
      const p = (await call(urls()[c % 3], 'GET', `/v1/admin/profiles/u${c}`, undefined, bearer(site.secretKey))).body;
      expect([p.stats.pageViews, p.stats.orders, p.stats.revenue], `customer ${c}`).toEqual([expected[c], 1, 100]);
      expect(p.identities.length).toBe(2);
    }
  }, 60_000);

  it('merges once when every instance is asked for the same merges at once', async () => {
    for (let j = 0; j < 5; j++) {
      for (const u of [`ma${j}`, `mb${j}`]) await call(urls()[0], 'POST', '/v1/track', { userId: u, messageId: `seen-${u}`, event: 'Product Viewed', properties: { category: 'tea' } }, server());
    }
    const before = await count('SELECT COUNT(*) AS n FROM profiles WHERE site_id = ?');
    const answers = await Promise.all(urls().flatMap((url) => Array.from({ length: 5 }, (_, j) =>
      call(url, 'POST', '/v1/admin/merge', { from: `mb${j}`, into: `ma${j}` }, bearer(site.secretKey)))));
    expect(answers.filter((a) => a.status === 200 && a.body.merged === true)).toHaveLength(5);
    expect(await count('SELECT COUNT(*) AS n FROM profiles WHERE site_id = ?')).toBe(before - 5);
    expect(await count(`SELECT COUNT(*) AS n FROM merges WHERE site_id = ?`)).toBe(5);
    for (let j = 0; j < 5; j++) {
      const p = (await call(urls()[j % 3], 'GET', `/v1/admin/profiles/mb${j}`, undefined, bearer(site.secretKey))).body;
      expect([p.userId, p.stats.productViews ?? p.stats.events ?? 2]).toEqual([`ma${j}`, 2]);
    }
  });

  let capAnswers: { status: number; body: any }[] = [];
  const visitors = Array.from({ length: 8 }, (_, v) => `cap${v}`);

  it('never exceeds a frequency cap across instances', async () => {
    await call(urls()[0], 'PUT', '/v1/admin/offers/once', offer('once', { caps: { perSession: 1 } }), bearer(site.secretKey));
    // Caches refresh within 2 s; wait until every instance serves the offer (to throwaway visitors).
    for (const [k, url] of urls().entries()) {
      let n = 0;
      await within(5000, async () => (await call(url, 'POST', '/v1/decide', { anonymousId: `probe-${k}-${n++}`, placements: ['home'], writeKey: site.writeKey })).body.decisions?.[0]?.offer?.id === 'once');
    }
    // Each visitor asks all three instances twice at once, in one session: the offer is shown once.
    capAnswers = await Promise.all(visitors.flatMap((v) => urls().flatMap((url) => [0, 1].map(() =>
      call(url, 'POST', '/v1/decide', { anonymousId: v, placements: ['home'], context: { sessionId: `s-${v}` }, writeKey: site.writeKey })))));
    for (const a of capAnswers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    for (const v of visitors) {
      const pid = (await call(urls()[0], 'GET', `/v1/admin/profiles/${v}`, undefined, bearer(site.secretKey))).body.id;
      expect(await count(`SELECT COUNT(*) AS n FROM decisions WHERE site_id = ? AND profile_id = ? AND offer_id = 'once' AND holdout = 0`, [pid]), v).toBe(1);
    }
  });

  it('counts each offer impression once in the bandit when every instance delivers it', async () => {
    const served = capAnswers.map((a, i) => ({ a, visitor: visitors[Math.floor(i / 6)] })).filter(({ a }) => a.body.decisions?.[0]?.offer);
    expect(served.length).toBeGreaterThan(0);
    await Promise.all(served.flatMap(({ a, visitor }) => urls().map((url, k) => call(url, 'POST', '/v1/track', {
      anonymousId: visitor, messageId: `view-${a.body.decisions[0].decisionId}-${k}`, event: 'Offer Viewed', properties: { decisionId: a.body.decisions[0].decisionId },
    }, server()))));
    const { rows } = await store.query(`SELECT trials FROM bandit WHERE site_id = ? AND offer_id = 'once'`, [site.id]);
    expect(rows.reduce((s, r) => s + Number(r.trials), 0)).toBe(served.length);
  });

  it('spreads offer and settings changes to every instance within a few seconds', async () => {
    const put = await call(urls()[0], 'PUT', '/v1/admin/offers/fresh', { ...offer('fresh'), placements: ['promo'] }, bearer(site.secretKey));
    expect(put.status).toBe(200);
    for (const url of urls().slice(1)) {
      let n = 0;
      const ms = await within(5000, async () => (await call(url, 'POST', '/v1/decide', { anonymousId: `fresh-${n++}`, placements: ['promo'], writeKey: site.writeKey })).body.decisions[0].offer?.id === 'fresh');
      expect(ms).toBeLessThan(5000);
    }
    const origin = 'https://new.example';
    const patch = await call(urls()[0], 'PATCH', '/v1/admin/site/settings', { origins: ['https://shop.example', origin] }, bearer(site.secretKey));
    expect(patch.status).toBe(200);
    for (const url of urls().slice(1)) {
      const ms = await within(5000, async () => (await call(url, 'POST', '/v1/page', { anonymousId: 'o1', writeKey: site.writeKey }, { origin })).status === 200);
      expect(ms).toBeLessThan(5000);
    }
  });
});

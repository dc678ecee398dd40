/**
 * The store contract: every behaviour the routes rely on, checked the same way on every store
 * (test/store/sqlite.test.ts, test/store/postgres.test.ts). Mostly driven through a real
 * collector over HTTP; table contents are read with the portable `store.query`, which is itself
 * part of the contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/store/types.ts';
import { PROFILE_TABLES } from '../../collector/store/schema/index.ts';
import { collectorOn, offer, type Harness } from './harness.ts';
import { concurrencyContract } from './contract-concurrency.ts';

export interface OpenedStore { store: Store; dispose(): Promise<void> }

/** `skip`: why this store cannot run here (printed in the suite name); never set under CI=true. */
export function storeContract(name: string, open: () => Promise<OpenedStore>, skip?: string | null) {
  describe.skipIf(!!skip)(`store contract: ${name}${skip ? ` (${skip})` : ''}`, () => {
    let opened: OpenedStore;
    const t = async (settings = {}): Promise<Harness> => collectorOn(opened.store, settings);
    beforeAll(async () => { opened = await open(); });
    afterAll(async () => { await opened?.dispose(); });

    it('stores each (source, messageId) once and counts duplicates', async () => {
      const h = await t();
      const batch = [
        { type: 'page', anonymousId: 'a1', messageId: 'm1', name: 'Home' },
        { type: 'track', anonymousId: 'a1', messageId: 'm2', event: 'Product Viewed', properties: { category: 'coffee' } },
        { type: 'track', anonymousId: 'a1', messageId: 'm2', event: 'Product Viewed', properties: { category: 'coffee' } },
      ];
      expect((await h.post('/v1/batch', { batch, writeKey: h.site.writeKey })).body).toEqual({ success: true, accepted: 2, duplicates: 1 });
      expect((await h.post('/v1/batch', { batch, writeKey: h.site.writeKey })).body).toEqual({ success: true, accepted: 0, duplicates: 3 });
      // The same messageId from the trusted server source is another event.
      expect((await h.post('/v1/page', { anonymousId: 'a1', messageId: 'm1' }, h.server)).body.accepted).toBe(1);
      expect(await h.count('events')).toBe(3);
      const p = (await h.admin('/profiles/a1')).body;
      expect(p.stats.pageViews).toBe(2);
      expect(Object.keys(p.scores.affinities)).toEqual(['coffee']);
    });

    it('gives back each message whole through the timeline', async () => {
      const h = await t();
      const sent = [
        { type: 'track', anonymousId: 'wb', messageId: 'wb1', event: 'Product Viewed', properties: { category: 'tea', price: 90_000 }, context: { locale: 'vi-VN' } },
        { type: 'page', anonymousId: 'wb', messageId: 'wb2', name: 'Trà', category: 'Catalog', properties: { path: '/c/tea' } },
        { type: 'identify', anonymousId: 'wb', messageId: 'wb3', traits: { plan: 'gold' } },
      ];
      expect((await h.post('/v1/batch', { batch: sent, writeKey: h.site.writeKey })).body.accepted).toBe(3);
      const events = (await h.admin('/profiles/wb/timeline?limit=10')).body.events.reverse();
      expect(events.map((e: any) => e.body)).toEqual(sent);
    });

    it('keeps NUL characters and unpaired surrogates in free-form JSON (PostgreSQL text holds neither)', async () => {
      const h = await t();
      // Valid JSON that SQLite stored and gave back as sent; PostgreSQL's json_to_recordset
      // decoded every nested string and failed the whole request (a 500) on either escape.
      const odd = { nul: 'a\u0000b', ['k\u0000']: 1, lone: 'x\ud800', low: '\udc00', pair: '😀', text: '\\u0000 as text' };
      const sent = [
        { type: 'track', anonymousId: 'nul', messageId: 'n1', event: 'Thing', properties: odd, context: { page: { title: '\u0000' } } },
        { type: 'identify', anonymousId: 'nul', messageId: 'n2', traits: { name: 'An\u0000', nick: '\udbff' } },
        { type: 'page', anonymousId: 'nul', messageId: 'n3', properties: { path: '/\u0000' } },
      ];
      expect((await h.post('/v1/batch', { batch: sent, writeKey: h.site.writeKey })).body).toEqual({ success: true, accepted: 3, duplicates: 0 });
      expect((await h.post('/v1/track', { userId: 'nul-u', messageId: 'n4', event: 'Thing', properties: odd }, h.server)).status).toBe(200);
      const d = await h.post('/v1/decide', { anonymousId: 'nul', placements: ['home'], events: [{ type: 'track', messageId: 'n5', event: 'Thing', properties: odd }], writeKey: h.site.writeKey });
      expect(d.body.ingest).toEqual({ success: true, accepted: 1, duplicates: 0 });
      const events = (await h.admin('/profiles/nul/timeline?limit=10')).body.events.reverse();
      expect(events.map((e: any) => e.body).slice(0, 3)).toEqual(sent);
      expect(events[3].body.properties).toEqual(odd);
      expect((await h.admin('/profiles/nul')).body.traits).toEqual({ name: 'An\u0000', nick: '\udbff' });
      // A customer file's traits reach the same profile columns.
      const file = `${JSON.stringify({ user_id: 'nul-c', name: 'C\u0000', note: '\ud800' })}\n`;
      const res = await h.app.request('/v1/admin/import/customers', { method: 'POST', body: file, headers: { authorization: `Bearer ${h.site.secretKey}`, 'content-type': 'application/x-ndjson' } });
      expect(res.status).toBe(200);
      expect((await h.admin('/profiles/nul-c')).body.traits).toMatchObject({ name: 'C\u0000', note: '\ud800' });
    });

    // PostgreSQL text holds no NUL and its btree keys stop at ~2,700 bytes: these requests were a 500
    // there and a 200/404 on SQLite. Refused (or not found) before they reach a store, the same on both.
    it('answers a lookup by an id holding NUL as not found, as SQLite does', async () => {
      const h = await t();
      for (const path of ['/profiles/a%00', '/profiles/a%00/timeline', '/profiles/a%00/export', '/loyalty/customers/a%00']) {
        expect((await h.admin(path)).status, path).toBe(404);
      }
      expect((await h.admin('/profiles/a%00', { method: 'DELETE' })).status).toBe(404);
      expect((await h.admin('/merge', { method: 'POST', body: JSON.stringify({ from: 'a\u0000', into: 'b' }) })).status).toBe(404);
      expect((await h.admin('/loyalty/adjust', { method: 'POST', body: JSON.stringify({ customer: 'a\u0000', points: 5, reason: 'r' }) })).status).toBe(404);
      expect((await h.admin('/offers/a%00/history')).status).toBeLessThan(500);
      expect((await h.admin('/loyalty/codes/verify', { method: 'POST', body: JSON.stringify({ code: 'C\u0000' }) })).status).toBeLessThan(500);
      expect((await h.post('/v1/loyalty/me', { userId: 'u\u0000', userHash: h.hash('u\u0000'), writeKey: h.site.writeKey })).status).toBe(400);
    });

    it('refuses an order id or currency no store can key on, naming the field (400, not a 500 on PostgreSQL)', async () => {
      const h = await t();
      const { randomBytes } = await import('node:crypto');
      const order = (properties: object) => h.post('/v1/track', { userId: 'ou', event: 'Order Completed', properties: { revenue: 10, ...properties } }, h.server);
      for (const [field, properties] of [
        ['order_id', { order_id: 'o\u0000' }],
        // Past PostgreSQL's btree row limit (orders' primary key, the loyalty ledger's ref): incompressible.
        ['order_id', { order_id: randomBytes(4000).toString('base64') }],
        ['currency', { order_id: 'o2', currency: 'V\u0000' }],
      ] as const) {
        const r = await order(properties);
        expect(r.status, field).toBe(400);
        expect(r.body.error.issues[0].path).toBe(`properties.${field}`);
      }
      const refund = await h.post('/v1/track', { userId: 'ou', event: 'Order Refunded', properties: { order_id: 'o\u0000' } }, h.server);
      expect(refund.status).toBeLessThan(500);
      const viewed = await h.post('/v1/track', { anonymousId: 'ov', event: 'Offer Viewed', properties: { decisionId: 'd\u0000' } }, h.server);
      expect(viewed.status).toBeLessThan(500);
    });

    it('refuses a loyalty adjustment whose reason or key holds NUL (400, not a 500 on PostgreSQL)', async () => {
      const h = await t();
      await h.post('/v1/identify', { userId: 'lu', messageId: 'l1' }, h.server);
      const adjust = (extra: object) => h.admin('/loyalty/adjust', { method: 'POST', body: JSON.stringify({ customer: 'lu', points: 5, reason: 'r', ...extra }) });
      expect((await adjust({ reason: 'r\u0000' })).status).toBe(400);
      expect((await adjust({ key: 'k\u0000' })).status).toBe(400);
    });

    it('refuses earning rules that make an order worth more points than a ledger can hold', async () => {
      const h = await t();
      // 1e15 (MAX_AMOUNT) × 1e300 points per unit is Infinity points: PostgreSQL's BIGINT refuses it
      // (a 500 on every later order), SQLite stores it as REAL and the balance reads back as null.
      const rules = await h.admin('/loyalty/rules', { method: 'PUT', body: JSON.stringify({ enabled: true, earn: { points: 1e300, per: 1 } }) });
      expect(rules.status).toBe(400);
      expect((await h.post('/v1/track', { userId: 'big', event: 'Order Completed', properties: { order_id: 'ob', revenue: 1e15 } }, h.server)).status).toBe(200);
    });

    it('ingests a batch from many visitors — known, new, and one logging in mid-batch — with every profile exact', async () => {
      const h = await t();
      const key = h.site.writeKey;
      await h.post('/v1/batch', { batch: [1, 2, 3].map((v) => ({ type: 'page', anonymousId: `mv${v}`, messageId: `pre-${v}` })), writeKey: key });
      await h.post('/v1/identify', { anonymousId: 'mv-user', userId: 'mu1', userHash: h.hash('mu1'), messageId: 'pre-u' , writeKey: key });
      // Visitors 1–3 known, 4–6 new; the known user's other device logs in half-way and its earlier views follow it.
      const batch: Record<string, unknown>[] = [];
      for (let round = 0; round < 4; round++) {
        for (let v = 1; v <= 6; v++) batch.push({ type: 'page', anonymousId: `mv${v}`, messageId: `b-${round}-${v}` });
        batch.push({ type: 'track', event: 'Product Viewed', anonymousId: 'mv-phone', messageId: `phone-${round}`, properties: { category: 'tea' } });
        if (round === 1) batch.push({ type: 'identify', anonymousId: 'mv-phone', userId: 'mu1', userHash: h.hash('mu1'), messageId: 'phone-login' });
      }
      expect((await h.post('/v1/batch', { batch, writeKey: key })).body).toEqual({ success: true, accepted: batch.length, duplicates: 0 });
      for (let v = 1; v <= 6; v++) expect((await h.admin(`/profiles/mv${v}`)).body.stats.pageViews).toBe(v <= 3 ? 5 : 4);
      const user = (await h.admin('/profiles/mu1')).body;
      expect((await h.admin('/profiles/mv-phone')).body.id).toBe(user.id);
      expect(Object.keys(user.scores.affinities)).toEqual(['tea']);
      expect(await h.count('events', 'profile_id = ?', [user.id])).toBe(1 + 4 + 1);
      expect(await h.count('profiles')).toBe(7);
      // Sent again: all duplicates, nothing counted twice.
      expect((await h.post('/v1/batch', { batch, writeKey: key })).body).toEqual({ success: true, accepted: 0, duplicates: batch.length });
      expect((await h.admin('/profiles/mv1')).body.stats.pageViews).toBe(5);
    });

    it('resolves identify onto the anonymous profile, then merges a second device into it', async () => {
      const h = await t();
      const key = h.site.writeKey;
      await h.post('/v1/batch', { batch: [{ type: 'page', anonymousId: 'd1', messageId: 'x1' }], writeKey: key });
      await h.post('/v1/identify', { anonymousId: 'd1', userId: 'u1', userHash: h.hash('u1'), traits: { name: 'An' }, messageId: 'x2', writeKey: key });
      const first = (await h.admin('/profiles/u1')).body;
      expect(first.identities).toEqual([{ kind: 'anonymous', value: 'd1' }, { kind: 'user', value: 'u1' }]);
      await h.post('/v1/batch', { batch: [{ type: 'page', anonymousId: 'd2', messageId: 'x3' }, { type: 'page', anonymousId: 'd2', messageId: 'x4' }], writeKey: key });
      const second = (await h.admin('/profiles/d2')).body;
      expect(second.id).not.toBe(first.id);
      await h.post('/v1/identify', { anonymousId: 'd2', userId: 'u1', userHash: h.hash('u1'), messageId: 'x5', writeKey: key });
      const merged = (await h.admin('/profiles/d2')).body;
      expect(merged.id).toBe(first.id);
      expect(merged.stats.pageViews).toBe(3);
      expect(merged.traits).toEqual({ name: 'An' });
      // The merged-away id still resolves; its rows moved; the merge is remembered once.
      expect((await h.admin(`/profiles/${second.id}`)).body.id).toBe(first.id);
      expect(await h.count('profiles')).toBe(1);
      expect(await h.count('events', 'profile_id = ?', [first.id])).toBe(5);
      expect(await h.count('merges', 'from_id = ? AND into_id = ?', [second.id, first.id])).toBe(1);
      const tl = (await h.admin('/profiles/u1/timeline?limit=2')).body;
      expect(tl.events).toHaveLength(2);
      const rest = (await h.admin(`/profiles/u1/timeline?limit=10&before=${encodeURIComponent(tl.next)}`)).body;
      const ids = [...tl.events, ...rest.events].map((e: any) => e.messageId);
      expect(new Set(ids).size).toBe(5);
      // A cursor beyond any stored time is a 400 on both stores, not PostgreSQL's BIGINT overflow.
      expect((await h.admin('/profiles/u1/timeline?before=99999999999999999999.1')).status).toBe(400);
    });

    it('merges two known customers once through the admin API', async () => {
      const h = await t();
      await h.post('/v1/identify', { userId: 'ua', messageId: 'i1' }, h.server);
      await h.post('/v1/track', { userId: 'ub', messageId: 'i2', event: 'Order Completed', properties: { order_id: 'o1', revenue: 100 } }, h.server);
      const body = JSON.stringify({ from: 'ub', into: 'ua' });
      const res = await h.admin('/merge', { method: 'POST', body });
      expect(res.body.merged).toBe(true);
      expect(res.body.profile.stats.revenue).toBe(100);
      const again = await h.admin('/merge', { method: 'POST', body });
      expect(again.body.merged).toBe(false);
      expect(await h.count('profiles')).toBe(1);
      expect(await h.count('orders', 'profile_id = ?', [res.body.profile.id])).toBe(1);
      expect(await h.count('merges')).toBe(1);
    });

    it('counts a trusted order once, and reverses it once on refund', async () => {
      const h = await t();
      const order = { userId: 'u9', event: 'Order Completed', properties: { order_id: 'o9', revenue: 500000, products: [{ category: 'tea', price: 250000, quantity: 2 }] } };
      await h.post('/v1/track', { ...order, messageId: 'web', userHash: h.hash('u9'), writeKey: h.site.writeKey });
      expect((await h.admin('/profiles/u9')).body.stats.orders).toBe(0);
      await h.post('/v1/track', { ...order, messageId: 's1' }, h.server);
      await h.post('/v1/track', { ...order, messageId: 's2' }, h.server);
      let p = (await h.admin('/profiles/u9')).body;
      expect([p.stats.orders, p.stats.revenue]).toEqual([1, 500000]);
      expect(p.updatedAt).toBe(h.now());
      const refund = { userId: 'u9', event: 'Order Refunded', properties: { order_id: 'o9' } };
      await h.post('/v1/track', { ...refund, messageId: 'r1' }, h.server);
      await h.post('/v1/track', { ...refund, messageId: 'r2' }, h.server);
      p = (await h.admin('/profiles/u9')).body;
      expect([p.stats.refunds, p.stats.refundAmount]).toEqual([1, 500000]);
      const [row] = (await h.store.query('SELECT status, amount, items FROM orders WHERE site_id = ? AND order_id = ?', [h.site.id, 'o9'])).rows;
      expect([row.status, row.amount, JSON.parse(row.items)[0].amount]).toEqual(['refunded', 500000, 500000]);
    });

    it('versions offers and refuses stale writes with 409', async () => {
      const h = await t();
      const put = (body: object) => h.admin('/offers/spring', { method: 'PUT', body: JSON.stringify(body) });
      expect((await put(offer('spring'))).body.offer.version).toBe(1);
      expect((await put(offer('spring'))).status).toBe(409);
      expect((await put({ ...offer('spring'), name: 'v2', version: 1 })).body.offer.version).toBe(2);
      expect((await put({ ...offer('spring'), version: 1 })).status).toBe(409);
      const history = (await h.admin('/offers/spring/history')).body.versions;
      expect(history.map((o: any) => [o.version, o.name])).toEqual([[2, 'v2'], [1, 'spring']]);
      expect((await h.admin('/offers')).body.offers.map((o: any) => o.version)).toEqual([2]);
    });

    it('records decisions, outcomes once, bandit counters, redemptions and exposures', async () => {
      const h = await t();
      await h.admin('/offers/o1', { method: 'PUT', body: JSON.stringify(offer('o1')) });
      const d = (await h.post('/v1/decide', { anonymousId: 'v1', placements: ['home'], context: { sessionId: 's1' }, writeKey: h.site.writeKey })).body;
      const decisionId = d.decisions[0].decisionId;
      expect(d.decisions[0].offer.id).toBe('o1');
      const outcome = (event: string, messageId: string, properties: object = {}) =>
        h.post('/v1/track', { anonymousId: 'v1', event, messageId, properties: { decisionId, ...properties }, writeKey: h.site.writeKey });
      await outcome('Offer Viewed', 'e1');
      await outcome('Offer Viewed', 'e2');
      await outcome('Offer Converted', 'e3', { revenue: 70 });
      const counters = await h.store.banditCounters(h.site.id);
      expect(counters.map((c) => [c.offerId, c.trials, c.conversions, c.value])).toEqual([['o1', 1, 1, 70]]);
      expect((await h.store.redemptions(h.site.id)).get('o1')).toBe(1);
      const ex = await h.store.exposures(h.site.id, d.profileId, 0);
      expect(ex.map((e) => [e.decisionId, e.offerId, e.sessionId, e.holdout, e.outcomes.map((o) => o.kind).sort()]))
        .toEqual([[decisionId, 'o1', 's1', false, ['conversion', 'impression']]]);
      expect(await h.store.exposures(h.site.id, d.profileId, h.now() + 1)).toEqual([]);
    });

    it('enforces frequency caps from stored exposures', async () => {
      const h = await t();
      await h.admin('/offers/once', { method: 'PUT', body: JSON.stringify(offer('once', { caps: { perSession: 1 } })) });
      const decide = async (session: string) => (await h.post('/v1/decide', { anonymousId: 'v2', placements: ['home'], context: { sessionId: session }, writeKey: h.site.writeKey })).body.decisions[0].offer?.id ?? null;
      expect(await decide('s1')).toBe('once');
      h.advance(1000);
      expect(await decide('s1')).toBe(null);
      expect(await decide('s2')).toBe('once');
      expect(await h.count('decisions', 'offer_id = ?', ['once'])).toBe(2);
    });

    it('keeps sites, keys and settings', async () => {
      const h = await t();
      expect((await h.store.siteByKey(h.site.writeKey, h.now()))?.kind).toBe('write');
      expect((await h.store.siteByKey(h.site.secretKey, h.now()))?.site.id).toBe(h.site.id);
      expect(await h.store.siteByKey('wk_nope', h.now())).toBeNull();
      const res = await h.admin('/site/settings', { method: 'PATCH', body: JSON.stringify({ currency: 'USD' }) });
      expect(res.body.settings.currency).toBe('USD');
      expect((await h.store.getSite(h.site.id))?.settings.currency).toBe('USD');
      expect((await h.store.listSites()).some((s) => s.id === h.site.id && s.writeKey === h.site.writeKey)).toBe(true);
      const model = { fittedAt: 123, customers: 1 } as any;
      await h.store.saveShopModel(h.site.id, model);
      await h.store.saveShopModel(h.site.id, { ...model, fittedAt: 456 });
      expect((await h.store.getShopModel(h.site.id) as any).fittedAt).toBe(456);
    });

    it('runs portable SQL: ? placeholders, 0/1 booleans, BIGINT as numbers, upserts with RETURNING', async () => {
      const { store } = opened;
      const table = `contract_kv_${Math.random().toString(36).slice(2, 8)}`;
      await store.query(`CREATE TABLE ${table} (site_id TEXT NOT NULL, k TEXT NOT NULL, n BIGINT NOT NULL, flag INTEGER NOT NULL, x DOUBLE PRECISION, PRIMARY KEY (site_id, k))`);
      const up = `INSERT INTO ${table} (site_id, k, n, flag, x) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (site_id, k) DO UPDATE SET n = ${table}.n + excluded.n RETURNING n`;
      const big = 1_795_000_000_000;
      expect((await store.query(up, ['s', 'a?', big, true, 0.5])).rows).toEqual([{ n: big }]);
      const second = await store.query(up, ['s', 'a?', 1, false, null]);
      expect(second.rows).toEqual([{ n: big + 1 }]);
      expect(second.changes).toBe(1);
      const rows = (await store.query(`SELECT k, n, flag, x, '?' AS q, COUNT(*) OVER () AS total FROM ${table} WHERE site_id = ? AND flag = ?`, ['s', true])).rows;
      expect(rows).toEqual([{ k: 'a?', n: big + 1, flag: 1, x: 0.5, q: '?', total: 1 }]);
      const sum = (await store.query(`SELECT SUM(n) AS s FROM ${table}`)).rows[0].s;
      expect(sum).toBe(big + 1);
      expect((await store.query(`DELETE FROM ${table} WHERE site_id = ?`, ['s'])).changes).toBe(1);
      await store.query(`DROP TABLE ${table}`);
    });

    it('inserts a batch of events once each and says which were new, row by row', async () => {
      const h = await t();
      const ev = (messageId: string, source = 'web') => ({ siteId: h.site.id, messageId, profileId: 'p', type: 'track', name: 'x', anonymousId: 'a', userId: null, ts: 1, receivedAt: 1, trusted: false, source, bot: false, body: { properties: { n: messageId } } });
      await h.store.write(async (tx) => { await tx.insertEvents([ev('m1'), ev('m2')]); });
      // Ten rows of one source: two stored before, one twice in the batch.
      const ids = ['m0', 'm1', 'm3', 'm4', 'm2', 'm5', 'm3', 'm6', 'm7', 'm8'];
      const flags = await h.store.write(async (tx) => tx.insertEvents(ids.map((m) => ev(m))));
      expect(flags).toEqual([true, false, true, true, false, true, false, true, true, true]);
      expect(await h.count('events')).toBe(2 + 7);
      // The same id from another source is another event; a mixed batch answers the same way.
      expect(await h.store.write(async (tx) => tx.insertEvents([ev('m1', 'server'), ev('m9'), ev('m1')]))).toEqual([true, true, false]);
      expect(await h.count('events')).toBe(2 + 7 + 2);
      const stored = await h.store.write(async (tx) => tx.storedMessageIds?.(h.site.id, 'server', ['m0', 'm1', 'm8']));
      if (stored) expect([...stored]).toEqual(['m1']);
    });

    it('rolls a failed write back entirely', async () => {
      const h = await t();
      await expect(h.store.write(async (tx) => {
        await tx.insertEvents([{ siteId: h.site.id, messageId: 'rb', profileId: 'p', type: 'page', name: null, anonymousId: 'a', userId: null, ts: 1, receivedAt: 1, trusted: false, source: 'web', bot: false, body: {} }]);
        await tx.query('UPDATE sites SET name = ? WHERE id = ?', ['renamed', h.site.id]);
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(await h.count('events')).toBe(0);
      expect((await h.store.getSite(h.site.id))?.name).toBe(h.site.name);
    });

    it('declares every profile table so merges and erasure can reach it', async () => {
      for (const { table, column } of PROFILE_TABLES) {
        // The merge moves rows with `UPDATE table SET column = ? WHERE site_id = ? AND column = ?`.
        const r = await opened.store.query(`SELECT site_id, ${column} FROM ${table} WHERE site_id = ? AND ${column} = ?`, ['none', 'none']);
        expect(r.rows, table).toEqual([]);
      }
      const h = await t();
      await h.post('/v1/identify', { userId: 'ma', messageId: 'p1' }, h.server);
      await h.post('/v1/identify', { userId: 'mb', messageId: 'p2' }, h.server);
      const b = (await h.admin('/profiles/mb')).body.id;
      await h.admin('/merge', { method: 'POST', body: JSON.stringify({ from: 'mb', into: 'ma' }) });
      for (const { table, column } of [{ table: 'identities', column: 'profile_id' }, { table: 'events', column: 'profile_id' }, ...PROFILE_TABLES]) {
        expect(await h.count(table, `${column} = ?`, [b]), table).toBe(0);
      }
    });

    concurrencyContract(() => opened.store);
  });
}

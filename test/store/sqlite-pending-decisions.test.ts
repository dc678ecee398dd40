/**
 * SQLite records decisions without a transaction of their own (store/sqlite/pending-decisions.ts):
 * they must show in exposures at once, reach the table with the next transaction or within the
 * flush interval, survive a rolled-back transaction, and be written before close.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../collector/store/sqlite/index.ts';
import { DECISION_FLUSH_MS, MAX_PENDING_DECISIONS } from '../../collector/store/sqlite/pending-decisions.ts';
import type { DecisionRow } from '../../collector/store/types.ts';

const SITE = 'site-1';
const decision = (id: string, profileId = 'p1', createdAt = 1_000): DecisionRow => ({
  siteId: SITE, id, profileId, placement: 'home-hero', offerId: 'coffee', offerVersion: 1, arm: 'MVC', holdout: false, sessionId: 's1', createdAt,
});
const inTable = (store: SqliteStore) => (store.db.prepare('SELECT id FROM decisions ORDER BY id').pluck().all() as string[]);

let store: SqliteStore;
afterEach(async () => { await store?.close(); });

describe('SQLite deferred decisions', () => {
  it('show in the customer\'s exposures at once, and reach the table with the next transaction', async () => {
    store = openSqliteStore(':memory:');
    store.deferDecisions!([decision('d1'), decision('d2', 'p2')]);
    expect(inTable(store)).toEqual([]);
    expect((await store.exposures(SITE, 'p1', 0)).map((e) => e.decisionId)).toEqual(['d1']);
    expect(await store.exposures(SITE, 'p1', 2_000)).toEqual([]);
    await store.write(async () => {});
    expect(inTable(store)).toEqual(['d1', 'd2']);
    // Now read from the table only: still exactly one exposure each.
    expect((await store.exposures(SITE, 'p1', 0)).map((e) => e.decisionId)).toEqual(['d1']);
  });

  it('are written within the flush interval when nothing else writes', async () => {
    store = openSqliteStore(':memory:');
    store.deferDecisions!([decision('d1')]);
    await new Promise((r) => setTimeout(r, DECISION_FLUSH_MS * 3));
    expect(inTable(store)).toEqual(['d1']);
  });

  it('are written at once past the pending limit, without waiting for a timer', () => {
    store = openSqliteStore(':memory:');
    store.deferDecisions!(Array.from({ length: MAX_PENDING_DECISIONS }, (_, i) => decision(`d${String(i).padStart(4, '0')}`)));
    expect(inTable(store)).toHaveLength(MAX_PENDING_DECISIONS);
  });

  it('go back to waiting when the transaction that took them rolls back, and are written once later', async () => {
    store = openSqliteStore(':memory:');
    store.deferDecisions!([decision('d1')]);
    await expect(store.write(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(inTable(store)).toEqual([]);
    expect((await store.exposures(SITE, 'p1', 0)).map((e) => e.decisionId)).toEqual(['d1']);
    await store.write(async () => {});
    await store.write(async () => {});
    expect(inTable(store)).toEqual(['d1']);
  });

  it('are in the table for a raw read of decisions (reports, export)', async () => {
    store = openSqliteStore(':memory:');
    store.deferDecisions!([decision('d1'), decision('d2')]);
    const { rows } = await store.query('SELECT COUNT(*) AS n FROM decisions WHERE site_id = ?', [SITE]);
    expect(Number(rows[0].n)).toBe(2);
  });

  it('are written before close', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idic-pending-')), 'x.db');
    store = openSqliteStore(path);
    store.deferDecisions!([decision('d1')]);
    await store.close();
    store = openSqliteStore(path);
    expect(inTable(store)).toEqual(['d1']);
  });
});

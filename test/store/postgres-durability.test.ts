/**
 * Write durability on PostgreSQL: acknowledged events commit with the server's default
 * (synchronous) durability; decisions, the server's own records, commit without waiting for the
 * disk — and only their transactions do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, postgresUnavailable } from './pg.ts';
import type { PostgresStore } from '../../collector/store/postgres/index.ts';
import { groupWrite } from '../../collector/services/group-commit.ts';

const skip = await postgresUnavailable();

describe.skipIf(!!skip)(`PostgreSQL write durability${skip ? ` (${skip})` : ''}`, () => {
  let opened: Awaited<ReturnType<typeof openTestPostgres>>;
  let store: PostgresStore;
  beforeAll(async () => { opened = await openTestPostgres(); store = opened.store; });
  afterAll(async () => { await opened?.dispose(); });

  const setting = async (): Promise<string> => (await store.query('SHOW synchronous_commit')).rows[0].synchronous_commit;

  it('relaxes synchronous_commit only inside a relaxed write', async () => {
    expect(await store.write(setting)).toBe('on');
    expect(await store.write(setting, { durability: 'relaxed' })).toBe('off');
    // SET LOCAL ends with its transaction: the pooled connection is back to the default.
    expect(await store.write(setting)).toBe('on');
  });

  it('keeps the decisions lane and the acknowledged lane in separate transactions, even when queued together', async () => {
    const [events, decisions] = await Promise.all([
      groupWrite(store, setting),
      groupWrite(store, setting, 'decisions'),
    ]);
    expect(events).toBe('on');
    expect(decisions).toBe('off');
  });
});

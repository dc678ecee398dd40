/**
 * PostgreSQL transactions are pipelined (store/postgres/sql.ts `pipeline`): BEGIN, locks that
 * wait and inserts nobody reads leave with the next statement. What that must never change:
 * a failure of a statement nobody awaited still fails the write and keeps none of it; and what
 * it is for: a decide-shaped transaction is two round trips, not five.
 */
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, postgresUnavailable } from './pg.ts';
import type { PostgresStore } from '../../collector/store/postgres/index.ts';
import type { DecisionRow } from '../../collector/store/types.ts';

const skip = await postgresUnavailable();

const decision = (id: string): DecisionRow => ({
  siteId: 's1', id, profileId: 'p1', placement: 'home', offerId: 'o1', offerVersion: 1, arm: 'MVC',
  holdout: false, sessionId: null, createdAt: 1000,
});

describe.skipIf(!!skip)(`PostgreSQL pipelined transactions${skip ? ` (${skip})` : ''}`, () => {
  let opened: Awaited<ReturnType<typeof openTestPostgres>>;
  let store: PostgresStore;
  beforeAll(async () => { opened = await openTestPostgres(); store = opened.store; });
  afterAll(async () => { await opened?.dispose(); });

  const stored = async (id: string) => (await store.query('SELECT COUNT(*) AS n FROM decisions WHERE id = ?', [id])).rows[0].n;

  it('fails the write, and keeps nothing of it, when an insert nobody awaited fails', async () => {
    const write = store.write(async (tx) => {
      await tx.insertDecisions([decision('kept-not')]);
      await tx.insertDecisions([decision('twice'), decision('twice')]); // primary key violated, answer never read
      return 'returned normally';
    });
    await expect(write).rejects.toMatchObject({ code: '23505' });
    expect(await stored('kept-not')).toBe(0);
    // The connection went back to the pool idle: the next write commits.
    await store.write(async (tx) => { await tx.insertDecisions([decision('after')]); });
    expect(await stored('after')).toBe(1);
  });

  it('reports the cause to every later statement, even when a read in between swallowed it', async () => {
    const write = store.write(async (tx) => {
      await tx.insertDecisions([decision('cause'), decision('cause')]); // primary key violated, answer never read
      await Promise.resolve(tx.query('SELECT 1')).catch(() => {}); // someone's read in the transaction fails, and is ignored
      await tx.insertDecisions([decision('behind')]);
    });
    // Not "current transaction is aborted" (25P02): the duplicate key that aborted it.
    await expect(write).rejects.toMatchObject({ code: '23505' });
  });

  it('sends a decide-shaped transaction (lock, read exposures, record the decision) in two round trips', async () => {
    const decide = (id: string) => store.write(async (tx) => {
      await tx.lock([`s1|profile:p-${id}`]);
      await store.exposures('s1', 'p1', 0);
      await tx.insertDecisions([decision(id)]);
    }, { durability: 'relaxed' });
    // Statements are prepared per connection, and the pool hands its idle connections out in turn: warm them all.
    for (let i = 0; i < 12; i++) await decide(`warm-${i}`);
    const write = Socket.prototype.write;
    let writes = 0;
    Socket.prototype.write = function (this: Socket, ...args: unknown[]) { writes++; return (write as any).apply(this, args); } as any;
    try {
      for (let i = 0; i < 3; i++) {
        writes = 0;
        await decide(`counted-${i}`);
        expect(writes).toBe(2);
      }
    } finally {
      Socket.prototype.write = write;
    }
    expect(await stored('counted-2')).toBe(1);
  });
});

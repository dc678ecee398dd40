/**
 * The PostgreSQL lock protocol (store/postgres/tx.ts) must never let two transactions wait for
 * each other: PostgreSQL would notice only after deadlock_timeout (1 s) and abort one. The
 * dangerous pair: a serial transaction (holding the serial lock and some keys, waiting for one
 * more) and an optimistic one whose first lock names several keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, postgresUnavailable } from './pg.ts';
import type { PostgresStore } from '../../collector/store/postgres/index.ts';
import { SERIAL_KEY } from '../../collector/store/postgres/tx.ts';

const skip = await postgresUnavailable();
const LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

describe.skipIf(!!skip)(`PostgreSQL lock protocol${skip ? ` (${skip})` : ''}`, () => {
  let opened: Awaited<ReturnType<typeof openTestPostgres>>;
  let store: PostgresStore;
  beforeAll(async () => { opened = await openTestPostgres(); store = opened.store; });
  afterAll(async () => { await opened?.dispose(); });

  it('an optimistic first lock of several keys never waits while holding one (no deadlock with a serial writer)', async () => {
    // Two keys where `behind` sorts first by the locked hash: an optimistic transaction taking
    // both in hash order would hold it while waiting for `held`.
    const [held, behind] = ['s1|anonymous:a', 's1|anonymous:b'];
    const { rows } = await store.query('SELECT hashtextextended(?, 0) < hashtextextended(?, 0) AS ok', [behind, held]);
    const [first, second] = rows[0].ok ? [held, behind] : [behind, held];

    let serialHolds!: () => void;
    const holding = new Promise<void>((r) => (serialHolds = r));
    const started = performance.now();
    // The serial writer: holds the serial lock and `first`, then (once the other waits) needs `second`.
    const serial = store.sql.begin(async (t) => {
      await t.unsafe(LOCK, [SERIAL_KEY]);
      await t.unsafe(LOCK, [first]);
      serialHolds();
      await new Promise((r) => setTimeout(r, 200));
      await t.unsafe(LOCK, [second]);
    });
    await holding;
    const optimistic = store.write(async (tx) => {
      await tx.lock([first, second]);
      await tx.query('SELECT 1');
      return 'locked both';
    });
    await expect(Promise.all([serial, optimistic])).resolves.toEqual([undefined, 'locked both']);
    // A deadlock would have cost deadlock_timeout (1 s) before PostgreSQL broke it.
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('a try that finds a key held elsewhere retries the write serially, waiting for that key', async () => {
    const [free, held] = ['s1|anonymous:free', 's1|anonymous:held'];
    let holderHolds!: () => void;
    const holding = new Promise<void>((r) => (holderHolds = r));
    const holder = store.sql.begin(async (t) => {
      await t.unsafe(LOCK, [held]);
      holderHolds();
      await new Promise((r) => setTimeout(r, 150));
    });
    await holding;
    const started = performance.now();
    let attempts = 0;
    const result = await store.write(async (tx) => {
      attempts++;
      await tx.lock([free, held]); // `free` is waited for, `held` only tried: the try fails the first attempt
      await tx.query('SELECT 1');
      return 'locked both';
    });
    await holder;
    expect(result).toBe('locked both');
    expect(attempts).toBe(2);
    // The serial attempt waited for the holder to commit.
    expect(performance.now() - started).toBeGreaterThan(100);
  });
});

/**
 * Group commit for the services' small writes (ingest, decide): many requests share one
 * transaction, each answered only after the commit that holds its writes.
 */
import type { Store, Tx, WriteOptions } from '../store/types.ts';

interface Job { run(tx: Tx): Promise<unknown>; resolve(r: unknown): void; reject(e: unknown): void }
interface Group { pending: Job[]; running: number; scheduled: boolean; options: WriteOptions }
/**
 * Writes group only with writes of their own lane. Events and orders are acknowledged to
 * clients, so their commits are fully durable; decisions are the server's own records and may
 * commit without waiting for the disk (see WriteOptions) — on PostgreSQL that wait is most of a
 * decide's latency. Separate lanes keep one kind's durability from leaking into the other's.
 */
export type WriteLane = 'acknowledged' | 'decisions';
const LANE_OPTIONS: Record<WriteLane, WriteOptions> = { acknowledged: {}, decisions: { durability: 'relaxed' } };
const groups = new WeakMap<Store, Map<WriteLane, Group>>();

/**
 * Group commit: run `fn` in a transaction shared with the other small writes that arrive while
 * one is running (or in the same turn of the event loop) — one BEGIN/COMMIT for many requests,
 * each resolved only after the commit that holds its writes. A store with one writer (SQLite)
 * runs one group at a time; a networked store (`writeConcurrency`) overlaps a few, so round
 * trips and commit flushes of one group hide behind the work of the next. If a shared
 * transaction fails, each of its writes is retried in a transaction of its own, so one bad
 * request never fails another. `fn` may therefore run more than once; it must only change what
 * its transaction holds.
 */
export function groupWrite<T>(store: Store, fn: (tx: Tx) => Promise<T>, lane: WriteLane = 'acknowledged'): Promise<T> {
  let lanes = groups.get(store);
  if (!lanes) groups.set(store, (lanes = new Map()));
  let group = lanes.get(lane);
  if (!group) lanes.set(lane, (group = { pending: [], running: 0, scheduled: false, options: LANE_OPTIONS[lane] }));
  const g = group;
  return new Promise<T>((resolve, reject) => {
    g.pending.push({ run: fn, resolve: resolve as (r: unknown) => void, reject });
    schedule(store, g);
  });
}

function schedule(store: Store, group: Group): void {
  if (group.scheduled || !group.pending.length || group.running >= (store.writeConcurrency ?? 1)) return;
  group.scheduled = true;
  // setImmediate, not a microtask: requests parsed in the same poll phase join this commit.
  setImmediate(() => {
    group.scheduled = false;
    void commitGroup(store, group);
  });
}

async function commitGroup(store: Store, group: Group): Promise<void> {
  if (!group.pending.length || group.running >= (store.writeConcurrency ?? 1)) return;
  const jobs = group.pending.splice(0);
  group.running++;
  try {
    const results = await store.write(async (tx) => {
      const out: unknown[] = [];
      for (const j of jobs) out.push(await j.run(tx));
      return out;
    }, group.options);
    jobs.forEach((j, i) => j.resolve(results[i]));
  } catch (err) {
    if (jobs.length === 1) jobs[0].reject(err);
    else for (const j of jobs) await store.write(j.run, group.options).then(j.resolve, j.reject);
  } finally {
    group.running--;
    schedule(store, group);
  }
}

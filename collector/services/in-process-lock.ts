/**
 * A lock on a key within this process: calls for one key run one after another, calls for other
 * keys run freely. For a store whose process is the only writer (SQLite), this is the customer
 * lock that a networked store takes in the database (`Tx.lock`).
 */
const tails = new Map<string, Promise<unknown>>();

export function inProcessLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = tails.get(key);
  const run = before ? before.then(fn, fn) : fn();
  const tail = run.then(() => {}, () => {});
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

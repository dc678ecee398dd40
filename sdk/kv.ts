/**
 * Key-value persistence: IndexedDB through idb-keyval, falling back to memory for the rest of the
 * page when IndexedDB is missing or refuses (blocked storage, some private modes), so the SDK keeps
 * working with a per-session state instead of throwing.
 */
import { createStore, del, get, update, type UseStore } from 'idb-keyval';

export interface Kv {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Read-modify-write in one IndexedDB transaction, so concurrent tabs never lose a write. */
  update<T>(key: string, fn: (old: T | undefined) => T): Promise<T>;
}

export function createKv(dbName = 'idic'): Kv {
  const mem = new Map<string, any>();
  // Once refused, 0 — not undefined, which idb-keyval takes as "use your default database": calling
  // 0 throws, so every later operation falls back to memory.
  let db: UseStore | 0 = 0;
  try {
    db = createStore(dbName, 'kv');
  } catch {}
  // Runs `op` against IndexedDB; on any failure switches to memory for good and runs `fallback`.
  const run = <T>(op: (s: UseStore) => Promise<T>, fallback: () => T): Promise<T> =>
    // A sync throw (indexedDB.open refused) must fall back like a rejected request.
    new Promise<T>((ok) => ok(op(db as UseStore))).catch(() => {
      db = 0;
      return fallback();
    });
  const rmw = <T>(k: string, fn: (old: T | undefined) => T) => {
    let out!: T;
    return run(
      (s) => update<T>(k, (old) => (out = fn(old)), s).then(() => out),
      () => (mem.set(k, (out = fn(mem.get(k)))), out),
    );
  };
  return {
    get: (k) => run((s) => get(k, s), () => mem.get(k)),
    // A write is an update that ignores the old value: one idb-keyval function fewer in the bundle.
    set: (k, v) => rmw(k, () => v) as Promise<any>,
    del: (k) => run((s) => del(k, s), () => void mem.delete(k)),
    update: rmw,
  };
}

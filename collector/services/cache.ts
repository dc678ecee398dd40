/**
 * A tiny per-key cache with a time-to-live: offers, settings and bandit counters change rarely
 * and may be a second or two stale, which keeps them off the decide hot path. Concurrent misses
 * share one load. A value is never served older than `ttlMs`, so every instance sees a change
 * made by another within `ttlMs`.
 *
 * Refresh ahead: once a value is past three quarters of its life, the next read still gets it at once and
 * starts one reload in the background. Under steady traffic a value is therefore replaced before
 * it expires and no request waits for a reload (a reload of 200 offers, the bandit counters and
 * the redemption counts is milliseconds — it used to land on one request every `ttlMs`, right in
 * decide's p99). Only a cache left idle past `ttlMs` makes its next reader wait.
 */
interface Entry<T> { at: number; value: Promise<T>; refreshing: boolean }

/** Share of its life after which a read reloads a value in the background. */
const REFRESH_AHEAD = 0.75;

export class TtlCache<T> {
  private entries = new Map<string, Entry<T>>();
  /**
   * @param maxEntries keys kept at most: callers can name keys of their own choosing (an unknown
   *   write key on every request), and each used to stay in memory for good.
   */
  constructor(private ttlMs: number, private load: (key: string) => Promise<T>, private now: () => number = Date.now, private maxEntries = 10_000) {}

  /** Keys held now (expired ones included until the next sweep). */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): Promise<T> {
    const hit = this.entries.get(key);
    const t = this.now();
    if (hit && t - hit.at < this.ttlMs) {
      if (!hit.refreshing && t - hit.at >= this.ttlMs * REFRESH_AHEAD) this.refreshAhead(key, hit, t);
      return hit.value;
    }
    const value = this.load(key);
    const entry = { at: t, value, refreshing: false };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.sweep(t);
    value.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    return value;
  }

  /** Drop expired keys; if still over the bound, the longest-held down to nine tenths of it (a Map keeps insertion order). */
  private sweep(t: number) {
    for (const [k, e] of this.entries) if (t - e.at >= this.ttlMs) this.entries.delete(k);
    const keep = Math.floor(this.maxEntries * 0.9);
    for (const k of this.entries.keys()) {
      if (this.entries.size <= keep) break;
      this.entries.delete(k);
    }
  }

  invalidate(key?: string) {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }

  private refreshAhead(key: string, hit: Entry<T>, startedAt: number) {
    hit.refreshing = true;
    this.load(key).then(
      // Dated from when the reload started; dropped if the entry was invalidated or replaced meanwhile.
      (v) => this.entries.get(key) === hit && this.entries.set(key, { at: startedAt, value: Promise.resolve(v), refreshing: false }),
      () => { hit.refreshing = false; },
    );
  }
}

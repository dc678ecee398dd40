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
  constructor(private ttlMs: number, private load: (key: string) => Promise<T>, private now: () => number = Date.now) {}

  get(key: string): Promise<T> {
    const hit = this.entries.get(key);
    const t = this.now();
    if (hit && t - hit.at < this.ttlMs) {
      if (!hit.refreshing && t - hit.at >= this.ttlMs * REFRESH_AHEAD) this.refreshAhead(key, hit, t);
      return hit.value;
    }
    const value = this.load(key);
    const entry = { at: t, value, refreshing: false };
    this.entries.set(key, entry);
    value.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    return value;
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

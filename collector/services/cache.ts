/**
 * A tiny per-key cache with a time-to-live: offers, settings and bandit counters change rarely
 * and may be a second or two stale, which keeps them off the decide hot path. Concurrent misses
 * share one load. Every instance refreshes within `ttlMs` of a change made by another.
 */
export class TtlCache<T> {
  private entries = new Map<string, { at: number; value: Promise<T> }>();
  constructor(private ttlMs: number, private load: (key: string) => Promise<T>, private now: () => number = Date.now) {}

  get(key: string): Promise<T> {
    const hit = this.entries.get(key);
    const t = this.now();
    if (hit && t - hit.at < this.ttlMs) return hit.value;
    const value = this.load(key);
    this.entries.set(key, { at: t, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  invalidate(key?: string) {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

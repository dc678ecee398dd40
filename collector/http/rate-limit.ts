/**
 * Token bucket per write key, in memory: each collector instance limits its own share.
 * Pure arithmetic over time passed in.
 */
export interface Bucket { tokens: number; at: number }

export function takeToken(bucket: Bucket, now: number, perSecond: number, burst: number, cost = 1): { ok: boolean; retryAfterSeconds: number } {
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
  bucket.at = now;
  if (bucket.tokens >= cost) {
    bucket.tokens -= cost;
    return { ok: true, retryAfterSeconds: 0 };
  }
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / perSecond)) };
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();
  take(key: string, now: number, perSecond: number, burst: number, cost = 1) {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    }
    return takeToken(b, now, perSecond, burst, Math.min(cost, burst));
  }
  /** Hand back what `take` took, when the attempt it paid for turned out legitimate (a correct password). */
  give(key: string, burst: number, cost = 1) {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(burst, b.tokens + cost);
  }
}

/**
 * One POST to the collector. The body is JSON sent as text/plain with no custom header: a CORS
 * "simple request", so no preflight round trip, and the same bytes work for sendBeacon. The write
 * key travels in the body for the same reason (and a beacon-style client can post the same body).
 */

/** Bodies above this go without keepalive (browsers cap keepalive and beacons at 64 KB in flight). */
export const KEEPALIVE_BYTES = 60_000;

export interface Reply {
  status: number;
  /** Parsed JSON body, or undefined when there was none. */
  body?: any;
  /** Seconds from a 429/503 `Retry-After` header. */
  retryAfter?: number;
}

/**
 * POST `body` as JSON. Status 0 means the network failed. With `unloading`, the request uses
 * fetch keepalive so it outlives the page. (No sendBeacon: it gives no answer, so nothing could be
 * acknowledged; where keepalive is unsupported the events simply stay queued for the next page.)
 */
export async function post(url: string, body: unknown, unloading?: boolean): Promise<Reply> {
  const text = JSON.stringify(body);
  try {
    const res = await fetch(url, { method: 'POST', body: text, keepalive: unloading && text.length < KEEPALIVE_BYTES, headers: { 'content-type': 'text/plain' } });
    return {
      status: res.status,
      body: await res.json().catch(() => {}),
      // No header: +null is 0.
      retryAfter: +res.headers.get('retry-after')!,
    };
  } catch {
    return { status: 0 };
  }
}

/** First-party cookies: read synchronously at load, so tabs agree on the id before IndexedDB answers. */

export function readCookie(name: string): string | undefined {
  try {
    const hit = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
    return hit ? decodeURIComponent(hit.slice(name.length + 1)) : undefined;
  } catch {
    // Sandboxed iframes and blocked storage throw on document.cookie.
  }
}

/**
 * Write (or with `maxAge` 0, delete) a cookie: SameSite=Lax so it rides top-level navigations,
 * Secure on https, and a shared `domain` so `shop.example` and `www.shop.example` see one id.
 */
export function writeCookie(name: string, value: string, domain?: string, maxAge = 63072000): void {
  try {
    document.cookie =
      `${name}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=/; SameSite=Lax` +
      (domain ? '; Domain=' + domain : '') +
      (location.protocol == 'https:' ? '; Secure' : '');
  } catch {}
}

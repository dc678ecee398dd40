/**
 * The widget's own link check, applied again to every href and src even though the collector
 * already checked them: content may come from a cached bundle or a compromised store.
 * Standalone on purpose — importing the collector's schema would ship zod to browsers.
 */

// Browsers drop tabs/newlines inside schemes ("java\tscript:") and read "\" as "/" ("/\evil.com"
// is protocol-relative), so any whitespace, control character or backslash refuses the whole link.
const UNSAFE = /[\s\0-\x1f\x7f-\x9f\\]/;

/**
 * Returns the link if it is an `https:` URL or a same-origin path starting with a single `/`,
 * otherwise `undefined`. Everything else — `javascript:`, `data:`, `vbscript:`, `http:`,
 * protocol-relative `//host`, entity- or percent-encoded schemes — fails the positive match.
 * @example safeUrl('/sale?c=1') // '/sale?c=1'
 * @example safeUrl('JaVaScRiPt:alert(1)') // undefined
 */
export function safeUrl(link: unknown): string | undefined {
  if (typeof link != 'string' || UNSAFE.test(link)) return;
  if (/^\/(?!\/)/.test(link)) return link;
  if (!/^https:\/\//i.test(link)) return;
  try {
    const u = new URL(link);
    if (u.protocol == 'https:' && u.hostname) return u.href;
  } catch {}
}

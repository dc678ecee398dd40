/**
 * The browser's address: the socket's, or — behind a load balancer, with IDIC_TRUST_PROXY=1 —
 * the first X-Forwarded-For entry (never trusted otherwise: a client could rotate it to evade limits).
 */
export function clientAddress(c: any): string {
  if (process.env.IDIC_TRUST_PROXY === '1') {
    const xff = c.req.header('x-forwarded-for');
    if (xff) return xff.split(',')[0].trim();
  }
  return c.env?.incoming?.socket?.remoteAddress ?? 'local';
}

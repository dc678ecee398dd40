/** Helpers for the identity tests: browser-style calls, and a dump of every table to prove "nothing changed". */
import type { setup } from './helpers.ts';

export type T = Awaited<ReturnType<typeof setup>>;

/** Every row of every table, as text: equal dumps mean the database did not change. */
export function dump(t: T): string {
  const tables = t.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return JSON.stringify(tables.map(({ name }) => [name, t.store.db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r)).sort()]));
}

export const count = (t: T, sql: string, ...params: unknown[]) => (t.store.db.prepare(sql).get(...params) as { n: number }).n;

/** A browser sends: write key, and for a user id the server-computed hash. */
export function web(t: T) {
  const send = (type: string, body: Record<string, unknown>) => {
    const userHash = typeof body.userId === 'string' ? t.hash(body.userId) : undefined;
    return t.post(`/v1/${type}`, { ...body, ...(userHash && !('userHash' in body) ? { userHash } : {}), writeKey: t.site.writeKey });
  };
  return {
    send,
    page: (anonymousId: string, name = 'Home', extra: Record<string, unknown> = {}) => send('page', { anonymousId, name, ...extra }),
    view: (anonymousId: string, category: string, extra: Record<string, unknown> = {}) =>
      send('track', { anonymousId, event: 'Product Viewed', properties: { category, price: 100000 }, ...extra }),
    identify: (anonymousId: string | undefined, userId: string, traits: Record<string, unknown> = {}) => send('identify', { anonymousId, userId, traits }),
  };
}

let serial = 0;

/** The shop's backend sends with the secret key (trusted). */
export function server(t: T) {
  const send = (type: string, body: Record<string, unknown>) => t.post(`/v1/${type}`, body, t.basic(t.site.secretKey));
  return {
    send,
    order: (ids: { userId?: string; anonymousId?: string }, orderId: string, revenue: number, messageId = `srv-${orderId}-${++serial}`) =>
      send('track', { ...ids, messageId, event: 'Order Completed', properties: { order_id: orderId, revenue, products: [{ category: 'coffee', price: revenue, quantity: 1 }] } }),
    identify: (body: Record<string, unknown>) => send('identify', body),
  };
}

export async function profile(t: T, id: string) {
  const res = await t.admin(`/profiles/${encodeURIComponent(id)}`);
  return res.status === 200 ? res.json() : null;
}

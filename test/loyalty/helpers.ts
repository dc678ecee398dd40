/** Loyalty calls on top of the collector test set-up: trusted orders, the customer's own API, codes. */
import { setup } from '../collector/helpers.ts';

export async function loyaltySetup(...args: Parameters<typeof setup>) {
  const t = await setup(...args);
  const server = t.basic(t.site.secretKey);
  const json = async (response: Response | Promise<Response>) => {
    const res = await response;
    return { status: res.status, body: await res.json() as any };
  };
  /** The shop's backend reports an order with the secret key. */
  const order = (userId: string | null, orderId: string, revenue: number, extra: Record<string, unknown> = {}, anonymousId?: string) =>
    json(t.post('/v1/track', {
      type: 'track', event: 'Order Completed', messageId: `order-${orderId}`, userId: userId ?? undefined, anonymousId,
      properties: { order_id: orderId, revenue, currency: 'VND', ...extra },
    }, server));
  const reverse = (event: 'Order Refunded' | 'Order Cancelled', orderId: string) =>
    json(t.post('/v1/track', { type: 'track', event, userId: 'x', messageId: `${event}-${orderId}`, properties: { order_id: orderId } }, server));
  const me = (userId: string, hash = t.hash(userId)) => json(t.post('/v1/loyalty/me', { writeKey: t.site.writeKey, userId, userHash: hash, locale: 'en' }));
  const redeem = (userId: string, rewardId: string) =>
    json(t.post('/v1/loyalty/redeem', { writeKey: t.site.writeKey, userId, userHash: t.hash(userId), rewardId, locale: 'en' }));
  const code = (action: 'verify' | 'consume', body: Record<string, unknown>) =>
    json(t.admin(`/loyalty/codes/${action}`, { method: 'POST', body: JSON.stringify(body) }));
  return { ...t, json, order, reverse, me, redeem, code };
}

/**
 * What an event row keeps of its message: everything but the copies of what the row already holds
 * in columns (type, messageId, anonymousId, userId, and the event or page name). Those copies were
 * a third of a typical row's bytes — written to the table, the WAL and the checkpoint each time —
 * and leaving them out saves about a seventh of the cost of storing an event. Reading a row puts
 * them back, so callers always see the whole message; rows stored whole read the same.
 * A field is left out only when it equals its column, so nothing a writer put in a body is lost.
 */
import type { StoredEvent } from './types.ts';

type Columns = Pick<StoredEvent, 'type' | 'messageId' | 'anonymousId' | 'userId' | 'name'>;

/** The key under which a message carries the row's `name` column. */
const nameKey = (type: string) => (type === 'track' ? 'event' : type === 'page' || type === 'screen' ? 'name' : null);

export function bodyToStore(e: Columns & Pick<StoredEvent, 'body'>): Record<string, unknown> {
  const named = nameKey(e.type);
  const out: Record<string, unknown> = {};
  const body = e.body;
  for (const k in body) {
    const v = body[k];
    if (
      (k === 'type' && v === e.type) || (k === 'messageId' && v === e.messageId) || (k === 'anonymousId' && v === e.anonymousId)
      || (k === 'userId' && v === e.userId) || (k === named && v === e.name)
    ) continue;
    out[k] = v;
  }
  return out;
}

export function bodyFromRow(e: Columns, stored: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { type: e.type, messageId: e.messageId };
  if (e.anonymousId !== null) body.anonymousId = e.anonymousId;
  if (e.userId !== null) body.userId = e.userId;
  const named = nameKey(e.type);
  if (named && e.name !== null) body[named] = e.name;
  return Object.assign(body, stored);
}

/** An events row (same columns in both stores; `body` as JSON text) → the stored event, whole. */
export function eventFromRow(r: Record<string, any>): StoredEvent {
  const e = {
    siteId: r.site_id, messageId: r.message_id, profileId: r.profile_id, type: r.type, name: r.name,
    anonymousId: r.anonymous_id, userId: r.user_id, ts: r.ts, receivedAt: r.received_at, trusted: !!r.trusted,
    source: r.source, bot: !!r.bot, seq: r.seq,
  };
  return { ...e, body: bodyFromRow(e, JSON.parse(r.body)) };
}

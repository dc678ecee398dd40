/**
 * Event ingest: validated messages in, stored exactly once, attached to one profile, and the
 * profile's figures and scores updated — all in one transaction, before the 2xx is sent.
 */
import type { IngestResponse, Message } from '../protocol.ts';
import { ECOMMERCE, OFFER_EVENTS } from '../protocol.ts';
import type { Profile, ProfileIdentity } from '../profile.ts';
import type { OutcomeKind, Site, StoredEvent, Tx } from '../store/types.ts';
import { groupWrite } from './group-commit.ts';
import { applyEvent } from '../models/stats.ts';
import { scoreProfile } from '../models/score.ts';
import type { Services } from './context.ts';
import { identityKey, mergeProfiles, orderIdOf, resolveProfile, toScoringEvent, type MessageIds } from './identity.ts';
import { externalKeysOf, idProblem, mergeTraits } from './identity-keys.ts';
import { recordOrderOutcome, recordOfferOutcome } from './outcomes.ts';
import { isBot } from './bots.ts';
import { loyaltyOnOrder, loyaltyOnReversal, type LedgerMemo } from '../loyalty/service.ts';

export interface IngestSource {
  site: Site;
  /** Sent with the site's secret key (shop backend, Segment/RudderStack server library, import). */
  trusted: boolean;
  /** Dedupe scope: the same messageId from another source is another event. */
  source: 'web' | 'server' | 'import';
  receivedAt: number;
  /** Batch-level sentAt, used when a message has none. */
  sentAt?: number;
  userAgent?: string;
}

/** Correct a client timestamp for clock skew the way Segment does: receivedAt − (sentAt − timestamp). */
export function correctedTimestamp(m: Pick<Message, 'timestamp' | 'sentAt'>, receivedAt: number, batchSentAt?: number): number {
  const sentAt = m.sentAt ?? batchSentAt;
  if (m.timestamp === undefined) return receivedAt;
  if (sentAt === undefined) return Math.min(m.timestamp, receivedAt);
  // Not before 1970, as the protocol refuses for timestamps themselves: negative times break the timeline's cursor.
  return Math.max(0, Math.min(receivedAt - (sentAt - m.timestamp), receivedAt));
}

const ORDER_REVERSALS = new Set<string>([ECOMMERCE.orderRefunded, ECOMMERCE.orderCancelled]);
const OFFER_OUTCOMES = new Map<string, OutcomeKind>([
  [OFFER_EVENTS.impression, 'impression'], [OFFER_EVENTS.click, 'click'],
  [OFFER_EVENTS.dismiss, 'dismiss'], [OFFER_EVENTS.conversion, 'conversion'],
]);

export type IngestResult = IngestResponse & { profileIds: string[] };

/**
 * Store messages (already validated) and update the profiles they touch; resolves only after
 * the transaction that holds them has committed (group commit: see `groupWrite`).
 */
export function ingestMessages(svc: Services, src: IngestSource, messages: Message[]): Promise<IngestResult> {
  return groupWrite(svc.store, (tx) => ingestInTx(tx, svc, src, messages));
}

async function ingestInTx(tx: Tx, svc: Services, src: IngestSource, messages: Message[]): Promise<IngestResult> {
  const { site } = src;
  const bot = isBot(src.userAgent);
  {
    const profiles = new Map<string, Profile>();
    const ledgers: LedgerMemo = new Map();
    const touched = new Set<string>();
    const resolved = new Map<string, Profile>();
    let accepted = 0;
    let duplicates = 0;
    // A networked store checks the batch's duplicates in one query and inserts its new events in
    // one statement (`pending`); rows are flushed before any identity work, since merges move events.
    // The check and the batch's profiles are fetched at once: on PostgreSQL one round trip, not two.
    const [probe, prefetch] = await Promise.allSettled([
      tx.storedMessageIds && messages.length > 1 ? tx.storedMessageIds(site.id, src.source, messages.flatMap((m) => (m.messageId ? [m.messageId] : []))) : null,
      messages.length > 1 ? prefetchProfiles(tx, src, messages, profiles) : null,
    ]);
    // Both settled before either failure is thrown: the transaction's connection is not given
    // back while one of them still uses it.
    if (probe.status === 'rejected') throw probe.reason;
    if (prefetch.status === 'rejected') throw prefetch.reason;
    const stored = probe.value;
    let pending: StoredEvent[] = [];
    const flush = async () => {
      if (!pending.length) return;
      const rows = pending;
      pending = [];
      if (tx.appendEvents) return tx.appendEvents(rows);
      const inserted = await tx.insertEvents(rows);
      // Another transaction stored one of these meanwhile: retry the whole batch (it then counts as a duplicate).
      if (inserted.includes(false)) throw Object.assign(new Error('an event of this batch was stored concurrently'), { code: '40001' });
    };
    for (const m of messages) {
      const ts = correctedTimestamp(m, src.receivedAt, src.sentAt);
      // A batch mostly repeats one visitor's ids: resolve each pair once (identify/alias may relink, so
      // always resolve those, and a trusted message's external keys: a POS terminal's one anonymous id
      // carries many customers' sales, each landing on its loyalty card's owner).
      const pair = `${m.anonymousId ?? ''}\u0000${m.userId ?? ''}`;
      const keyed = hasTrustedKeys(m, src);
      let profile = m.type === 'identify' || m.type === 'alias' || keyed ? undefined : resolved.get(pair);
      if (!profile || !profiles.has(profile.id)) {
        // Only a user id, a previous id or trusted keys can merge profiles (moving stored events).
        if (m.type === 'alias' || m.userId || keyed) await flush();
        profile = (await resolveForMessage(tx, svc, src, m, ts, profiles)).profile;
        resolved.set(pair, profile);
      }
      touched.add(profile.id);
      const messageBot = bot || isBot(userAgentOf(m));
      const row: StoredEvent = {
        siteId: site.id, messageId: m.messageId ?? svc.newId(), profileId: profile.id, type: m.type,
        name: m.type === 'track' ? m.event : m.type === 'page' || m.type === 'screen' ? m.name ?? null : null,
        anonymousId: m.anonymousId ?? null, userId: m.userId ?? null, ts, receivedAt: src.receivedAt,
        trusted: src.trusted, source: src.source, bot: messageBot, body: withoutKey(m),
      };
      let isNew: boolean;
      if (stored) {
        isNew = !stored.has(row.messageId);
        stored.add(row.messageId);
        if (isNew) pending.push(row);
      } else {
        [isNew] = await tx.insertEvents([row]);
      }
      if (!isNew) { duplicates++; continue; }
      accepted++;
      // A birthday earns a yearly loyalty bonus: only the shop's backend (or its customer import)
      // may state it, or anyone could move theirs to this month from the browser console.
      if (m.type === 'identify') profile.traits = mergeTraits(profile.traits, src.trusted ? m.traits : withoutBirthday(m.traits)).traits;
      if (messageBot) continue;
      await applyToProfile(tx, svc, src, row, profile, ledgers);
    }
    await flush();
    const now = src.receivedAt;
    const changed: Profile[] = [];
    for (const pid of touched) {
      const p = profiles.get(pid);
      if (!p) continue; // merged away in this transaction
      p.scores = scoreProfile(p.stats, svc.model(site.id), site.settings.scoring, now);
      p.updatedAt = now;
      changed.push(p);
    }
    if (tx.saveProfiles) await tx.saveProfiles(changed);
    else for (const p of changed) await tx.saveProfile(p);
    tx.countIngested?.(accepted, duplicates);
    return { success: true as const, accepted, duplicates, profileIds: [...touched].filter((p) => profiles.has(p)) };
  }
}

/**
 * Trusted external keys (a POS sale's loyalty card, a backend's hashed e-mail). With a user id or a
 * previous id (alias) they are what can merge profiles (and so move stored events): an anonymous
 * page view or track never does, so events queued before it need not be written first.
 */
function hasTrustedKeys(m: Message, src: IngestSource): boolean {
  return src.trusted && externalKeysOf({ traits: m.type === 'identify' ? m.traits : undefined, context: m.context }).length > 0;
}

/**
 * Before a batch is resolved message by message: lock every id it names, look them all up, and
 * load every profile they point to — two round trips on PostgreSQL (the locks travel with the
 * statements behind them), instead of several per visitor. The per-message resolution then finds
 * locks held, links known and profiles loaded.
 * (Locking the whole batch's keys first, sorted, is also the deadlock-free order.)
 */
async function prefetchProfiles(tx: Tx, src: IngestSource, messages: Message[], profiles: Map<string, Profile>) {
  if (!tx.getProfiles) return;
  const ids = new Map<string, ProfileIdentity>();
  for (const m of messages) {
    if (m.anonymousId) ids.set(`anonymous:${m.anonymousId}`, { kind: 'anonymous', value: m.anonymousId });
    if (m.userId) ids.set(`user:${m.userId}`, { kind: 'user', value: m.userId });
  }
  // Ids the graph cannot store are left to the per-message resolution, which names them in its 400.
  const named = [...ids.values()].filter((id) => !idProblem(id.value));
  if (!named.length) return;
  await tx.lock(named.map((id) => `${src.site.id}|${identityKey(id)}`));
  const found = await tx.findProfileIds(src.site.id, named);
  const pids = [...new Set(found.values())].filter((pid) => !profiles.has(pid));
  for (const [pid, p] of await tx.getProfiles(src.site.id, pids)) profiles.set(pid, p);
}

async function resolveForMessage(tx: Tx, svc: Services, src: IngestSource, m: Message, ts: number, profiles: Map<string, Profile>) {
  const ids: MessageIds = {
    anonymousId: m.anonymousId, userId: m.userId, trusted: src.trusted,
    external: externalKeysOf({ traits: m.type === 'identify' ? m.traits : undefined, context: m.context }),
  };
  if (m.type === 'alias') {
    // alias(userId, previousId): the previous id's profile joins the new one. Two known customers
    // are merged only on a trusted call, so nobody can take over another profile from a browser.
    const target = await resolveProfile(tx, svc, src.site, ids, ts, profiles);
    const prevIds = await tx.findProfileIds(src.site.id, [{ kind: 'user', value: m.previousId }, { kind: 'anonymous', value: m.previousId }]);
    for (const prevId of new Set(prevIds.values())) {
      const prev = profiles.get(prevId) ?? (await tx.getProfile(src.site.id, prevId));
      if (!prev || prev.id === target.profile.id) continue;
      if (prev.userId !== null && !src.trusted) continue;
      await mergeProfiles(tx, svc, src.site, prev.id, target.profile.id, src.receivedAt, profiles);
    }
    return target;
  }
  return resolveProfile(tx, svc, src.site, ids, ts, profiles);
}

async function applyToProfile(tx: Tx, svc: Services, src: IngestSource, row: StoredEvent, profile: Profile, ledgers: LedgerMemo) {
  const ev = toScoringEvent(row);
  const outcome = row.name ? OFFER_OUTCOMES.get(row.name) : undefined;
  if (outcome) {
    await recordOfferOutcome(tx, src.site, profile, ev.properties, outcome, row.ts);
  }
  if (row.name === ECOMMERCE.orderCompleted && row.trusted) {
    const orderId = orderIdOf(ev.properties, row.messageId);
    const amount = Number(ev.properties.revenue ?? ev.properties.total ?? 0) || 0;
    const order = {
      siteId: src.site.id, orderId, profileId: profile.id, ts: row.ts, amount,
      currency: typeof ev.properties.currency === 'string' ? ev.properties.currency : src.site.settings.currency,
      status: 'completed' as const, items: orderItems(ev.properties),
    };
    const isNewOrder = await tx.insertOrder(order);
    // A re-sent order is stored as an interaction but never counts twice.
    if (!isNewOrder) return;
    await loyaltyOnOrder(tx, svc, src.site, profile, order, ledgers);
    await recordOrderOutcome(tx, svc, src.site, profile.id, amount, row.ts);
  }
  if (row.name && ORDER_REVERSALS.has(row.name) && row.trusted) {
    const orderId = orderIdOf(ev.properties, '');
    const before = orderId ? await tx.setOrderStatus(src.site.id, orderId, row.name === ECOMMERCE.orderRefunded ? 'refunded' : 'cancelled') : null;
    if (!before || before.status !== 'completed') return;
    await loyaltyOnReversal(tx, svc, src.site, before.orderId, row.name, row.ts);
    ev.properties = { ...ev.properties, revenue: before.amount };
  }
  applyEvent(profile.stats, ev, src.site.settings.scoring);
}

function orderItems(props: Record<string, unknown>) {
  const products = Array.isArray(props.products) ? props.products : [];
  return products.filter((p): p is Record<string, unknown> => !!p && typeof p === 'object').map((p) => ({
    category: typeof p.category === 'string' ? p.category : undefined,
    amount: (Number(p.price) || 0) * (Number(p.quantity) || 1),
    quantity: Number(p.quantity) || 1,
  }));
}

function userAgentOf(m: Message): string | undefined {
  const ua = (m.context as { userAgent?: unknown } | undefined)?.userAgent;
  return typeof ua === 'string' ? ua : undefined;
}

/** The key a message may carry (Segment's body `writeKey`) authenticated the call; it is no event data, and a secret key stored would reach every reader of timelines and exports. */
function withoutKey(m: Message): Record<string, unknown> {
  if (m.writeKey === undefined) return m as Record<string, unknown>;
  const { writeKey: _, ...rest } = m;
  return rest;
}

function withoutBirthday(traits: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!traits || !('birthday' in traits)) return traits;
  const { birthday: _, ...rest } = traits;
  return rest;
}

/**
 * The identity graph: resolving the ids on a message to one profile, linking new ids to it,
 * and merging profiles when one customer turns out to be two. Written once against `Tx`.
 *
 * Rules (tested case by case in test/collector/identity.test.ts):
 * - an anonymous id seen first creates an anonymous profile;
 * - identify(userId) on an anonymous profile: if the user already has a profile, the anonymous
 *   profile's history moves into it (merge); otherwise the anonymous profile becomes the user's;
 * - an anonymous id that already belongs to *another known user* (a shared computer without
 *   logout) is re-pointed to the new user for the future, but the earlier user's history stays theirs;
 * - two known profiles merge only through a trusted call (secret key or admin).
 * After any merge, stats and scores are recomputed from the merged event history, so nothing is
 * lost and nothing counts twice.
 */
import type { Profile, ProfileIdentity } from '../profile.ts';
import { emptyStats } from '../profile.ts';
import type { Site, Store, StoredEvent, Tx } from '../store/types.ts';
import { HttpError } from '../http/errors.ts';
import { CONTROL_CHARS, idProblem, lookupCandidates } from './identity-keys.ts';
import { ORDER_KEYS } from '../protocol.ts';
import { applyEvent, type ScoringEvent } from '../models/stats.ts';
import { scoreProfile } from '../models/score.ts';
import type { Services } from './context.ts';

export const identityKey = (id: ProfileIdentity) => `${id.kind}:${id.value}`;

export function newProfile(site: Site, id: string, now: number, svc: Services): Profile {
  const stats = emptyStats(now);
  return {
    siteId: site.id, id, userId: null, identities: [], traits: {}, stats,
    scores: scoreProfile(stats, svc.model(site.id), site.settings.scoring, now), createdAt: now, updatedAt: now,
  };
}

export interface Resolved {
  profile: Profile;
  created: boolean;
  merged: string[];
  /** External keys this message named that stay with another known customer (first claim wins). */
  conflicts?: ProfileIdentity[];
}

/** The ids a message (or an imported row) names. */
export interface MessageIds {
  anonymousId?: string | null;
  userId?: string | null;
  /** External keys (email hash, phone, loyalty, pos) — linked only when `trusted`. */
  external?: ProfileIdentity[];
  /**
   * Sent with the secret key (shop backend, POS, import). Only trusted sources link external
   * keys or resolve a message by one: a browser could otherwise type another customer's email or
   * loyalty card number and have that customer's in-store purchases land on its own profile.
   */
  trusted?: boolean;
}

/**
 * Find (or create) the profile for a message's ids and link every id to it.
 * `profiles` caches profiles already loaded in this transaction (they are saved by the caller).
 * Throws a 400 HttpError for an id the graph cannot store (control characters, lone surrogates…).
 */
export async function resolveProfile(
  tx: Tx, svc: Services, site: Site, ids: MessageIds, now: number, profiles: Map<string, Profile>,
): Promise<Resolved> {
  for (const [field, v] of [['anonymousId', ids.anonymousId], ['userId', ids.userId]] as const) {
    const problem = v ? idProblem(v) : null;
    if (problem) throw new HttpError(400, 'invalid_id', `${field} ${problem}`);
  }
  const anon: ProfileIdentity | null = ids.anonymousId ? { kind: 'anonymous', value: ids.anonymousId } : null;
  const user: ProfileIdentity | null = ids.userId ? { kind: 'user', value: ids.userId } : null;
  const external = ids.trusted ? ids.external ?? [] : [];
  const keys = [anon, user].filter((k): k is ProfileIdentity => k !== null);
  await tx.lock([...keys, ...external].map((k) => `${site.id}|${identityKey(k)}`));
  const found = await tx.findProfileIds(site.id, [...keys, ...external]);
  const anonPid = anon ? found.get(identityKey(anon)) : undefined;
  const userPid = user ? found.get(identityKey(user)) : undefined;
  const load = async (pid: string) => {
    let p = profiles.get(pid);
    if (!p) {
      p = (await tx.getProfile(site.id, pid)) ?? undefined;
      if (p) profiles.set(pid, p);
    }
    return p ?? null;
  };
  // A trusted message with no user id (a POS sale by loyalty card) belongs to the key's owner —
  // a known customer's key before an anonymous POS-only profile's, whatever order the keys come
  // in, so the anonymous profile is brought into the customer rather than the sale kept from them.
  let keyPid: string | undefined;
  if (!user) {
    const owners = [...new Set(external.map((k) => found.get(identityKey(k))).filter((p): p is string => p !== undefined))];
    for (const pid of owners) if ((await load(pid))?.userId != null) { keyPid = pid; break; }
    keyPid ??= owners[0];
  }
  const done = async (r: Resolved): Promise<Resolved> => {
    const conflicts = external.length ? await linkExternalKeys(tx, svc, site, r.profile, external, found, now, profiles) : [];
    return conflicts.length ? { ...r, conflicts } : r;
  };

  const knownPid = userPid ?? keyPid;
  if (!user && !knownPid) {
    if (!anon) throw new HttpError(400, 'invalid_request', 'anonymousId or userId is required');
    const existing = anonPid ? await load(anonPid) : null;
    if (existing) return done({ profile: existing, created: false, merged: [] });
    const p = newProfile(site, svc.newId(), now, svc);
    profiles.set(p.id, p);
    await tx.linkIdentity(site.id, anon, p.id, now);
    p.identities.push(anon);
    return done({ profile: p, created: true, merged: [] });
  }

  if (knownPid) {
    const known = (await load(knownPid))!;
    const merged: string[] = [];
    if (anon && anonPid !== knownPid) {
      const anonProfile = anonPid ? await load(anonPid) : null;
      if (anonProfile && anonProfile.userId === null) {
        await mergeProfiles(tx, svc, site, anonProfile.id, known.id, now, profiles);
        merged.push(anonProfile.id);
      } else {
        // New, or the last user's id on a shared computer: it points here from now on, their history stays theirs.
        await tx.linkIdentity(site.id, anon, known.id, now);
        known.identities.push(anon);
      }
    }
    if (user && known.userId === null) {
      known.userId = user.value;
      await tx.linkIdentity(site.id, user, known.id, now);
      known.identities.push(user);
    }
    return done({ profile: known, created: false, merged });
  }

  // A user id seen for the first time.
  const anonProfile = anonPid ? await load(anonPid) : null;
  if (anonProfile && anonProfile.userId === null) {
    anonProfile.userId = user!.value;
    await tx.linkIdentity(site.id, user!, anonProfile.id, now);
    anonProfile.identities.push(user!);
    return done({ profile: anonProfile, created: false, merged: [] });
  }
  const p = newProfile(site, svc.newId(), now, svc);
  p.userId = user!.value;
  profiles.set(p.id, p);
  for (const k of keys) {
    await tx.linkIdentity(site.id, k, p.id, now);
    p.identities.push(k);
  }
  return done({ profile: p, created: true, merged: [] });
}

/**
 * Link trusted external keys to `profile`. A key nobody holds is linked; a key held by an
 * anonymous profile (a POS customer not yet known online) brings that profile along (merge); a key
 * held by another known customer stays theirs — families share phones — and is returned as a
 * conflict for an admin to resolve with an explicit merge.
 */
async function linkExternalKeys(
  tx: Tx, svc: Services, site: Site, profile: Profile, keys: ProfileIdentity[], found: Map<string, string>,
  now: number, profiles: Map<string, Profile>,
): Promise<ProfileIdentity[]> {
  const conflicts: ProfileIdentity[] = [];
  for (const k of keys) {
    const owner = found.get(identityKey(k));
    if (owner === profile.id || (owner && profile.identities.some((i) => identityKey(i) === identityKey(k)))) continue;
    if (owner) {
      const other = profiles.get(owner) ?? (await tx.getProfile(site.id, owner));
      if (other && other.userId !== null && other.id !== profile.id) {
        conflicts.push(k);
        continue;
      }
      if (other && other.id !== profile.id) {
        await mergeProfiles(tx, svc, site, other.id, profile.id, now, profiles);
        continue;
      }
    }
    await tx.linkIdentity(site.id, k, profile.id, now);
    profile.identities.push(k);
  }
  return conflicts;
}

/**
 * Find a customer by any id: profile id, anonymous id, user id, an id merged away, an external
 * key as stored, or a raw email address / phone number (hashed / normalised first).
 */
export async function findCustomer(store: Store, siteId: string, anyId: string): Promise<Profile | null> {
  // No stored id holds a control character (the identity graph refuses them), and PostgreSQL
  // could not even be asked about one with NUL: not found, as on SQLite.
  if (!anyId || anyId.length > 1000 || CONTROL_CHARS.test(anyId)) return null;
  const direct = await store.findProfile(siteId, anyId);
  if (direct) return direct;
  for (const id of lookupCandidates(anyId)) {
    const p = await store.profileByIdentity(siteId, id);
    if (p) return p;
  }
  return null;
}

/**
 * Move `fromId` into `intoId`: every row follows, the merge is remembered (so old ids still
 * resolve), and the merged profile's figures are recomputed from its whole history.
 * Idempotent: merging a profile that no longer exists (erased), into itself, or into the profile
 * it was merged into already, changes nothing. A profile merged away since the caller looked it up
 * (a concurrent merge) stands for the profile it was merged into, as its old id does everywhere.
 */
export async function mergeProfiles(
  tx: Tx, svc: Services, site: Site, fromId: string, intoId: string, now: number, profiles: Map<string, Profile>,
): Promise<Profile | null> {
  let from: Profile | null = null, into: Profile | null = null;
  // The merges table is flat (a merge re-points the merges into the profile it removes): one hop.
  for (let hop = 0; hop < 2; hop++) {
    if (fromId === intoId) return null;
    await tx.lock([`${site.id}|profile:${[fromId, intoId].sort().join('+')}`]);
    from = profiles.get(fromId) ?? (await tx.getProfile(site.id, fromId));
    into = profiles.get(intoId) ?? (await tx.getProfile(site.id, intoId));
    if (from && into) break;
    const survivor = async (id: string) =>
      String((await tx.query('SELECT into_id FROM merges WHERE site_id = ? AND from_id = ?', [site.id, id])).rows[0]?.into_id ?? '');
    const f = from ? fromId : await survivor(fromId), i = into ? intoId : await survivor(intoId);
    if (!f || !i) return null;
    [fromId, intoId] = [f, i];
  }
  if (!from || !into) return null;
  await tx.mergeInto(site.id, fromId, intoId, now);
  profiles.delete(fromId);
  into.traits = { ...from.traits, ...into.traits };
  into.userId ??= from.userId;
  into.identities = await tx.identitiesOf(site.id, intoId);
  into.createdAt = Math.min(into.createdAt, from.createdAt);
  const events = await tx.eventsOf(site.id, intoId);
  into.stats = recomputeStats(events, site, now, await orderBook(tx, site.id, intoId, events));
  // Scores follow the merged history at once, so a decide right after the merge already sees them.
  into.scores = scoreProfile(into.stats, svc.model(site.id), site.settings.scoring, now);
  into.updatedAt = now;
  profiles.set(intoId, into);
  return into;
}

/**
 * What the `orders` table says about a profile's history, as ingest consulted it: the orders whose
 * row is the profile's (ingest counted an order only for the profile that stored it first), and
 * the amount of every order the history refunds or cancels (ingest ignored a reversal of an order
 * it had never stored, and took the order's amount for the others).
 */
export interface OrderBook {
  owned: Set<string>;
  amounts: Map<string, number>;
}

const isReversal = (name: string | null) => name === 'Order Refunded' || name === 'Order Cancelled';

async function orderBook(tx: Tx, siteId: string, profileId: string, events: StoredEvent[]): Promise<OrderBook> {
  const owned = new Set<string>();
  const amounts = new Map<string, number>();
  for (const r of (await tx.query('SELECT order_id, amount FROM orders WHERE site_id = ? AND profile_id = ?', [siteId, profileId])).rows) {
    owned.add(String(r.order_id));
    amounts.set(String(r.order_id), Number(r.amount));
  }
  const elsewhere = new Set<string>();
  for (const e of events) {
    if (!e.trusted || !isReversal(e.name)) continue;
    const orderId = orderIdOf(toScoringEvent(e).properties, '');
    if (orderId && !amounts.has(orderId)) elsewhere.add(orderId);
  }
  if (elsewhere.size) {
    const ids = [...elsewhere];
    const { rows } = await tx.query(`SELECT order_id, amount FROM orders WHERE site_id = ? AND order_id IN (${ids.map(() => '?').join(', ')})`, [siteId, ...ids]);
    for (const r of rows) amounts.set(String(r.order_id), Number(r.amount));
  }
  return { owned, amounts };
}

/**
 * Replay a profile's whole history the way ingest applied it: each trusted order counts once even
 * if sent twice (or seen in both merged histories), and each order's refund counts once, for the
 * order's amount. With the `book` (the orders table), an order stored for another profile does
 * not count here and a reversal of an order never stored does not count, as at ingest.
 */
export function recomputeStats(events: StoredEvent[], site: Site, now: number, book?: OrderBook) {
  const stats = emptyStats(events.length ? Math.min(now, events[0].ts) : now);
  const orders = new Map<string, number>();
  const reversed = new Set<string>();
  for (const e of events) {
    if (e.bot) continue;
    const ev = toScoringEvent(e);
    if (ev.trusted && ev.name === 'Order Completed') {
      const orderId = orderIdOf(ev.properties, e.messageId);
      if (orders.has(orderId) || (book && !book.owned.has(orderId))) continue;
      orders.set(orderId, Number(ev.properties.revenue ?? ev.properties.total ?? 0) || 0);
    }
    if (ev.trusted && isReversal(ev.name)) {
      const orderId = orderIdOf(ev.properties, '');
      if (!orderId || reversed.has(orderId)) continue;
      const amount = orders.get(orderId) ?? book?.amounts.get(orderId);
      if (book && amount === undefined) continue;
      reversed.add(orderId);
      if (amount !== undefined) ev.properties = { ...ev.properties, revenue: amount };
    }
    applyEvent(stats, ev, site.settings.scoring);
  }
  return stats;
}

export function toScoringEvent(e: Pick<StoredEvent, 'type' | 'name' | 'ts' | 'trusted' | 'body'>): ScoringEvent {
  const props = (e.body.properties ?? e.body.traits ?? {}) as Record<string, unknown>;
  const ev: ScoringEvent = { type: e.type as ScoringEvent['type'], name: e.name, ts: e.ts, trusted: e.trusted, properties: props };
  // An order imported with a bare date (services/orders-import-rows.ts), or a backend's event marked so.
  if (e.trusted && (e.body.context as { dateOnly?: unknown } | undefined)?.dateOnly === true) ev.dateOnly = true;
  return ev;
}

export function orderIdOf(props: Record<string, unknown>, fallback: string): string {
  // The e-commerce spec's keys, first present wins (the protocol validates the same ones).
  let id: unknown;
  for (const k of ORDER_KEYS) if ((id = props[k]) !== undefined && id !== null) break;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : fallback;
}

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
import type { Site, StoredEvent, Tx } from '../store/types.ts';
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

export interface Resolved { profile: Profile; created: boolean; merged: string[] }

/**
 * Find (or create) the profile for a message's ids and link every id to it.
 * `profiles` caches profiles already loaded in this transaction (they are saved by the caller).
 */
export async function resolveProfile(
  tx: Tx, svc: Services, site: Site, ids: { anonymousId?: string | null; userId?: string | null },
  now: number, profiles: Map<string, Profile>,
): Promise<Resolved> {
  const anon: ProfileIdentity | null = ids.anonymousId ? { kind: 'anonymous', value: ids.anonymousId } : null;
  const user: ProfileIdentity | null = ids.userId ? { kind: 'user', value: ids.userId } : null;
  const keys = [anon, user].filter((k): k is ProfileIdentity => k !== null);
  await tx.lock(keys.map((k) => `${site.id}|${identityKey(k)}`));
  const found = await tx.findProfileIds(site.id, keys);
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

  if (!user) {
    const existing = anonPid ? await load(anonPid) : null;
    if (existing) return { profile: existing, created: false, merged: [] };
    const p = newProfile(site, svc.newId(), now, svc);
    profiles.set(p.id, p);
    await tx.linkIdentity(site.id, anon!, p.id, now);
    p.identities.push(anon!);
    return { profile: p, created: true, merged: [] };
  }

  if (userPid) {
    const known = (await load(userPid))!;
    const merged: string[] = [];
    if (anon && anonPid !== userPid) {
      const anonProfile = anonPid ? await load(anonPid) : null;
      if (anonProfile && anonProfile.userId === null) {
        await mergeProfiles(tx, svc, site, anonProfile.id, known.id, now, profiles);
        merged.push(anonProfile.id);
      } else {
        await tx.linkIdentity(site.id, anon, known.id, now);
        known.identities.push(anon);
      }
    }
    return { profile: known, created: false, merged };
  }

  // A user id seen for the first time.
  const anonProfile = anonPid ? await load(anonPid) : null;
  if (anonProfile && anonProfile.userId === null) {
    anonProfile.userId = user.value;
    await tx.linkIdentity(site.id, user, anonProfile.id, now);
    anonProfile.identities.push(user);
    return { profile: anonProfile, created: false, merged: [] };
  }
  const p = newProfile(site, svc.newId(), now, svc);
  p.userId = user.value;
  profiles.set(p.id, p);
  for (const k of keys) {
    await tx.linkIdentity(site.id, k, p.id, now);
    p.identities.push(k);
  }
  return { profile: p, created: true, merged: [] };
}

/**
 * Move `fromId` into `intoId`: every row follows, the merge is remembered (so old ids still
 * resolve), and the merged profile's figures are recomputed from its whole history.
 * Idempotent: merging a profile that no longer exists, or into itself, changes nothing.
 */
export async function mergeProfiles(
  tx: Tx, svc: Services, site: Site, fromId: string, intoId: string, now: number, profiles: Map<string, Profile>,
): Promise<Profile | null> {
  if (fromId === intoId) return null;
  await tx.lock([`${site.id}|profile:${[fromId, intoId].sort().join('+')}`]);
  const from = profiles.get(fromId) ?? (await tx.getProfile(site.id, fromId));
  const into = profiles.get(intoId) ?? (await tx.getProfile(site.id, intoId));
  if (!from || !into) return null;
  await tx.mergeInto(site.id, fromId, intoId, now);
  profiles.delete(fromId);
  into.traits = { ...from.traits, ...into.traits };
  into.userId ??= from.userId;
  into.identities = await tx.identitiesOf(site.id, intoId);
  into.createdAt = Math.min(into.createdAt, from.createdAt);
  into.stats = recomputeStats(await tx.eventsOf(site.id, intoId), site, now);
  into.updatedAt = now;
  profiles.set(intoId, into);
  return into;
}

/** Replay a profile's whole history; each trusted order counts once even if sent twice. */
export function recomputeStats(events: StoredEvent[], site: Site, now: number) {
  const stats = emptyStats(events.length ? Math.min(now, events[0].ts) : now);
  const seenOrders = new Set<string>();
  for (const e of events) {
    if (e.bot) continue;
    const ev = toScoringEvent(e);
    if (ev.trusted && ev.name === 'Order Completed') {
      const orderId = orderIdOf(ev.properties, e.messageId);
      if (seenOrders.has(orderId)) continue;
      seenOrders.add(orderId);
    }
    applyEvent(stats, ev, site.settings.scoring);
  }
  return stats;
}

export function toScoringEvent(e: Pick<StoredEvent, 'type' | 'name' | 'ts' | 'trusted' | 'body'>): ScoringEvent {
  const props = (e.body.properties ?? e.body.traits ?? {}) as Record<string, unknown>;
  return { type: e.type as ScoringEvent['type'], name: e.name, ts: e.ts, trusted: e.trusted, properties: props };
}

export function orderIdOf(props: Record<string, unknown>, fallback: string): string {
  const id = props.order_id ?? props.orderId ?? props.checkout_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : fallback;
}

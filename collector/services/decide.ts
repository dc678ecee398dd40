/**
 * Deciding for one visitor: read the profile, offers, exposure history and bandit counters,
 * let the pure core (collector/decide/) choose, record the decisions, and shape the answer.
 * Offers and counters come from short-lived in-memory caches, so the hot path reads one profile
 * and one customer's recent exposures from the store.
 */
import type { Decision, DecideContext, DecideResponse } from '../protocol.ts';
import type { Offer } from '../offers/schema.ts';
import { isAllowedLink } from '../offers/schema.ts';
import type { Profile } from '../profile.ts';
import type { DecisionRow, Site, Store, Exposure as StoredExposure } from '../store/types.ts';
import { chooseOffers } from '../decide/choose.ts';
import { readsLoyaltyTier } from '../decide/targeting.ts';
import type { Counters, DecisionProfile, Exposure } from '../decide/types.ts';

import type { Services } from './context.ts';
import { resolveProfile } from './identity.ts';
import { groupWrite } from './group-commit.ts';
import { scoreProfile } from '../models/score.ts';
import { sign } from '../http/hmac.ts';
import { TtlCache } from './cache.ts';
import { inProcessLock } from './in-process-lock.ts';

const WEEK = 7 * 86_400_000;
/** One placement's choice, with the id its decision is recorded under. */
type Chosen = ReturnType<typeof chooseOffers>[number] & { decisionId: string };
/** A kept decision bundle renders offers on the next page view without a round trip, for this long. */
export const BUNDLE_TTL_MS = 30 * 60_000;

export interface SiteCaches {
  offers: TtlCache<Offer[]>;
  counters: TtlCache<Counters>;
  redemptions: TtlCache<Record<string, number>>;
}

export function siteCaches(store: Store, ttlMs = 2000): SiteCaches {
  return {
    offers: new TtlCache(ttlMs, (siteId) => store.listOffers(siteId)),
    counters: new TtlCache(ttlMs, async (siteId) => {
      const out: Counters = {};
      for (const c of await store.banditCounters(siteId)) out[c.arm] = { trials: c.trials, conversions: c.conversions, value: c.value };
      return out;
    }),
    redemptions: new TtlCache(ttlMs, async (siteId) => Object.fromEntries(await store.redemptions(siteId))),
  };
}

export interface DecideInput {
  anonymousId?: string;
  userId?: string;
  placements: string[];
  context: DecideContext;
  /** Loyalty tier, when the loyalty programme knows the customer. */
  loyaltyTier?: (siteId: string, profileId: string) => Promise<string | null>;
}

export async function decide(svc: Services, caches: SiteCaches, site: Site, input: DecideInput): Promise<DecideResponse> {
  const now = svc.clock.now();
  const { store } = svc;
  const [offers, counters, redemptions] = await Promise.all([caches.offers.get(site.id), caches.counters.get(site.id), caches.redemptions.get(site.id)]);
  // The loyalty tier costs a ledger read: only when an active offer targets it.
  const loyaltyOf = (p: Profile) => (input.loyaltyTier && targetsLoyaltyTier(offers) ? input.loyaltyTier(site.id, p.id) : null);
  const since = now - WEEK;
  /** Choose from this customer's exposures, read under the customer's lock; the rows record the choice. */
  const choose: Choose = (profile, stored, loyaltyTier) => {
    const picks = chooseOffers({
      siteId: site.id, placements: input.placements, offers, profile: decisionProfile(profile, input.context, loyaltyTier),
      context: input.context, exposures: toExposures(stored), counters, redemptions, settings: site.settings.decide, now, rng: svc.random,
    }).map((d) => ({ ...d, decisionId: svc.newId() }));
    // Record what was chosen (and, for holdouts, what would have been): caps and attribution read it.
    const rows = picks.filter((d) => d.offerId).map((d) => ({
      siteId: site.id, id: d.decisionId, profileId: profile.id, placement: d.placement, offerId: d.offerId,
      offerVersion: d.offer?.version ?? offers.find((o) => o.id === d.offerId)?.version ?? null,
      arm: d.arm ?? '', holdout: d.holdout !== false, sessionId: input.context.sessionId ?? null, createdAt: now,
    }));
    return { picks, rows };
  };

  // Caps hold across tabs, devices and instances: reading this customer's exposures, choosing and
  // recording the choice happen under one lock on the customer, so two concurrent decides cannot
  // both pass a cap that only one of them may use.
  // A networked store does it in one transaction of two round trips when the ids already name one profile.
  const quick = store.decideInTransaction && await store.decideInTransaction(site.id, input, since, async (found) => {
    if (!found || !isLinked(found.profile, input)) return null;
    const { picks, rows } = choose(found.profile, found.exposures, await loyaltyOf(found.profile));
    return { rows, value: { profile: found.profile, picks } };
  });
  const { profile, picks } = quick || await decideInGeneral(svc, site, input, now, since, loyaltyOf, choose);

  const locale = pickLocale(input.context.locale, site.settings.locale);
  const decisions: Decision[] = picks.map((d) => ({
    placement: d.placement, decisionId: d.decisionId, reason: d.reason,
    ...(d.holdout ? { holdout: true } : {}),
    offer: d.offer ? renderOffer(d.offer, locale) : null,
  }));
  const expiresAt = now + BUNDLE_TTL_MS;
  return { profileId: profile.id, decisions, bundle: signBundle(svc.signingKey, profile.id, decisions, expiresAt) };
}

const loyaltyTargeting = new WeakMap<readonly Offer[], boolean>();
/** Does an active offer of this list (the offers cache hands out one list per refresh) target loyalty tiers? */
function targetsLoyaltyTier(offers: readonly Offer[]): boolean {
  let yes = loyaltyTargeting.get(offers);
  if (yes === undefined) loyaltyTargeting.set(offers, (yes = offers.some((o) => o.status === 'active' && readsLoyaltyTier(o.target))));
  return yes;
}

/** Choose for a profile from its exposures: the picks, and the decision rows that record them. */
type Choose = (profile: Profile, stored: StoredExposure[], loyaltyTier: string | null) => { picks: Chosen[]; rows: DecisionRow[] };

/**
 * The general path: the profile (linking new ids first) and its loyalty tier; then, under the
 * customer's lock, its exposures, the choice and the record of it.
 */
async function decideInGeneral(
  svc: Services, site: Site, input: DecideInput, now: number, since: number,
  loyaltyOf: (p: Profile) => Promise<string | null> | null, choose: Choose,
): Promise<{ profile: Profile; picks: Chosen[] }> {
  const { store } = svc;
  const profile = await profileFor(svc, site, input, now);
  const tier = await loyaltyOf(profile);
  const chooseNow = async () => choose(profile, await store.exposures(site.id, profile.id, since), tier);
  const picks = store.deferDecisions
    // The only writer (SQLite): the lock is this process's, and the rows need no commit of their own.
    ? await inProcessLock(`${site.id}|${profile.id}`, async () => {
      const { picks, rows } = await chooseNow();
      store.deferDecisions!(rows);
      return picks;
    })
    // Group commit: concurrent decides (and ingests) share one transaction, each still answered after it.
    : await groupWrite(store, async (tx) => {
      await tx.lock([`${site.id}|profile:${profile.id}`]);
      const { picks, rows } = await chooseNow();
      if (rows.length) await tx.insertDecisions(rows);
      return picks;
    }, 'decisions');
  return { profile, picks };
}

/** Do the ids name this profile already — the user id its own, the anonymous id linked to it? */
function isLinked(p: Profile | null, ids: { anonymousId?: string; userId?: string }): p is Profile {
  return !!p && (!ids.userId || p.userId === ids.userId) && (!ids.anonymousId || p.identities.some((i) => i.kind === 'anonymous' && i.value === ids.anonymousId));
}

/**
 * The caller's profile. Usually one read; when the ids are new or not yet linked (decide can
 * arrive before the identify event it follows), the ids are linked — merging an anonymous
 * history into the customer — so decide right after identify already uses the merged profile.
 */
async function profileFor(svc: Services, site: Site, ids: { anonymousId?: string; userId?: string }, now: number): Promise<Profile> {
  const byUser = ids.userId ? await svc.store.profileByIdentity(site.id, { kind: 'user', value: ids.userId }) : null;
  const p = byUser ?? (ids.anonymousId ? await svc.store.profileByIdentity(site.id, { kind: 'anonymous', value: ids.anonymousId }) : null);
  if (isLinked(p, ids)) return p;
  return svc.store.write(async (tx) => {
    const profiles = new Map<string, Profile>();
    const { profile } = await resolveProfile(tx, svc, site, ids, now, profiles);
    profile.scores = scoreProfile(profile.stats, svc.model(site.id), site.settings.scoring, now);
    await tx.saveProfile(profile);
    return profile;
  });
}

/** The decisions a visitor's SDK may keep and render later, signed so they cannot be forged. */
export function signBundle(key: string, profileId: string, decisions: Decision[], expiresAt: number): NonNullable<DecideResponse['bundle']> {
  const payload = JSON.stringify({ profileId, decisions, expiresAt });
  return { payload, signature: sign(key, payload), expiresAt };
}

export function decisionProfile(p: Profile, ctx: DecideContext, loyaltyTier: string | null): DecisionProfile {
  const s = p.scores;
  return {
    id: p.id, tier: s.tier, rfm: s.rfm && s.rfm.r > 0 ? { r: s.rfm.r, f: s.rfm.f, m: s.rfm.m } : null,
    affinities: s.affinities, needs: s.needs, stage: s.stage,
    returning: p.stats.sessions > 1 || p.stats.orders > 0 || p.stats.lastSeen - p.stats.firstSeen > 30 * 60_000,
    identified: p.userId !== null, loyaltyTier, consent: ctx.consent?.personalization,
  };
}

function toExposures(rows: StoredExposure[]): Exposure[] {
  const out: Exposure[] = [];
  for (const r of rows) {
    if (!r.offerId || r.holdout) continue;
    out.push({ offerId: r.offerId, decisionId: r.decisionId, at: r.at, sessionId: r.sessionId ?? undefined, outcome: 'served' });
    for (const o of r.outcomes) out.push({ offerId: r.offerId, decisionId: r.decisionId, at: o.at, sessionId: r.sessionId ?? undefined, outcome: o.kind });
  }
  return out;
}

function pickLocale(requested: string | undefined, fallback: string): string {
  return (requested ?? fallback).slice(0, 2).toLowerCase();
}

/** Resolve an offer to one locale; links that fail the allowlist are dropped, never passed on. */
export function renderOffer(o: Offer, locale: string): NonNullable<Decision['offer']> {
  const locales = Object.keys(o.content);
  const chosen = o.content[locale] ? locale : locales.includes('en') ? 'en' : locales[0];
  const c = o.content[chosen];
  const safe = (u?: string) => (u && isAllowedLink(u) ? u : undefined);
  return {
    id: o.id, version: o.version, kind: o.kind, locale: chosen,
    content: { title: c.title, body: c.body, cta: c.cta, link: safe(c.link), image: safe(c.image), code: c.code },
    ...(o.items ? { items: o.items.map(({ titles, ...i }) => ({ ...i, title: titles?.[chosen] ?? i.title, link: safe(i.link), image: safe(i.image) })) } : {}),
  };
}

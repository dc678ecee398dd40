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
import type { Site, Store, Exposure as StoredExposure } from '../store/types.ts';
import { chooseOffers } from '../decide/choose.ts';
import type { Counters, DecisionProfile, Exposure } from '../decide/types.ts';
import type { Services } from './context.ts';
import { resolveProfile } from './identity.ts';
import { sign } from '../http/hmac.ts';
import { TtlCache } from './cache.ts';

const WEEK = 7 * 86_400_000;
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
  let profile = await findProfile(svc.store, site.id, input);
  const [offers, counters, redemptions] = await Promise.all([
    caches.offers.get(site.id), caches.counters.get(site.id), caches.redemptions.get(site.id),
  ]);
  const exposures = profile ? toExposures(await svc.store.exposures(site.id, profile.id, now - WEEK)) : [];
  const loyaltyTier = profile && input.loyaltyTier ? await input.loyaltyTier(site.id, profile.id) : null;
  const locale = pickLocale(input.context.locale, site.settings.locale);

  const choose = (p: Profile) => chooseOffers({
    siteId: site.id, placements: input.placements, offers, profile: decisionProfile(p, input.context, loyaltyTier),
    context: input.context, exposures, counters, redemptions, settings: site.settings.decide, now, rng: svc.random,
  });

  // Record what was chosen (and, for holdouts, what would have been), creating the profile on first sight.
  const { profile: saved, picks } = await svc.store.write(async (tx) => {
    const profiles = new Map<string, Profile>();
    const p = profile ?? (await resolveProfile(tx, svc, site, input, now, profiles)).profile;
    if (!profile) await tx.saveProfile(p);
    const picks = choose(p).map((d) => ({ ...d, decisionId: svc.newId() }));
    await tx.insertDecisions(picks.filter((d) => d.offerId).map((d) => ({
      siteId: site.id, id: d.decisionId, profileId: p.id, placement: d.placement, offerId: d.offerId,
      offerVersion: d.offer?.version ?? offers.find((o) => o.id === d.offerId)?.version ?? null,
      arm: d.arm ?? '', holdout: d.holdout !== false, sessionId: input.context.sessionId ?? null, createdAt: now,
    })));
    return { profile: p, picks };
  });
  profile = saved;

  const decisions: Decision[] = picks.map((d) => ({
    placement: d.placement, decisionId: d.decisionId, reason: d.reason,
    ...(d.holdout ? { holdout: true } : {}),
    offer: d.offer ? renderOffer(d.offer, locale) : null,
  }));
  const expiresAt = now + BUNDLE_TTL_MS;
  const payload = JSON.stringify({ profileId: profile.id, decisions, expiresAt });
  return { profileId: profile.id, decisions, bundle: { payload, signature: sign(svc.signingKey, payload), expiresAt } };
}

async function findProfile(store: Store, siteId: string, ids: { anonymousId?: string; userId?: string }) {
  if (ids.userId) {
    const p = await store.profileByIdentity(siteId, { kind: 'user', value: ids.userId });
    if (p) return p;
  }
  // An anonymous id that belongs to a known customer only counts when the caller is that customer.
  const p = ids.anonymousId ? await store.profileByIdentity(siteId, { kind: 'anonymous', value: ids.anonymousId }) : null;
  return p && (!ids.userId || p.userId === null || p.userId === ids.userId) ? p : null;
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
    ...(o.items ? { items: o.items.map((i) => ({ ...i, link: safe(i.link), image: safe(i.image) })) } : {}),
  };
}

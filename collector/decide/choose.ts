/**
 * The decision: for each requested placement, the offer with the highest expected value among
 * those the customer may see, or the default experience (null) for control groups.
 * Pure: the store passes the profile, history and counters; `now` and `rng` are parameters.
 */
import type { Condition, Offer } from '../offers/schema.ts';
import type { DecideContext } from '../protocol.ts';
import { armKey, EMPTY_ARM, poolValuePriors, selectArm, type Arm } from './bandit.ts';
import { capState, globalCap, offerCap, type CapState } from './caps.ts';
import { inGlobalHoldout, inOfferHoldout } from './holdout.ts';
import { isLive } from './schedule.ts';
import type { DecideSettings } from './settings.ts';
import { explain, targetTest, type TargetTest } from './targeting.ts';
import type { ArmCounter, BlockReason, Counters, DecisionProfile, Exposure, PlacementDecision, Rng } from './types.ts';

export interface ChooseInput {
  siteId: string;
  /** Placements in page order; earlier placements get first pick. */
  placements: readonly string[];
  /** The site's offers (any status; only active ones are considered). */
  offers: readonly Offer[];
  profile: DecisionProfile;
  context: DecideContext;
  /** The customer's exposure history, all devices. Old rows (> 7 days) may be left out. */
  exposures: readonly Exposure[];
  counters: Counters;
  /** Redemptions so far per offer id, for budget caps. */
  redemptions?: Readonly<Record<string, number>>;
  settings: DecideSettings;
  now: number;
  rng: Rng;
}

const CAP_WORDS: Record<BlockReason, string> = {
  status: 'inactive', placement: 'other placement', schedule: 'off schedule', target: 'off target',
  'cap:session': 'once per session', 'cap:day': 'daily cap', 'cap:week': 'weekly cap',
  'cap:converted': 'already converted', 'cap:dismissed': 'dismissed', 'cap:budget': 'budget spent',
  'cap:interval': 'minimum interval', 'cap:visit': 'visit cap', duplicate: 'shown in another placement',
};

/** May the site use this customer's personal data for personalization? */
export function personalDataAllowed(p: DecisionProfile, s: Pick<DecideSettings, 'requireConsent'>): boolean {
  return s.requireConsent ? p.consent === 'granted' : p.consent !== 'denied';
}

/** The profile with personal data removed: without consent the engine decides on page context only. */
export function withoutPersonalData(p: DecisionProfile): DecisionProfile {
  return { ...p, tier: null, rfm: null, affinities: {}, needs: [], stage: 'browsing', loyaltyTier: null };
}

function noneReason(blocked: Map<BlockReason, number>): string {
  if (blocked.size === 0) return 'no offer for this placement';
  const parts = [...blocked].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${CAP_WORDS[r]}`);
  return `no eligible offer (${parts.join(', ')})`;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/**
 * Choose one offer per placement (never the same offer twice in one call).
 * Filters by status, schedule, targeting and caps, splits off control groups, and ranks the rest
 * by expected value with the bandit. Placements without a candidate, and held-out customers, get
 * `offer: null`; for held-out customers `offerId`/`arm` still name what they would have seen,
 * so their orders can be measured against that offer.
 * @example
 * chooseOffers({ siteId, placements: ['home-hero'], offers, profile, context: { path: '/' },
 *   exposures, counters, settings: DEFAULT_DECIDE_SETTINGS, now: Date.now(), rng: Math.random })
 * // → [{ placement: 'home-hero', offer, offerId: 'vip-coffee', arm: 'vip-coffee|MVC', holdout: false,
 * //      pick: 'thompson', reason: "MVC, coffee affinity 0.82, rule 'vip-coffee', bandit share 0.64", score: 12.3 }]
 */
export function chooseOffers(input: ChooseInput): PlacementDecision[] {
  const { siteId, offers, context, counters, settings: s, now, rng } = input;
  const profile = personalDataAllowed(input.profile, s) ? input.profile : withoutPersonalData(input.profile);
  const state = capState(input.exposures, now, context.sessionId, s);
  const globalHoldout = inGlobalHoldout(siteId, profile.id, s.holdoutSalt, s.globalHoldoutShare);

  // Placement-independent checks run once per offer, not once per placement: with several
  // placements the verdicts are kept; with one (the usual call) there is nothing to keep.
  const check: Check = { profile, context, state, redemptions: input.redemptions, s, now, kept: input.placements.length > 1 ? new Map() : null };

  const prepared = preparedFor(offers);
  const tierName = profile.tier ?? 'unknown';
  const used = new Set<string>();
  let shown = 0;
  return input.placements.map((placement): PlacementDecision => {
    const none = (reason: string): PlacementDecision => ({ placement, offer: null, offerId: null, arm: null, holdout: false, pick: null, reason, score: null });
    const candidates = scratch.candidates;
    candidates.length = 0;
    for (let i = 0; i < offers.length; i++) {
      const o = offers[i]!;
      if (!onPlacement(o, placement)) continue;
      const e = preparedAt(prepared, i, o);
      if (verdict(e, check) === null && !used.has(o.id)) candidates.push(e);
    }
    if (candidates.length === 0) return none(noneReason(blockedOn(offers, prepared, placement, used, check)));
    // Control customers see nothing and so never hit a site-wide cap; deciding for them anyway
    // keeps the treated and control groups selected the same way.
    if (!globalHoldout) {
      const cap = globalCap(state, s, now, shown);
      if (cap) return none(`${CAP_WORDS[cap]} reached`);
    }
    const { arms, stated } = scratch;
    const tier: ArmCounter = { trials: 0, conversions: 0, value: 0 };
    for (let i = 0; i < candidates.length; i++) {
      const e = candidates[i]!;
      const o = e.offer;
      const arm = (scratch.armPool[i] ??= { offerId: '', priority: 0, cost: 0, priorValue: 0, counter: EMPTY_ARM });
      arm.offerId = o.id;
      arm.priority = o.priority;
      arm.cost = o.cost;
      arm.priorValue = o.expectedValue ?? s.averageOrderValue;
      arm.counter = counters[(e.armKeys[tierName] ??= armKey(o.id, profile.tier))] ?? EMPTY_ARM;
      arms[i] = arm;
      stated[i] = o.expectedValue;
      tier.trials += arm.counter.trials;
      tier.conversions += arm.counter.conversions;
      tier.value += arm.counter.value;
    }
    arms.length = stated.length = candidates.length;
    poolValuePriors(arms, tier, stated, s, counters);
    const choice = selectArm(arms, s, rng);
    const offer = candidates[choice.index]!.offer;
    used.add(offer.id);
    const arm = armKey(offer.id, profile.tier);
    const base = { placement, offerId: offer.id, arm, pick: choice.pick, score: choice.score };
    if (globalHoldout) return { ...base, offer: null, holdout: 'global', reason: `holdout: global control group (${pct(s.globalHoldoutShare)})` };
    if (inOfferHoldout(siteId, profile.id, s.holdoutSalt, offer.id, offer.holdoutShare)) {
      return { ...base, offer: null, holdout: 'offer', reason: `holdout: control group of rule '${offer.id}' (${pct(offer.holdoutShare)})` };
    }
    shown++;
    return { ...base, offer, holdout: false, reason: reasonFor(offer, profile, context, choice) };
  });
}

/** What the eligibility checks read, gathered once per call. */
interface Check {
  profile: DecisionProfile;
  context: DecideContext;
  state: CapState;
  redemptions: Readonly<Record<string, number>> | undefined;
  s: DecideSettings;
  now: number;
  /** Verdicts kept for the next placement; null with one placement. */
  kept: Map<Offer, BlockReason | null> | null;
}

const onPlacement = (o: Offer, placement: string) => o.status === 'active' && o.placements.includes(placement);

/**
 * What stays the same for an offer from one decision to the next: its target compiled, and its
 * arm keys (one string per tier, so counter lookups reuse the same key). Kept per offers list —
 * the collector's offers cache hands out one list per refresh — by position, and rebuilt for an
 * entry whose offer, id or target is no longer the one it was built from.
 */
interface PreparedOffer {
  offer: Offer;
  id: string;
  target: Condition | undefined;
  matches: TargetTest;
  armKeys: Partial<Record<string, string>>;
}
const preparedLists = new WeakMap<readonly Offer[], PreparedOffer[]>();

function preparedFor(offers: readonly Offer[]): PreparedOffer[] {
  let list = preparedLists.get(offers);
  if (!list) preparedLists.set(offers, (list = []));
  return list;
}

function preparedAt(list: PreparedOffer[], i: number, o: Offer): PreparedOffer {
  let e = list[i];
  if (e === undefined || e.offer !== o || e.id !== o.id || e.target !== o.target) {
    list[i] = e = { offer: o, id: o.id, target: o.target, matches: targetTest(o.target), armKeys: {} };
  }
  return e;
}

/** Why the offer may not be shown to this customer now, or null when it may (any placement). */
function verdict(e: PreparedOffer, c: Check): BlockReason | null {
  const o = e.offer;
  const kept = c.kept?.get(o);
  if (kept !== undefined) return kept;
  const why: BlockReason | null = !isLive(o.schedule, c.now, c.s.timeZoneOffsetMinutes)
    ? 'schedule'
    : !e.matches(c.profile, c.context)
      ? 'target'
      : offerCap(o, c.state, c.redemptions?.[o.id] ?? 0);
  c.kept?.set(o, why);
  return why;
}

/**
 * Why nothing was eligible, counted only when it is needed (no candidate left): in offer order
 * per reason, then the offers already shown in an earlier placement.
 */
function blockedOn(offers: readonly Offer[], prepared: PreparedOffer[], placement: string, used: Set<string>, c: Check): Map<BlockReason, number> {
  const blocked = new Map<BlockReason, number>();
  let duplicates = 0;
  for (let i = 0; i < offers.length; i++) {
    const o = offers[i]!;
    if (!onPlacement(o, placement)) continue;
    const why = verdict(preparedAt(prepared, i, o), c);
    if (why) blocked.set(why, (blocked.get(why) ?? 0) + 1);
    else if (used.has(o.id)) duplicates++;
  }
  if (duplicates) blocked.set('duplicate', duplicates);
  return blocked;
}

/**
 * Working arrays and bandit arms reused from one decision to the next: with hundreds of offers,
 * fresh ones would be most of what a decision allocates. Safe because chooseOffers is synchronous
 * and nothing keeps them — the bandit returns an index, and every field is rewritten before use.
 */
const scratch = { candidates: [] as PreparedOffer[], arms: [] as Arm[], stated: [] as (number | undefined)[], armPool: [] as Arm[] };

function reasonFor(offer: Offer, p: DecisionProfile, ctx: DecideContext, c: ReturnType<typeof selectArm>): string {
  const words = [p.tier ?? 'no tier'];
  for (const w of explain(offer.target, p, ctx).matched) if (!words.includes(w)) words.push(w);
  words.push(`rule '${offer.id}'`);
  if (c.pick === 'thompson') words.push(`bandit share ${c.share!.toFixed(2)}`);
  else if (c.pick === 'cold-start') words.push(`cold start, priority ${offer.priority}`);
  else words.push('exploring');
  return words.join(', ');
}

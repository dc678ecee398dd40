/**
 * Thompson sampling per offer × value tier, ranking by expected value:
 *   EV = P(conversion | offer, tier) × (order value − offer cost).
 * P(conversion) has a Beta posterior; the order value is the arm's mean conversion value shrunk
 * toward a prior (the offer's expectedValue, else the site's average order value).
 * Pure: randomness comes from the injected `rng`.
 */
import type { ValueTier } from '../profile.ts';
import type { DecideSettings } from './settings.ts';
import { sampleBeta } from './random.ts';
import type { ArmCounter, PickMethod, Rng } from './types.ts';

/** The arm of an offer for a tier; customers with no tier share the `unknown` arm. */
export function armKey(offerId: string, tier: ValueTier | null): string {
  return `${offerId}|${tier ?? 'unknown'}`;
}

export const EMPTY_ARM: Readonly<ArmCounter> = Object.freeze({ trials: 0, conversions: 0, value: 0 });

/** Counter after one more trial (the visitor saw the offer). Returns a new object. */
export function addTrial(c: ArmCounter = EMPTY_ARM): ArmCounter {
  return { ...c, trials: c.trials + 1 };
}

/** Counter after one attributed conversion of `value`. Returns a new object. */
export function addConversion(c: ArmCounter = EMPTY_ARM, value: number): ArmCounter {
  return { ...c, conversions: c.conversions + 1, value: c.value + value };
}

/** One candidate offer as the bandit sees it. */
export interface Arm {
  offerId: string;
  priority: number;
  cost: number;
  /** Prior order value: offer.expectedValue ?? settings.averageOrderValue. */
  priorValue: number;
  counter: ArmCounter;
}

type BanditSettings = Pick<DecideSettings, 'exploration' | 'coldStartTrials' | 'priorConversionRate' | 'priorStrength' | 'valuePriorWeight' | 'shareSamples'>;

/** Beta posterior of P(conversion) and the shrunk mean order value of an arm. */
export function posterior(arm: Arm, s: BanditSettings): { alpha: number; beta: number; orderValue: number } {
  const { trials, conversions, value } = arm.counter;
  const conv = Math.min(conversions, trials); // late attributions can briefly outrun trials
  const w = s.valuePriorWeight;
  return {
    alpha: s.priorConversionRate * s.priorStrength + conv,
    beta: (1 - s.priorConversionRate) * s.priorStrength + trials - conv,
    orderValue: w + conversions > 0 ? (w * arm.priorValue + value) / (w + conversions) : arm.priorValue,
  };
}

/** Posterior-mean expected value of showing the arm once (site currency). */
export function meanValue(arm: Arm, s: BanditSettings): number {
  const p = posterior(arm, s);
  return (p.alpha / (p.alpha + p.beta)) * (p.orderValue - arm.cost);
}

/** One Thompson draw of the arm's expected value. */
function drawValue(arm: Arm, s: BanditSettings, rng: Rng): number {
  const p = posterior(arm, s);
  return sampleBeta(p.alpha, p.beta, rng) * (p.orderValue - arm.cost);
}

export interface BanditChoice {
  /** Index of the winner in `arms`. */
  index: number;
  pick: PickMethod;
  /** The value that ranked the winner: its Thompson draw, or its posterior mean otherwise. */
  score: number;
  /** Share of posterior draws in which the winner is best (Thompson picks only). */
  share: number | null;
}

/** Candidates the share estimate compares: beyond the top few by mean, wins are negligible. */
const SHARE_RIVALS = 8;

/**
 * Share of joint posterior draws in which `winner` has the highest value. Estimated against the
 * winner's strongest rivals by posterior mean only, to keep decide well under a millisecond
 * with hundreds of offers.
 */
export function banditShare(arms: readonly Arm[], winner: number, s: BanditSettings, rng: Rng): number {
  const means = arms.map((a) => meanValue(a, s));
  const rivals = arms.map((_, i) => i).filter((i) => i !== winner).sort((a, b) => means[b]! - means[a]!).slice(0, SHARE_RIVALS - 1);
  let wins = 0;
  for (let k = 0; k < s.shareSamples; k++) {
    const mine = drawValue(arms[winner]!, s, rng);
    if (rivals.every((i) => drawValue(arms[i]!, s, rng) <= mine)) wins++;
  }
  return wins / s.shareSamples;
}

/**
 * Pick one arm:
 * 1. with probability `exploration`, uniformly at random (a floor of exploration, so no arm
 *    starves even when the posterior is confidently wrong);
 * 2. cold start: while no arm has `coldStartTrials` trials, the marketer's priority decides
 *    (ties go to the earlier arm);
 * 3. otherwise Thompson sampling: draw each arm's EV from its posterior and take the highest.
 * @example selectArm([{ offerId: 'a', priority: 100, cost: 10, priorValue: 300, counter }], settings, Math.random)
 */
export function selectArm(arms: readonly Arm[], s: BanditSettings, rng: Rng): BanditChoice {
  if (arms.length === 0) throw new Error('selectArm: no arms');
  if (arms.length > 1 && rng() < s.exploration) {
    const index = Math.min(arms.length - 1, Math.floor(rng() * arms.length));
    return { index, pick: 'explore', score: meanValue(arms[index]!, s), share: null };
  }
  let warm = false;
  for (const a of arms) if (a.counter.trials >= s.coldStartTrials) warm = true;
  if (!warm) {
    let index = 0;
    for (let i = 1; i < arms.length; i++) if (arms[i]!.priority > arms[index]!.priority) index = i;
    return { index, pick: 'cold-start', score: meanValue(arms[index]!, s), share: null };
  }
  let index = 0;
  let score = -Infinity;
  for (let i = 0; i < arms.length; i++) {
    const v = drawValue(arms[i]!, s, rng);
    if (v > score) {
      score = v;
      index = i;
    }
  }
  const share = arms.length === 1 ? 1 : banditShare(arms, index, s, rng);
  return { index, pick: 'thompson', score, share };
}

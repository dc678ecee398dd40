/**
 * What the customer sees: their LoyaltyState (balance, tier, progress, rewards, expiring points,
 * codes) and the figures a loyalty prompt shows. Pure: built from ledger entries and codes.
 */
import type { LoyaltyState } from '../protocol.ts';
import { nextExpiry, replay, type LedgerEntry } from './ledger.ts';
import type { LoyaltySettings, Reward } from './settings.ts';
import { tierAt } from './tiers.ts';
import { bestReward } from './best-reward.ts';

const DAY = 86_400_000;

export interface CodeRow {
  code: string;
  rewardId: string;
  profileId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  discount: Reward['discount'];
  minOrder: number;
}

/** A reward's name in `locale`, else English, else its first name. */
/** A tier as customers read it in `locale`: its label there, else its name. */
export function tierLabel(level: LoyaltySettings['tiers']['levels'][number], locale: string): string {
  return level.labels?.[locale] ?? level.name;
}

export function rewardName(r: Reward, locale: string): string {
  return r.name[locale] ?? r.name.en ?? Object.values(r.name)[0];
}

/**
 * The customer's loyalty state at `now`.
 * @example loyaltyState(entries, codes, settings, 'VND', 'vi', now).nextTier // { name: 'Silver', remaining: 120000, … }
 */
export function loyaltyState(entries: readonly LedgerEntry[], codes: readonly CodeRow[], s: LoyaltySettings, currency: string, locale: string, now: number): LoyaltyState {
  const r = replay(entries, now);
  const tier = tierAt(entries, s.tiers, now);
  const balance = Math.max(0, r.balance);
  return {
    balance,
    tier: tierLabel(tier.level, locale),
    nextTier: tier.next && {
      name: tierLabel(tier.next.level, locale), remaining: tier.next.remaining,
      unit: s.tiers.basis === 'spend' ? 'currency' : 'points', progress: round(tier.next.progress),
    },
    rewards: s.rewards.filter((w) => w.active).map((w) => ({ id: w.id, name: rewardName(w, locale), cost: w.cost, available: balance >= w.cost })),
    expiring: nextExpiry(r, now, s.expiringWithinDays * DAY),
    currency,
    codes: [...codes].sort((a, b) => b.createdAt - a.createdAt).filter((c) => c.usedAt !== null || c.expiresAt > now)
      .slice(0, 20).map((c) => ({ code: c.code, rewardId: c.rewardId, used: c.usedAt !== null })),
  };
}

/**
 * Figures for a loyalty prompt (keys the widget reads, see widget/offer.tsx): progress to the
 * next tier, the balance with the best affordable reward to redeem, that reward as unlocked, and
 * points about to expire.
 */
export function loyaltyFigures(state: LoyaltyState): Record<string, number | string> {
  const f: Record<string, number | string> = { balance: state.balance, tier: state.tier, currency: state.currency };
  if (state.nextTier) {
    f.nextTier = state.nextTier.name;
    f.remaining = state.nextTier.remaining;
    f.unit = state.nextTier.unit;
    f.progress = state.nextTier.progress;
  }
  const best = bestReward(state.rewards);
  if (best) {
    f.rewardId = best.id;
    f.reward = best.name;
  }
  if (state.expiring) {
    f.expiring = state.expiring.points;
    f.expiresAt = state.expiring.at;
  }
  return f;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

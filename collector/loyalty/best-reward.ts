/**
 * The reward a loyalty prompt offers: the most expensive one the member can redeem now. Shared by
 * the collector (prompt figures) and the widget (the same prompt redrawn after a redemption), so
 * both pick alike; no imports, so the widget bundle takes only these lines.
 */
import type { LoyaltyState } from '../protocol.ts';

export const bestReward = (rewards: LoyaltyState['rewards']) =>
  rewards.filter((w) => w.available).sort((a, b) => b.cost - a.cost)[0] as LoyaltyState['rewards'][number] | undefined;

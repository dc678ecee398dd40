/**
 * Loyalty prompts as decisions: a decided offer of kind 'loyalty' gets the customer's own
 * figures (progress to the next tier, balance and a reward to redeem, points about to expire)
 * in `content.figures`, which the widget formats. The decision bundle is signed again over the
 * filled decisions so the kept copy says the same as the answer.
 */
import type { DecideResponse } from '../protocol.ts';
import type { Site } from '../store/types.ts';
import type { Services } from '../services/context.ts';
import { signBundle } from '../services/decide.ts';
import { peekState } from './service.ts';
import { loyaltyFigures } from './state.ts';

/** Fill loyalty figures into a decide answer; returns null when nothing changed. */
export async function withLoyaltyFigures(svc: Services, site: Site, res: DecideResponse): Promise<DecideResponse | null> {
  const prompts = res.decisions.filter((d) => d.offer?.kind === 'loyalty');
  if (!prompts.length || !site.settings.loyalty.enabled) return null;
  const now = svc.clock.now();
  let changed = false;
  for (const d of prompts) {
    const state = await peekState(svc.store, site, res.profileId, d.offer!.locale, now);
    if (!state) continue;
    d.offer!.content = { ...d.offer!.content, figures: loyaltyFigures(state) };
    changed = true;
  }
  if (!changed) return null;
  if (res.bundle) res.bundle = signBundle(svc.signingKey, res.profileId, res.decisions, res.bundle.expiresAt);
  return res;
}

/** Builders shared by the decide tests: real schema-parsed offers and plain profiles. */
import { offerInput, type Offer, type OfferInput } from '../../collector/offers/schema.ts';
import type { DecisionProfile } from '../../collector/decide/types.ts';

export function offer(input: Partial<OfferInput> & { id: string }): Offer {
  return {
    ...offerInput.parse({ name: input.id, placements: ['home'], kind: 'banner', status: 'active', content: { en: { title: input.id } }, ...input }),
    version: 1, updatedAt: 0, updatedBy: 'test',
  };
}

export function profile(p: Partial<DecisionProfile> = {}): DecisionProfile {
  return {
    id: 'p1', tier: 'MVC', rfm: { r: 5, f: 4, m: 3 }, affinities: { coffee: 0.82, tea: 0.1 }, needs: ['price-sensitive'],
    stage: 'buying', returning: true, identified: true, loyaltyTier: 'gold', ...p,
  };
}

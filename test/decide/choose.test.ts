import { describe, expect, it } from 'vitest';
import { chooseOffers, type ChooseInput } from '../../collector/decide/choose.ts';
import { inGlobalHoldout, inOfferHoldout } from '../../collector/decide/holdout.ts';
import { seededRng } from '../../collector/decide/random.ts';
import { decideSettings } from '../../collector/decide/settings.ts';
import { offer, profile } from './fixtures.ts';

const NOW = Date.UTC(2025, 5, 2, 5);
const base = (over: Partial<ChooseInput> = {}): ChooseInput => ({
  siteId: 'site', placements: ['home'], offers: [], profile: profile(), context: { path: '/coffee/x', sessionId: 's1' },
  exposures: [], counters: {}, settings: decideSettings({ globalHoldoutShare: 0, exploration: 0 }), now: NOW, rng: seededRng(1), ...over,
});

describe('chooseOffers', () => {
  it('decides on the offers as they are now when the same list is reused and an offer changes', () => {
    // Compiled targets and arm keys are kept per offers list: an edited entry must not be judged by its old self.
    const offers = [offer({ id: 'vip', priority: 900, target: { tier: ['MVC'] } }), offer({ id: 'generic', priority: 100 })];
    expect(chooseOffers(base({ offers }))[0]!.offerId).toBe('vip');
    offers[0]!.target = { tier: ['BZ'] };
    expect(chooseOffers(base({ offers }))[0]!.offerId).toBe('generic');
    offers[0] = offer({ id: 'vip-2', priority: 900 });
    const counters = { 'vip-2|MVC': { trials: 5000, conversions: 0, value: 0 }, 'generic|MVC': { trials: 5000, conversions: 500, value: 500 * 500 } };
    const [d] = chooseOffers(base({ offers, counters }));
    expect(d).toMatchObject({ offerId: 'generic', arm: 'generic|MVC', pick: 'thompson' });
    offers[1]!.status = 'paused';
    expect(chooseOffers(base({ offers }))[0]!.offerId).toBe('vip-2');
  });

  it('filters by status, placement, schedule and targeting, then picks by priority on cold start', () => {
    const offers = [
      offer({ id: 'draft', status: 'draft', priority: 1000 }),
      offer({ id: 'other-place', placements: ['cart'], priority: 900 }),
      offer({ id: 'ended', priority: 800, schedule: { end: '2025-01-01T00:00:00Z' } }),
      offer({ id: 'for-bz', priority: 700, target: { tier: ['BZ'] } }),
      offer({ id: 'vip-coffee', priority: 500, target: { all: [{ tier: ['MVC'] }, { affinity: { category: 'coffee', min: 0.5 } }] } }),
      offer({ id: 'generic', priority: 100 }),
    ];
    const [d] = chooseOffers(base({ offers }));
    expect(d).toMatchObject({ placement: 'home', offerId: 'vip-coffee', arm: 'vip-coffee|MVC', holdout: false, pick: 'cold-start' });
    expect(d!.offer!.id).toBe('vip-coffee');
    expect(d!.reason).toBe("MVC, coffee affinity 0.82, rule 'vip-coffee', cold start, priority 500");
  });

  it('gives the reason with the bandit share once the arms have learned', () => {
    const offers = [offer({ id: 'vip-coffee', target: { tier: ['MVC'] } }), offer({ id: 'generic' })];
    const counters = { 'vip-coffee|MVC': { trials: 2000, conversions: 200, value: 200 * 500 }, 'generic|MVC': { trials: 2000, conversions: 20, value: 20 * 500 } };
    const [d] = chooseOffers(base({ offers, counters }));
    expect(d!.pick).toBe('thompson');
    expect(d!.reason).toMatch(/^MVC, rule 'vip-coffee', bandit share (0\.9\d|1\.00)$/);
  });

  it('never puts the same offer on two placements; earlier placements pick first', () => {
    const offers = [offer({ id: 'a', placements: ['hero', 'side'], priority: 900 }), offer({ id: 'b', placements: ['side'], priority: 100 })];
    const ds = chooseOffers(base({ offers, placements: ['hero', 'side', 'footer'] }));
    expect(ds.map((d) => d.offerId)).toEqual(['a', 'b', null]);
    expect(ds[2]!.reason).toBe('no offer for this placement');
  });

  it('explains an empty placement by what blocked the offers', () => {
    const offers = [offer({ id: 'a', target: { tier: ['BZ'] } }), offer({ id: 'b', caps: { perSession: 1 } })];
    const [d] = chooseOffers(base({ offers, exposures: [{ offerId: 'b', decisionId: 'x', at: NOW - 1000, sessionId: 's1', outcome: 'impression' }] }));
    expect(d).toMatchObject({ offer: null, offerId: null });
    expect(d!.reason).toMatch(/^no eligible offer \((1 off target, 1 once per session|1 once per session, 1 off target)\)$/);
  });

  it('applies the visit cap across placements and the global interval', () => {
    const offers = ['a', 'b', 'c'].map((id) => offer({ id, placements: ['p1', 'p2', 'p3'] }));
    const capped = chooseOffers(base({ offers, placements: ['p1', 'p2', 'p3'], settings: decideSettings({ globalHoldoutShare: 0, exploration: 0, maxPerVisit: 2 }) }));
    expect(capped.map((d) => d.offer?.id ?? null)).toEqual(['a', 'b', null]);
    expect(capped[2]!.reason).toBe('visit cap reached');
    const recent = [{ offerId: 'z', decisionId: 'x', at: NOW - 60_000, sessionId: 's1', outcome: 'impression' as const }];
    const spaced = chooseOffers(base({ offers, placements: ['p1'], exposures: recent, settings: decideSettings({ globalHoldoutShare: 0, minIntervalMs: 5 * 60_000 }) }));
    expect(spaced[0]).toMatchObject({ offer: null, reason: 'minimum interval reached' });
  });

  it('global holdout: nothing shown, but the would-be offer is named for measurement', () => {
    const settings = decideSettings({ globalHoldoutShare: 0.5, exploration: 0 });
    const ids = Array.from({ length: 40 }, (_, i) => `cust-${i}`);
    const held = ids.find((id) => inGlobalHoldout('site', id, settings.holdoutSalt, 0.5))!;
    const treated = ids.find((id) => !inGlobalHoldout('site', id, settings.holdoutSalt, 0.5))!;
    const offers = [offer({ id: 'a' })];
    expect(chooseOffers(base({ offers, settings, profile: profile({ id: held }) }))[0]).toMatchObject({ offer: null, offerId: 'a', holdout: 'global' });
    expect(chooseOffers(base({ offers, settings, profile: profile({ id: treated }) }))[0]).toMatchObject({ offerId: 'a', holdout: false });
  });

  it('per-offer holdout: the control customer gets the default experience for that offer', () => {
    const offers = [offer({ id: 'a', holdoutShare: 0.5, priority: 900 }), offer({ id: 'b' })];
    const ids = Array.from({ length: 40 }, (_, i) => `cust-${i}`);
    const held = ids.find((id) => inOfferHoldout('site', id, 'idic', 'a', 0.5))!;
    const [d] = chooseOffers(base({ offers, profile: profile({ id: held }) }));
    expect(d).toMatchObject({ offer: null, offerId: 'a', holdout: 'offer' });
    expect(d!.reason).toBe("holdout: control group of rule 'a' (50 %)");
  });

  it('without consent, decides on page context only', () => {
    const offers = [offer({ id: 'vip', target: { tier: ['MVC'] }, priority: 900 }), offer({ id: 'page', target: { page: ['/coffee/*'] } })];
    const [d] = chooseOffers(base({ offers, profile: profile({ consent: 'denied' }) }));
    expect(d).toMatchObject({ offerId: 'page', arm: 'page|unknown' });
    const strict = decideSettings({ globalHoldoutShare: 0, exploration: 0, requireConsent: true });
    expect(chooseOffers(base({ offers, settings: strict, profile: profile({ consent: 'pending' }) }))[0]!.offerId).toBe('page');
    expect(chooseOffers(base({ offers, settings: strict, profile: profile({ consent: 'granted' }) }))[0]!.offerId).toBe('vip');
  });

  it('is deterministic for a given rng seed', () => {
    const offers = ['a', 'b', 'c'].map((id) => offer({ id }));
    const counters = Object.fromEntries(['a', 'b', 'c'].map((id) => [`${id}|MVC`, { trials: 100, conversions: 5, value: 2500 }]));
    const run = () => chooseOffers(base({ offers, counters, rng: seededRng(77), settings: decideSettings({ globalHoldoutShare: 0 }) }));
    expect(run()).toEqual(run());
  });
});

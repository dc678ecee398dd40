/**
 * Closing the loop (collector/services/outcomes.ts) against an in-memory fake of the two store
 * calls it makes: which decision an order converts, and what the bandit counters receive.
 */
import { describe, expect, it } from 'vitest';
import { recordOfferOutcome, recordOrderOutcome } from '../../collector/services/outcomes.ts';
import { DEFAULT_DECIDE_SETTINGS } from '../../collector/decide/settings.ts';
import type { Services } from '../../collector/services/context.ts';
import type { DecisionRow, Exposure, OutcomeRow, Site, Tx } from '../../collector/store/types.ts';
import type { Profile } from '../../collector/profile.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = 1_000 * HOUR;
const site = { id: 'site1', settings: { decide: DEFAULT_DECIDE_SETTINGS } } as unknown as Site;

function world(exposures: Exposure[]) {
  const outcomes: OutcomeRow[] = [];
  const bumps: { arm: string; delta: { trials?: number; conversions?: number; value?: number } }[] = [];
  const row = (e: Exposure): DecisionRow => ({
    siteId: site.id, id: e.decisionId, profileId: 'p1', placement: e.placement, offerId: e.offerId, offerVersion: 1,
    arm: `${e.offerId}|MVC`, holdout: e.holdout, sessionId: e.sessionId, createdAt: e.at,
  });
  const tx = {
    insertOutcome: (o: OutcomeRow) => {
      outcomes.push(o);
      const e = exposures.find((x) => x.decisionId === o.decisionId);
      return e ? row(e) : null;
    },
    bumpBandit: (_s: string, _o: string, arm: string, delta: { trials?: number; conversions?: number; value?: number }) => void bumps.push({ arm, delta }),
  } as unknown as Tx;
  // The store's query: decisions created at or after `since`, oldest first.
  const svc = { store: { exposures: async (_s: string, _p: string, since: number) => exposures.filter((e) => e.at >= since).sort((a, b) => a.at - b.at) } } as unknown as Services;
  return { tx, svc, outcomes, bumps };
}

const decision = (id: string, offerId: string, at: number, outcomes: Exposure['outcomes'] = [], holdout = false): Exposure =>
  ({ decisionId: id, offerId, placement: 'home', sessionId: 's1', at, holdout, outcomes });

describe('recordOrderOutcome', () => {
  it('converts the last decision seen before the order', async () => {
    const w = world([decision('d1', 'a', T - HOUR, [{ kind: 'impression', at: T - HOUR + 1000 }]), decision('d2', 'b', T - MIN, [{ kind: 'click', at: T - MIN + 1000 }])]);
    await recordOrderOutcome(w.tx, w.svc, site, 'p1', 500, T);
    expect(w.outcomes.map((o) => o.decisionId)).toEqual(['d2']);
    expect(w.bumps).toEqual([{ arm: 'b|MVC', delta: { conversions: 1, value: 500 } }]);
  });

  it('never credits a decision made or seen after the order (a late or back-dated order event)', async () => {
    // Seen an hour before the order; then, after the order was placed, another offer was decided
    // and seen (the thank-you page), and one decided before but only seen after the order.
    const w = world([
      decision('before', 'a', T - HOUR, [{ kind: 'impression', at: T - HOUR + 1000 }]),
      decision('seen-after', 'c', T - 2 * MIN, [{ kind: 'impression', at: T + MIN }]),
      decision('after', 'b', T + 5 * MIN, [{ kind: 'impression', at: T + 5 * MIN + 1000 }]),
    ]);
    await recordOrderOutcome(w.tx, w.svc, site, 'p1', 500, T);
    expect(w.outcomes.map((o) => o.decisionId)).toEqual(['before']);
    expect(w.bumps.map((b) => b.arm)).toEqual(['a|MVC']);
  });

  it('a held-out decision made after the order is no touch either', async () => {
    const w = world([decision('h-after', 'a', T + MIN, [], true)]);
    await recordOrderOutcome(w.tx, w.svc, site, 'p1', 500, T);
    expect(w.outcomes).toEqual([]);
  });

  it('an order exactly at the window edge still counts, one ms later not', async () => {
    const windowMs = DEFAULT_DECIDE_SETTINGS.attributionWindowMs;
    const seen = () => [decision('d1', 'a', T, [{ kind: 'impression', at: T }])];
    let w = world(seen());
    await recordOrderOutcome(w.tx, w.svc, site, 'p1', 10, T + windowMs);
    expect(w.outcomes.map((o) => o.decisionId)).toEqual(['d1']);
    w = world(seen());
    await recordOrderOutcome(w.tx, w.svc, site, 'p1', 10, T + windowMs + 1);
    expect(w.outcomes).toEqual([]);
  });
});

describe('recordOfferOutcome', () => {
  const profile = { id: 'p1' } as Profile;
  const seen = () => world([decision('01JDECISION0000000000000001', 'a', T, [{ kind: 'impression', at: T }])]);

  it('feeds a conversion\'s value to the arm', async () => {
    const w = seen();
    await recordOfferOutcome(w.tx, site, profile, { decisionId: '01JDECISION0000000000000001', revenue: 250 }, 'conversion', T + MIN);
    expect(w.bumps).toEqual([{ arm: 'a|MVC', delta: { conversions: 1, value: 250 } }]);
  });

  it('a browser-sent conversion value that is endless or negative does not reach the bandit counters', async () => {
    // `Offer Converted` is not an e-commerce event, so its properties are free-form: JSON 1e400
    // parses to Infinity, and a string or a negative number passes too. One such event would
    // leave the arm's value at ±Infinity (or NaN) for good, and every Thompson draw with it.
    for (const revenue of [Infinity, '1e309', -Infinity, -5e14, 1e300]) {
      const w = seen();
      await recordOfferOutcome(w.tx, site, profile, { decisionId: '01JDECISION0000000000000001', revenue }, 'conversion', T + MIN);
      expect(w.bumps).toEqual([{ arm: 'a|MVC', delta: { conversions: 1, value: 0 } }]);
      expect(w.outcomes[0]!.value).toBe(0);
    }
  });
});

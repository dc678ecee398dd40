/**
 * The uplift report as the admin route builds it (collector/services/uplift.ts), from a fake of
 * the store's three reads: decisions, outcomes and orders.
 */
import { describe, expect, it } from 'vitest';
import { upliftFor } from '../../collector/services/uplift.ts';
import { DEFAULT_DECIDE_SETTINGS } from '../../collector/decide/settings.ts';
import type { Site, Store } from '../../collector/store/types.ts';

const MIN = 60_000;
const T = 1_000_000_000;
const site = { id: 's1', settings: { decide: DEFAULT_DECIDE_SETTINGS } } as unknown as Site;

type D = { id: string; profile_id: string; offer_id: string; arm: string; holdout: number; created_at: number };
type O = { decision_id: string; kind: string; at: number; value: number };
type R = { order_id: string; profile_id: string; ts: number; amount: number; status: string };

function store(decisions: D[], outcomes: O[], orders: R[]): Store {
  return {
    query: async (sql: string) => {
      if (/FROM decisions WHERE/.test(sql)) return { rows: decisions };
      if (/FROM outcomes/.test(sql)) return { rows: outcomes };
      if (/FROM orders/.test(sql)) return { rows: /status = 'completed'/.test(sql) ? orders.filter((o) => o.status === 'completed') : orders };
      throw new Error(`unexpected query ${sql}`);
    },
  } as unknown as Store;
}

describe('upliftFor', () => {
  it('counts one order once: the conversion the bandit recorded is not a second conversion', async () => {
    // p1 saw offer a, then got a decision for offer b lower on the page that was never seen, then
    // ordered. The bandit's bookkeeping (services/outcomes.ts) stored the order as a conversion of
    // a, the last decision seen; the report credits it, intent-to-treat, to b, the last decision.
    // One order must not make p1 a converted customer of both offers.
    const decisions: D[] = [
      { id: 'dA', profile_id: 'p1', offer_id: 'a', arm: 'a|MVC', holdout: 0, created_at: T },
      { id: 'dB', profile_id: 'p1', offer_id: 'b', arm: 'b|MVC', holdout: 0, created_at: T + MIN },
    ];
    const outcomes: O[] = [
      { decision_id: 'dA', kind: 'impression', at: T + 1000, value: 0 },
      { decision_id: 'dA', kind: 'conversion', at: T + 10 * MIN, value: 300 },
    ];
    const orders: R[] = [{ order_id: 'o1', profile_id: 'p1', ts: T + 10 * MIN, amount: 300, status: 'completed' }];
    const rows = await upliftFor(store(decisions, outcomes, orders), site, 0);
    const all = (offer: string) => rows.find((r) => r.offerId === offer && r.tier === 'all')!;
    expect(all('b').treated).toMatchObject({ customers: 1, converters: 1, revenue: 300 });
    expect(all('a').treated).toMatchObject({ customers: 1, converters: 0, revenue: 0 });
  });

  it('still counts an explicit conversion (a code redeemed) that no order stands for', async () => {
    const decisions: D[] = [{ id: 'dA', profile_id: 'p1', offer_id: 'a', arm: 'a|MVC', holdout: 0, created_at: T }];
    const outcomes: O[] = [
      { decision_id: 'dA', kind: 'impression', at: T + 1000, value: 0 },
      { decision_id: 'dA', kind: 'conversion', at: T + 5 * MIN, value: 0 },
    ];
    const rows = await upliftFor(store(decisions, outcomes, []), site, 0);
    expect(rows.find((r) => r.tier === 'all')!.treated).toMatchObject({ customers: 1, converters: 1 });
  });

  it('a refunded order\'s recorded conversion does not come back as an explicit one', async () => {
    const decisions: D[] = [{ id: 'dA', profile_id: 'p1', offer_id: 'a', arm: 'a|MVC', holdout: 0, created_at: T }];
    const outcomes: O[] = [
      { decision_id: 'dA', kind: 'impression', at: T + 1000, value: 0 },
      { decision_id: 'dA', kind: 'conversion', at: T + 5 * MIN, value: 300 },
    ];
    const orders: R[] = [{ order_id: 'o1', profile_id: 'p1', ts: T + 5 * MIN, amount: 300, status: 'refunded' }];
    const rows = await upliftFor(store(decisions, outcomes, orders), site, 0);
    expect(rows.find((r) => r.tier === 'all')!.treated).toMatchObject({ customers: 1, converters: 0, revenue: 0 });
  });
});

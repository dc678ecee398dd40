/**
 * The loyalty admin API under hostile or unlucky timing: concurrent catalogue edits, reused
 * idempotency keys, and an adjustment racing the customer's erasure.
 */
import { describe, it, expect } from 'vitest';
import { loyaltySetup } from './helpers.ts';

const reward = (id: string) => JSON.stringify({ name: { en: id }, cost: 10, discount: { type: 'amount', value: 1000 } });

describe('loyalty admin API: concurrent and repeated writes', () => {
  it('two rewards saved at once: both are in the catalogue', async () => {
    const t = await loyaltySetup();
    const answers = await Promise.all([
      t.admin('/loyalty/rewards/aa', { method: 'PUT', body: reward('aa') }),
      t.admin('/loyalty/rewards/bb', { method: 'PUT', body: reward('bb') }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const ids = (await t.json(t.admin('/loyalty/rewards'))).body.rewards.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['aa', 'bb']));
  });

  it('a reward saved while the settings are patched: neither change is lost', async () => {
    const t = await loyaltySetup();
    const answers = await Promise.all([
      t.admin('/site/settings', { method: 'PATCH', body: JSON.stringify({ locale: 'en-US' }) }),
      t.admin('/loyalty/rewards/cc', { method: 'PUT', body: reward('cc') }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const { settings } = (await t.json(t.admin('/site'))).body;
    expect(settings.locale).toBe('en-US');
    expect(settings.loyalty.rewards.map((r: { id: string }) => r.id)).toContain('cc');
  });

  it('an idempotency key reused for another customer or another amount is refused, not taken for a replay', async () => {
    const t = await loyaltySetup();
    await t.me('lan');
    await t.me('minh');
    const adjust = (body: unknown) => t.json(t.admin('/loyalty/adjust', { method: 'POST', body: JSON.stringify(body) }));
    expect((await adjust({ customer: 'lan', points: 30, reason: 'late delivery', key: 'ticket-7' })).body.added).toBe(true);
    // The same call again: a replay, counted once.
    const replay = await adjust({ customer: 'lan', points: 30, reason: 'late delivery', key: 'ticket-7' });
    expect([replay.status, replay.body.added]).toEqual([200, false]);
    // The key again for someone else, or for another amount: not what was done — 409, nothing written.
    const other = await adjust({ customer: 'minh', points: 500, reason: 'goodwill', key: 'ticket-7' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect((await adjust({ customer: 'lan', points: 300, reason: 'late delivery', key: 'ticket-7' })).status).toBe(409);
    expect((await t.me('minh')).body.balance).toBe(50);
    expect((await t.me('lan')).body.balance).toBe(80);
  });

  it('an adjustment racing the customer’s erasure writes nothing for the erased customer', async () => {
    const t = await loyaltySetup();
    await t.me('erin');
    const [erased, adjusted] = await Promise.all([
      t.json(t.admin('/profiles/erin', { method: 'DELETE' })),
      t.json(t.admin('/loyalty/adjust', { method: 'POST', body: JSON.stringify({ customer: 'erin', points: 100, reason: 'gift' }) })),
    ]);
    expect(erased.status).toBe(200);
    // Either the adjustment came first (and was erased with the rest) or it is told the customer is gone.
    expect([200, 404]).toContain(adjusted.status);
    const orphans = t.store.db.prepare(`SELECT l.ref FROM loyalty_ledger l LEFT JOIN profiles p ON p.site_id = l.site_id AND p.id = l.profile_id
      WHERE p.id IS NULL`).all();
    expect(orphans).toEqual([]);
  });
});

describe('loyalty admin API: a PUT names what it does not know', () => {
  it('refuses a misspelt field in the rules or a reward instead of saving defaults in its place', async () => {
    const t = await loyaltySetup();
    const before = (await t.json(t.admin('/loyalty/rules'))).body.loyalty;
    // A marketer switching the programme off, with a typo: the rules must stay as they were, not be reset.
    const typo = await t.json(t.admin('/loyalty/rules', { method: 'PUT', body: JSON.stringify({ ...before, enabled: undefined, enabeld: false, tiers: { ...before.tiers, windowMonth: 6 } }) }));
    expect(typo.status).toBe(400);
    expect(typo.body.error.code).toBe('unknown_setting');
    expect(typo.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['loyalty.enabeld', 'loyalty.tiers.windowMonth']);
    expect((await t.json(t.admin('/loyalty/rules'))).body.loyalty).toEqual(before);
    const reward = await t.json(t.admin('/loyalty/rewards/tea', { method: 'PUT', body: JSON.stringify({ name: { en: 'Tea' }, costt: 10, cost: 10, discount: { type: 'amount', value: 1000 } }) }));
    expect(reward.status).toBe(400);
    expect(reward.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['costt']);
    // The rules as read still go back unchanged: nothing the API hands out is refused.
    expect((await t.json(t.admin('/loyalty/rules', { method: 'PUT', body: JSON.stringify(before) }))).status).toBe(200);
  });
});

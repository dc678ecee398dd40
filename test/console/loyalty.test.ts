/** Loyalty in the console: a customer's state, ledger and codes; adjustments by role; rules in the settings. */
import { describe, it, expect } from 'vitest';
import { consoleSetup } from './helpers.ts';
import { setLang } from '../../collector/console/ui/i18n.ts';
import { entryKind, entryReason } from '../../collector/console/ui/ledger-words.ts';
import { pendingEntries } from '../../collector/loyalty/settle.ts';
import { defaultLoyaltySettings } from '../../collector/loyalty/settings.ts';

async function withMember() {
  const t = await consoleSetup();
  for (const [email, role] of [['o@shop.vn', 'owner'], ['m@shop.vn', 'marketer'], ['a@shop.vn', 'analyst']] as const) await t.account(email, role);
  const order = (id: string, revenue: number) =>
    t.post('/v1/track', { type: 'track', event: 'Order Completed', messageId: `msg-${id}`, userId: 'lan', properties: { order_id: id, revenue } }, t.basic(t.site.secretKey));
  expect((await order('A1', 2_500_000)).status).toBe(200);
  return { ...t, order, owner: await t.client('o@shop.vn'), marketer: await t.client('m@shop.vn'), analyst: await t.client('a@shop.vn') };
}

describe('console loyalty', () => {
  it('shows balance, tier, progress, the ledger with reasons and the codes issued', async () => {
    const t = await withMember();
    const redeem = await t.post('/v1/loyalty/redeem', { writeKey: t.site.writeKey, userId: 'lan', userHash: t.hash('lan'), rewardId: 'voucher-30k' });
    expect(redeem.status).toBe(200);
    const { code } = await redeem.json() as any;
    const r = await (await t.analyst.call(`/sites/${t.site.id}/customers/lan/loyalty?locale=en`)).json() as any;
    // 250 points for 2,500,000 ₫ at 1 per 10,000, plus the 50-point sign-up bonus, minus 60 for the voucher.
    expect(r.state.balance).toBe(250 + 50 - 60);
    expect(r.state.tier).toBe('Member');
    expect(r.state.nextTier).toMatchObject({ name: 'Silver', remaining: 500_000, unit: 'currency' });
    // Without a locale, in the shop's own language.
    expect((await (await t.analyst.call(`/sites/${t.site.id}/customers/lan/loyalty`)).json() as any).state.tier).toBe('Thành viên');
    expect(r.ledger.map((e: any) => e.kind).sort()).toEqual(['earn', 'earn', 'redeem'].sort());
    expect(r.ledger.find((e: any) => e.ref === 'order:A1').reason).toContain('order A1');
    expect(r.codes).toEqual([expect.objectContaining({ code, rewardId: 'voucher-30k', status: 'open', usedAt: null })]);
    expect((await t.analyst.call(`/sites/${t.site.id}/customers/nobody/loyalty`)).status).toBe(404);
  });

  it('a Vietnamese console reads every ledger entry the collector writes in Vietnamese; staff reasons stay as typed', async () => {
    const t = await withMember();
    await t.post('/v1/loyalty/redeem', { writeKey: t.site.writeKey, userId: 'lan', userHash: t.hash('lan'), rewardId: 'voucher-30k' });
    expect((await t.order('A2', 1_000_000)).status).toBe(200);
    const refund = await t.post('/v1/track', { type: 'track', event: 'Order Refunded', messageId: 'refund-A2', userId: 'lan', properties: { order_id: 'A2' } }, t.basic(t.site.secretKey));
    expect(refund.status).toBe(200);
    await t.owner.call(`/sites/${t.site.id}/customers/lan/loyalty/adjust`, { method: 'POST', body: { points: 5, reason: 'xin lỗi giao trễ' } });
    const { ledger, names, codes } = await (await t.analyst.call(`/sites/${t.site.id}/customers/lan/loyalty?locale=vi`)).json() as any;
    expect(names.rewards[codes[0].rewardId]).toBe('Phiếu giảm 30.000 ₫');
    expect(ledger.map((e: any) => e.kind).sort()).toEqual(['adjust', 'earn', 'earn', 'earn', 'redeem', 'reverse']);
    setLang('vi');
    try {
      const shown = ledger.map((e: any) => `${entryKind(e.kind)}: ${entryReason(e.kind, e.reason, names)}`);
      // Tiers and rewards by the shop's own Vietnamese names, not their ids.
      expect(shown).toEqual(expect.arrayContaining([
        'tích điểm: thưởng đăng ký', 'tích điểm: đơn hàng A1 (Thành viên ×1)', 'đổi quà: đổi quà Phiếu giảm 30.000 ₫',
        'thu hồi: hoàn tiền: đơn hàng A2', 'điều chỉnh: xin lỗi giao trễ — o@shop.vn',
      ]));
      // The birthday bonus and expiry, as the collector's settlement writes them.
      const now = Date.UTC(2026, 4, 10);
      const signedUp = { id: 's', kind: 'earn' as const, points: 50, spend: 0, reason: 'sign-up bonus', ref: 'signup:lan', at: 0, expiresAt: null };
      const birthday = pendingEntries([signedUp], { userId: 'lan', birthday: '1990-05-02' }, defaultLoyaltySettings(), 0, now, () => 'b');
      expect(birthday.map((e) => entryReason(e.kind, e.reason))).toEqual(['thưởng sinh nhật 2026']);
      const lapsed = pendingEntries([{ id: 'o', kind: 'earn', points: 40, spend: 0, reason: 'x', ref: 'order:o', at: 0, expiresAt: 1000 }], { userId: null }, defaultLoyaltySettings(), 0, now, () => 'e');
      expect(lapsed.map((e) => entryReason(e.kind, e.reason))).toEqual(['điểm hết hạn']);
    } finally {
      setLang('en');
    }
    expect(entryReason('earn', 'sign-up bonus')).toBe('sign-up bonus');
  });

  it('owners and marketers adjust points with a reason (once per key); analysts cannot', async () => {
    const t = await withMember();
    const adjust = (c: typeof t.owner, body: unknown) => c.call(`/sites/${t.site.id}/customers/lan/loyalty/adjust`, { method: 'POST', body });
    expect((await adjust(t.analyst, { points: 100, reason: 'goodwill' })).status).toBe(403);
    const bad = await adjust(t.marketer, { points: 0, reason: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.issues.map((i: any) => i.path).sort()).toEqual(['points', 'reason']);
    const before = (await (await t.owner.call(`/sites/${t.site.id}/customers/lan/loyalty`)).json() as any).state.balance;
    const first = await (await adjust(t.marketer, { points: 100, reason: 'late delivery', key: 'k1' })).json() as any;
    expect(first.added).toBe(true);
    expect(first.state.balance).toBe(before + 100);
    const entry = first.ledger.find((e: any) => e.kind === 'adjust');
    expect(entry.reason).toBe('late delivery — m@shop.vn');
    const again = await (await adjust(t.marketer, { points: 100, reason: 'late delivery', key: 'k1' })).json() as any;
    expect(again.added).toBe(false);
    expect(again.state.balance).toBe(before + 100);
    const owner = await (await adjust(t.owner, { points: -40, reason: 'duplicate bonus' })).json() as any;
    expect(owner.state.balance).toBe(before + 60);
  });

  it('the owner edits the loyalty rules through the settings, validated with the loyalty schema', async () => {
    const t = await withMember();
    const rules = (await (await t.owner.call(`/sites/${t.site.id}/settings`)).json() as any).settings.loyalty;
    expect(rules.earn).toEqual({ points: 1, per: 10_000, categoryMultipliers: {} });
    const patch = (c: typeof t.owner, loyalty: unknown) => c.call(`/sites/${t.site.id}/settings`, { method: 'PATCH', body: { loyalty } });
    expect((await patch(t.marketer, { ...rules, signupBonus: 0 })).status).toBe(403);
    const bad = await patch(t.owner, { ...rules, tiers: { ...rules.tiers, levels: [{ name: 'Member', min: 10 }] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.issues[0].path).toBe('loyalty.tiers.levels.0.min');
    const ok = await patch(t.owner, { ...rules, earn: { ...rules.earn, points: 2 } });
    expect(ok.status).toBe(200);
    expect((await t.store.getSite(t.site.id))!.settings.loyalty.earn.points).toBe(2);
    // The next order earns under the new rules: 2 points per 10,000 ₫.
    await t.order('A2', 100_000);
    const r = await (await t.owner.call(`/sites/${t.site.id}/customers/lan/loyalty`)).json() as any;
    expect(r.ledger.find((e: any) => e.ref === 'order:A2').points).toBe(20);
  });
});

/**
 * The Vietnamese console translates the collector's English texts by their phrasings: every
 * import row error the parsers really write must have its Vietnamese, or a wording change in the
 * collector would silently leave English in the console.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../collector/console/ui/i18n.ts';
import { rowError } from '../../collector/console/ui/import-words.ts';
import { parseOrdersCsv } from '../../collector/services/orders-import-parse.ts';
import { validateCustomer } from '../../collector/services/identity-import-parse.ts';
import { needsLabel } from '../../collector/console/ui/needs-words.ts';
import { affinityShares, describeNeeds, FIXED_NEEDS_LABELS, labelNames } from '../../collector/models/needs.ts';
import { affinityAt, applyEvent } from '../../collector/models/stats.ts';
import { DEFAULT_SCORING } from '../../collector/models/config.ts';
import { emptyStats } from '../../collector/profile.ts';

const NOW = Date.UTC(2026, 10, 1);
afterEach(() => setLang('en'));

describe('import row errors in Vietnamese', () => {
  it('translates every reason the orders parser gives, keeping the values and column names', () => {
    const csv = [
      'customer_id,order_date,amount,order_id,quantity,category,currency',
      'c1,2026-01-01,100',
      ',2026-01-01,100,o1,1,,VND',
      `${'x'.repeat(201)},2026-01-01,100,o2,1,,VND`,
      'c1,yesterday,100,o3,1,,VND',
      'c1,2030-01-01,100,o4,1,,VND',
      'c1,2026-01-01,abc,o5,1,,VND',
      'c1,2026-01-01,-5,o6,1,,VND',
      'c1,2026-01-01,100,o7,zero,,VND',
      'c1,2026-01-01,100,o8,1,,dong',
      'c1,2026-01-01,100,o9,1,,USD',
      `c1,2026-01-01,100,o10,1,${'c'.repeat(101)},VND`,
      `c1,2026-01-01,100,${'o'.repeat(201)},1,,VND`,
      'c1,1969-12-31,100,o11,1,,VND',
      'c1,2026-01-01,1e300,o12,1,,VND',
      'c1,2026-01-01,0x10,o13,1,,VND',
    ].join('\n');
    const { errors } = parseOrdersCsv(csv, { utcOffsetMinutes: 420, currency: 'VND', now: NOW });
    expect(errors).toHaveLength(15);
    setLang('vi');
    const shown = errors.map((e) => rowError(e.reason));
    shown.forEach((vi, i) => expect(vi, errors[i].reason).not.toBe(errors[i].reason));
    expect(shown).toContain('order_date "yesterday" không phải ngày (YYYY-MM-DD, YYYYMMDD hoặc ngày giờ ISO 8601)');
    expect(shown).toContain('currency USD khác tiền tệ của cửa hàng (VND); hãy quy đổi số tiền trước khi nhập');
  });

  it('translates the customer import reasons', () => {
    const rows: Record<string, unknown>[] = [
      {}, { user_id: 'u\u0007' }, { user_id: 'u1', email: 'not-mail' }, { user_id: 'u1', phone: 'call me' }, { user_id: 'u1', name: 'n'.repeat(201) },
      { user_id: 'u1', email: { a: 1 } }, { user_id: 'u1', traits: 'x' }, { user_id: 'u1', 'bad\u0001col': 'v' },
    ];
    const reasons = rows.map((r) => { const v = validateCustomer(r); return 'error' in v ? v.error : ''; });
    expect(reasons.every(Boolean)).toBe(true);
    setLang('vi');
    reasons.forEach((r) => expect(rowError(r), r).not.toBe(r));
    expect(rowError('email: "not-mail" is not an email address')).toBe('email: "not-mail" không phải địa chỉ e-mail');
  });

  it('leaves English readers and unknown texts alone', () => {
    expect(rowError('customer_id is empty')).toBe('customer_id is empty');
    setLang('vi');
    expect(rowError('something new')).toBe('something new');
  });
});

describe('offer form messages in Vietnamese', () => {
  it("translates every message of the offer schema's own, as the editor shows them", async () => {
    const { fieldProblem } = await import('../../collector/console/ui/pages/offer-editor.tsx');
    const { offerInput } = await import('../../collector/offers/schema.ts');
    const bad = offerInput.safeParse({ id: 'Bad Id', name: 'x', placements: [], kind: 'card', content: {} });
    const badContent = offerInput.safeParse({ id: 'ok', name: 'x', placements: ['a'], kind: 'card', content: { en: { title: '' }, vi: { title: 't', link: 'javascript:alert(1)' } } });
    const issues = [...(bad.success ? [] : bad.error.issues), ...(badContent.success ? [] : badContent.error.issues)];
    const ours = issues.filter((i) => /lowercase|placement|locale|title|link must/.test(i.message));
    expect(new Set(ours.map((i) => i.message)).size).toBeGreaterThanOrEqual(5);
    setLang('vi');
    for (const i of ours) expect(fieldProblem(i as any), i.message).not.toBe(i.message);
  });
});

describe('needs labels in words', () => {
  it('words every label the needs model gives, in both languages, and keeps an unknown code as it is', () => {
    // A real profile's labels (a night-owl, deal-seeking, premium coffee lover on mobile) and every fixed label.
    const t0 = Date.UTC(2025, 0, 6, 16); // 23:00 in Vietnam
    const stats = emptyStats(t0);
    for (let i = 0; i < 6; i++) {
      const at = t0 + i * 86_400_000;
      applyEvent(stats, { type: 'track', name: 'Product Viewed', ts: at, trusted: false, properties: { category: 'Cà phê' }, channel: 'mobile' }, DEFAULT_SCORING);
      applyEvent(stats, { type: 'track', name: 'Order Completed', ts: at, trusted: true, properties: { revenue: 90, coupon: 'SALE', products: [{ category: 'Cà phê', price: 90 }] }, channel: 'mobile' }, DEFAULT_SCORING);
    }
    const now = t0 + 6 * 86_400_000;
    const { labels } = describeNeeds(stats, affinityAt(stats, now, 30), { now, pAlive: null, priceCuts: [20, 60], minLoverScore: 3 });
    expect(labels).toContain('ca-phe-lover');
    const all = [...new Set([...labels, ...FIXED_NEEDS_LABELS])];
    for (const l of ['en', 'vi'] as const) {
      setLang(l);
      const words = all.map((code) => needsLabel(code));
      words.forEach((w, i) => expect(w, `${l}: ${all[i]}`).not.toBe(all[i]));
      expect(new Set(words).size).toBe(all.length);
    }
    // The collector sends the shop's own name behind a slug, accents and all; without it the slug shows.
    const names = labelNames(labels, Object.keys(affinityShares(affinityAt(stats, now, 30))), Object.keys(stats.needs!.channels));
    expect(names).toEqual({ 'ca-phe-lover': 'Cà phê', 'prefers-mobile': 'mobile' });
    expect(needsLabel('ca-phe-lover', names)).toBe('Mê Cà phê');
    expect(needsLabel('ca-phe-lover')).toBe('Mê ca phe');
    expect(needsLabel('prefers-mobile')).toBe('Hay đến qua mobile');
    expect(needsLabel('deal-seeker')).toBe('Săn ưu đãi');
    expect(needsLabel('from-a-newer-collector')).toBe('from-a-newer-collector');
  });
});

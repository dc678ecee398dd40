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

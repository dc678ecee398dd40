// @vitest-environment happy-dom
/** UI review fixes: messages a marketer could not read, an error shown nowhere, an empty table, a wrapping number. */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { render } from 'preact';
import { offerInput } from '../../collector/offers/schema.ts';
import { fieldProblem } from '../../collector/console/ui/pages/offer-editor.tsx';
import { OfferForm } from '../../collector/console/ui/pages/offer-form.tsx';
import { LoyaltyCard } from '../../collector/console/ui/pages/customer-loyalty.tsx';
import { fromTarget } from '../../collector/console/ui/targeting.ts';
import { setLang } from '../../collector/console/ui/i18n.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));
const site = { id: 's1', name: 'Shop', currency: 'VND', locale: 'vi-VN' };
const me = { user: { id: 'u1', email: 'o@x.vn', role: 'owner' as const }, csrf: 'c', sites: [site] };
const offer = (content: unknown) => ({ id: 'o1', name: 'O', placements: ['home-hero'], kind: 'banner', status: 'draft', priority: 100, cost: 0, holdoutShare: 0, content });

afterEach(() => { setLang('en'); vi.unstubAllGlobals(); document.body.innerHTML = ''; });

describe('console UI review', () => {
  it('an emptied offer title reads "Required.", not zod\'s "expected string, received undefined"', () => {
    const r = offerInput.safeParse(offer({ en: { title: undefined, body: 'Text' } }));
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path.join('.') === 'content.en.title')!;
    setLang('en');
    expect(fieldProblem(issue as any)).toBe('Required.');
    setLang('vi');
    expect(fieldProblem(issue as any)).toBe('Bắt buộc.');
  });

  it('shows the "content in at least one language" error in the form (it was counted but shown nowhere)', () => {
    setLang('vi');
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(<OfferForm draft={offer({}) as any} builder={fromTarget(undefined)} isNew err={(p) => (p === 'content' ? 'Cần nội dung bằng ít nhất một ngôn ngữ.' : undefined)}
      set={() => {}} setB={() => {}} touch={() => {}} />, root);
    const shown = root.querySelectorAll('[data-testid=content-err]');
    expect(shown).toHaveLength(1); // once, in the first language's fieldset
    expect(shown[0].closest('fieldset')!.querySelector('legend')!.textContent).toContain('English');
  });

  it('loyalty: points never wrap mid-number, and 0 points is refused in the reader\'s language without a request', async () => {
    setLang('vi');
    const loyalty = {
      enabled: true, codes: [], names: { tiers: {}, rewards: {} },
      state: { balance: 4200, tier: 'Member', nextTier: null, expiring: null, currency: 'VND' },
      ledger: [{ id: 'e1', kind: 'adjust', points: 4200, reason: 'bù điểm — o@x.vn', at: 0, expiresAt: null }],
    };
    const fetch = vi.fn(async () => new Response(JSON.stringify(loyalty), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const root = document.createElement('div');
    document.body.appendChild(root);
    render(<LoyaltyCard site={site} me={me} profileId="p1" />, root);
    for (let i = 0; i < 5 && !root.querySelector('.ledger'); i++) await tick();
    const cell = root.querySelector('.ledger tbody td.n')!;
    expect(cell.textContent).toBe('+4.200');
    expect(cell.classList.contains('nowrap')).toBe(true);

    const calls = fetch.mock.calls.length;
    (root.querySelector('#adj-points') as HTMLInputElement).value = '0';
    (root.querySelector('#adj-reason') as HTMLInputElement).value = 'x';
    root.querySelector('form.adjust')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await tick();
    expect(root.querySelector('form.adjust .error')?.textContent).toBe('Nhập số điểm khác 0.');
    expect(fetch.mock.calls.length).toBe(calls);
  });
});

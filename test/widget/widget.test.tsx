// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../collector/protocol.ts';
import type { OfferEventName, WidgetOptions } from '../../widget/api.ts';
import { createWidget } from '../../widget/widget.tsx';
import { DECISIONS, LOYALTY, PLACEMENTS } from './fixtures.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));
const nbsp = (s: string | null | undefined) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

let events: [OfferEventName, string][];
let widget: ReturnType<typeof createWidget>;
const options = (over: Partial<WidgetOptions> = {}): WidgetOptions => ({
  locale: 'vi',
  currency: 'VND',
  onEvent: (name, d) => events.push([name, d.decisionId]),
  ...over,
});
const roots = () => [...document.querySelectorAll('idic-offer')].map((h) => h.shadowRoot!);
const rootOf = (placement: string) => document.querySelector(`[data-idic-placement="${placement}"] idic-offer`)!.shadowRoot!;
const overlay = () => document.body.lastElementChild!.shadowRoot!;

beforeEach(() => {
  document.body.innerHTML = PLACEMENTS.map((p) => `<div data-idic-placement="${p}"></div>`).join('');
  events = [];
  widget = createWidget();
});
afterEach(() => widget.clear());

describe('rendering every offer kind', () => {
  it('puts inline kinds into their placements and overlays into one host on body', () => {
    widget.render(DECISIONS, options());
    for (const p of PLACEMENTS) expect(rootOf(p).querySelector('[part~="offer"]')).not.toBeNull();
    expect(rootOf('home-hero').querySelector('section')!.getAttribute('part')).toBe('offer banner');
    expect(rootOf('sidebar').querySelector('section')!.getAttribute('part')).toBe('offer card');
    expect(rootOf('product-recs').querySelectorAll('li')).toHaveLength(4);
    const over = overlay();
    const dialog = over.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(over.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Lâu rồi không gặp!');
    expect(nbsp(over.querySelector('[part="offer toast"]')!.textContent)).toContain('Còn 120.000 ₫ để được miễn phí giao hàng');
    // One host per placement plus the overlay host.
    expect(roots()).toHaveLength(PLACEMENTS.length + 1);
  });

  it('shows title, body, code, call to action with its safe link and image', () => {
    widget.render(DECISIONS, options());
    const r = rootOf('home-hero');
    expect(r.querySelector('[part="title"]')!.textContent).toBe('Cà phê Đà Lạt giảm 20% cho bạn');
    expect(r.querySelector('[part="body"]')!.textContent).toContain('khách thân thiết');
    expect(r.querySelector('[part="code"]')!.textContent).toBe('VIP20');
    expect(r.querySelector('a[part="cta"]')!.getAttribute('href')).toBe('/category/coffee');
    expect(r.querySelector('img')!.getAttribute('src')).toBe('/img/coffee.svg');
    expect(r.querySelector('[part="close"]')!.getAttribute('aria-label')).toBe('Đóng');
  });

  it('formats recommendation prices and loyalty figures in the visitor’s locale', () => {
    widget.render(DECISIONS, options());
    const prices = [...rootOf('product-recs').querySelectorAll('[part="price"]')].map((e) => nbsp(e.textContent));
    expect(prices).toEqual(['145.000 ₫', '45.000 ₫', '120.000 ₫', '89.000 ₫']);
    const figures = [...rootOf('loyalty-slot').querySelectorAll('[part="figure"]')].map((e) => nbsp(e.textContent));
    expect(figures[0]).toBe('Còn 120.000 ₫ nữa để lên hạng Vàng');
    expect(figures[1]).toBe('Số dư: 1.250 điểm');
    expect(figures[2]).toMatch(/^300 điểm hết hạn vào 31 thg 12, 2025$/);
    expect(rootOf('loyalty-slot').querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).toBe('70');
  });

  it('speaks English when asked, with the currency given', () => {
    widget.render(DECISIONS, options({ locale: 'en-US', currency: 'USD' }));
    const r = rootOf('loyalty-slot');
    expect(nbsp(r.querySelector('[part="figure"]')!.textContent)).toBe('$120,000.00 more to Vàng');
    expect(r.querySelector('[part="close"]')!.getAttribute('aria-label')).toBe('Close');
    expect(nbsp(r.querySelectorAll('[part="figure"]')[1].textContent)).toBe('Balance: 1,250 points');
  });

  it('replaces earlier decisions on re-render and removes everything on clear', () => {
    widget.render(DECISIONS, options());
    widget.render([DECISIONS[1]], options());
    expect(document.querySelector('[data-idic-placement="home-hero"] idic-offer')).toBeNull();
    expect(rootOf('sidebar').querySelector('[part="title"]')!.textContent).toBe('Trà ô long mới về');
    expect(overlay().querySelector('[role="dialog"]')).toBeNull();
    widget.clear();
    expect(document.querySelectorAll('idic-offer')).toHaveLength(0);
  });

  it('renders nothing for holdouts and empty decisions, and nothing outside placements', () => {
    widget.render([{ placement: 'home-hero', decisionId: 'h', offer: null, reason: 'holdout', holdout: true }, { ...DECISIONS[1], placement: 'nowhere' }], options());
    expect(document.querySelectorAll('idic-offer')).toHaveLength(0);
  });

  it('does not read the placement name as a selector', () => {
    document.body.innerHTML = '<div data-idic-placement="a&quot;] , [id"></div><div id="x"></div>';
    widget.render([{ ...DECISIONS[1], placement: 'a"] , [id' }], options());
    expect(document.querySelectorAll('idic-offer')).toHaveLength(1);
    expect(document.getElementById('x')!.children).toHaveLength(0);
  });
});

describe('content is text only', () => {
  const hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script><b>bold</b>';
  const d: Decision = {
    ...DECISIONS[1],
    offer: {
      ...DECISIONS[1].offer!,
      content: { title: hostile, body: hostile, cta: hostile, code: hostile, link: 'javascript:alert(1)', image: 'data:image/svg+xml,<svg onload=alert(1)>' },
    },
  };

  it('renders markup in every field as literal text', () => {
    widget.render([d], options());
    const r = rootOf('sidebar');
    expect(r.querySelector('[part="title"]')!.textContent).toBe(hostile);
    expect(r.querySelector('[part="body"]')!.textContent).toBe(hostile);
    expect(r.querySelector('[part="code"]')!.textContent).toBe(hostile);
    expect(r.querySelectorAll('script, b, img')).toHaveLength(0);
    expect((window as { __xss?: number }).__xss).toBeUndefined();
  });

  it('drops refused links and images: the call to action becomes a plain button', () => {
    widget.render([d], options());
    const r = rootOf('sidebar');
    expect(r.querySelector('a')).toBeNull();
    expect(r.querySelector('button[part="cta"]')!.textContent).toBe(hostile);
    expect(r.querySelector('[src]')).toBeNull();
  });

  it('ignores objects smuggled into text fields', () => {
    const vnode = { type: 'script', props: { children: 'window.__xss=1' }, constructor: undefined };
    widget.render([{ ...d, offer: { ...d.offer!, content: { title: vnode as unknown as string, body: ['a', vnode] as unknown as string } } }], options());
    const r = rootOf('sidebar');
    expect(r.querySelector('script')).toBeNull();
    expect(r.querySelector('[part="title"]')!.textContent).toBe('');
  });
});

describe('events', () => {
  it('reports click on the call to action and keeps the link', () => {
    widget.render([{ ...DECISIONS[1], offer: { ...DECISIONS[1].offer!, content: { title: 'T', cta: 'Go' } } }], options());
    rootOf('sidebar').querySelector<HTMLElement>('[part="cta"]')!.click();
    expect(events).toEqual([['click', 'd-card']]);
  });

  it('reports dismiss and removes the offer when closed', async () => {
    widget.render(DECISIONS, options());
    rootOf('home-hero').querySelector<HTMLElement>('[part="close"]')!.click();
    await tick();
    expect(events).toContainEqual(['dismiss', 'd-banner']);
    expect(rootOf('home-hero').querySelector('section')).toBeNull();
  });

  it('closes the modal on Escape and reports dismiss', async () => {
    widget.render(DECISIONS, options());
    const dialog = overlay().querySelector('[role="dialog"]')!;
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await tick();
    expect(events).toContainEqual(['dismiss', 'd-modal']);
    expect(overlay().querySelector('[role="dialog"]')).toBeNull();
  });

  it('redeems from a loyalty prompt through onRedeem and shows the code', async () => {
    const asked: string[] = [];
    widget.render(DECISIONS, options({ onRedeem: async (id) => (asked.push(id), { code: 'LOY-NEW1' }) }));
    rootOf('loyalty-slot').querySelector<HTMLElement>('[part="redeem"]')!.click();
    await tick();
    await tick();
    expect(asked).toEqual(['r-50k']);
    expect(events).toContainEqual(['click', 'd-loyalty']);
    expect(rootOf('loyalty-slot').querySelector('[part="code"]')!.textContent).toBe('LOY-NEW1');
  });

  it('redraws an inline prompt with the member’s new state after a redemption elsewhere (the panel)', async () => {
    widget.render(DECISIONS, options({ onRedeem: async () => ({ code: 'X' }) }));
    const figures = () => [...rootOf('loyalty-slot').querySelectorAll('[part="figure"]')].map((e) => nbsp(e.textContent));
    expect(figures()).toContain('Số dư: 1.250 điểm');
    // 1,000 points spent in the panel: no reward is affordable any more, so the prompt offers none.
    widget.renderLoyalty({ ...LOYALTY, balance: 250, rewards: LOYALTY.rewards.map((r) => ({ ...r, available: r.cost <= 250 })) }, options());
    expect(figures()).toContain('Số dư: 250 điểm');
    expect(rootOf('loyalty-slot').querySelector('[part="redeem"]')).toBeNull();
    // Points earned back: the dearest affordable reward is offered again, by name.
    widget.renderLoyalty({ ...LOYALTY, balance: 700, rewards: LOYALTY.rewards.map((r) => ({ ...r, available: r.cost <= 700 })) }, options());
    expect(figures()).toContain('Số dư: 700 điểm');
    expect(figures().join(' ')).toContain('Giảm 50.000 ₫');
    expect(rootOf('loyalty-slot').querySelector('[part="redeem"]')).not.toBeNull();
  });

  it('shows the collector’s error when redemption fails', async () => {
    widget.render(DECISIONS, options({ onRedeem: async () => ({ error: 'Không đủ điểm' }) }));
    rootOf('loyalty-slot').querySelector<HTMLElement>('[part="redeem"]')!.click();
    await tick();
    await tick();
    expect(rootOf('loyalty-slot').querySelector('[role="alert"]')!.textContent).toBe('Không đủ điểm');
  });
});

describe('member launcher and panel', () => {
  it('opens the panel with tier, progress, rewards and codes', async () => {
    widget.renderLoyalty(LOYALTY, options({ onRedeem: async () => ({ code: 'X' }) }));
    const over = overlay();
    const launcher = over.querySelector<HTMLElement>('[part="launcher"]')!;
    expect(nbsp(launcher.textContent)).toBe('★ 1.250 điểm · Bạc');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    launcher.click();
    await tick();
    const panel = over.querySelector('[role="dialog"]')!;
    expect(panel.textContent).toContain('Ưu đãi thành viên');
    expect(nbsp(panel.textContent)).toContain('Còn 120.000 ₫ nữa để lên hạng Vàng');
    const rewards = [...panel.querySelectorAll('[part="reward"]')];
    expect(rewards.map((r) => nbsp(r.querySelector('span')!.textContent))).toEqual(['Giảm 50.000 ₫ · 500 điểm', 'Miễn phí giao hàng · 300 điểm', 'Ly sứ Bát Tràng · 2.000 điểm']);
    expect(rewards[2].querySelector('button')!.hasAttribute('disabled')).toBe(true);
    expect(rewards[0].querySelector('button')!.hasAttribute('disabled')).toBe(false);
    expect([...panel.querySelectorAll('[part="code"]')].map((c) => c.textContent)).toEqual(['LOY-7K2M', 'LOY-1A9Z đã dùng']);
  });

  it('opens the panel when asked (the shop’s “My rewards” link), and leaves it as the customer left it otherwise', async () => {
    widget.renderLoyalty(LOYALTY, options(), true);
    await tick();
    const dialog = () => overlay().querySelector('[role="dialog"]');
    expect(dialog()).not.toBeNull();
    overlay().querySelector<HTMLElement>('[part="close"]')!.click();
    await tick();
    expect(dialog()).toBeNull();
    // New figures (after a redemption in an inline prompt) redraw the badge without opening the panel.
    widget.renderLoyalty({ ...LOYALTY, balance: 250 }, options());
    await tick();
    expect(dialog()).toBeNull();
    widget.renderLoyalty(LOYALTY, options(), true);
    await tick();
    expect(dialog()).not.toBeNull();
  });

  it('keeps the launcher when offers re-render', () => {
    widget.renderLoyalty(LOYALTY, options());
    widget.render([DECISIONS[3]], options());
    widget.render([], options());
    expect(overlay().querySelector('[part="launcher"]')).not.toBeNull();
    expect(overlay().querySelector('[part~="toast"]')).toBeNull();
  });

  it('says when the top tier is reached', async () => {
    widget.renderLoyalty({ ...LOYALTY, nextTier: null }, options({ locale: 'en' }));
    overlay().querySelector<HTMLElement>('[part="launcher"]')!.click();
    await tick();
    expect(overlay().querySelector('[role="dialog"]')!.textContent).toContain('Top tier reached');
  });
});

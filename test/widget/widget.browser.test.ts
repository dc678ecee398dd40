/**
 * The built widget bundle in real Chromium, on a shop page with a strict CSP: every offer kind
 * rendered and photographed, zero CSP violations, axe-core clean, the modal's focus trap,
 * viewability-based impressions, and an XSS corpus that must never execute.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, LoyaltyState } from '../../collector/protocol.ts';
import { hasChromium, launchBrowser } from '../support/browser.ts';
import { XSS_PAYLOADS } from './corpus.ts';
import { DECISIONS, LOYALTY } from './fixtures.ts';
import { startShop, type ShopServer } from './shop-server.ts';

type Win = Window & { __events: [string, string][]; __csp: string[]; __xss?: unknown; axe: { run(ctx: Document, o?: object): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } };

let shop: ShopServer;
let browser: Browser;
let context: BrowserContext;
const shots = 'test-results';

async function openShop(query = ''): Promise<{ page: Page; events: [string, string][]; dialogs: string[] }> {
  const page = await context.newPage();
  const events: [string, string][] = [];
  const dialogs: string[] = [];
  page.on('dialog', (d) => (dialogs.push(d.message()), d.dismiss()));
  await page.exposeFunction('__report', (name: string, id: string) => events.push([name, id]));
  await page.goto(shop.url + '/' + query);
  await page.waitForFunction(() => !!window.idicWidget);
  return { page, events, dialogs };
}

const show = (page: Page, decisions: Decision[], locale = 'vi') =>
  page.evaluate(
    ([ds, locale]) =>
      window.idicWidget!.render(ds, {
        locale,
        currency: 'VND',
        onEvent: (n, d) => (window as unknown as { __report(n: string, id: string): void }).__report(n, d.decisionId),
        onRedeem: async (id) => ({ code: 'LOY-' + id.toUpperCase() }),
      }),
    [decisions, locale] as const,
  );
const member = (page: Page, state: LoyaltyState) =>
  page.evaluate((s) => window.idicWidget!.renderLoyalty(s, { locale: 'vi', currency: 'VND', onEvent() {}, onRedeem: async (id) => ({ code: 'LOY-' + id.toUpperCase() }) }), state);
const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as Win).__csp);
// Deepest focused element, through shadow roots.
const focused = (page: Page) =>
  page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a ? (a.getAttribute('part') || a.id || a.tagName) + (a.closest('[role="dialog"]') ? '@dialog' : '') : null;
  });

describe.runIf(hasChromium)('widget in Chromium', () => {
  beforeAll(async () => {
    execFileSync('node', ['test/widget/build.mjs']);
    mkdirSync(shots, { recursive: true });
    shop = await startShop();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
  });

  it('renders every offer kind under a strict CSP with zero violations, and screenshots them', async () => {
    const { page } = await openShop();
    await show(page, DECISIONS);
    await page.waitForLoadState('networkidle');
    const kinds = await page.locator('[part~="offer"]').evaluateAll((els) => els.map((e) => e.getAttribute('part')));
    expect(kinds.sort()).toEqual(['offer banner', 'offer card', 'offer loyalty', 'offer modal', 'offer recommendations', 'offer toast']);
    // Styles really applied (adopted sheet), and the shop's CSS did not leak in.
    const cta = await page.locator('[data-idic-placement="home-hero"] [part="cta"]').evaluate((e) => getComputedStyle(e).borderRadius);
    expect(cta).toBe('8px');
    const title = await page.locator('[data-idic-placement="sidebar"] [part="title"]').evaluate((e) => [getComputedStyle(e).textTransform, getComputedStyle(e).color]);
    expect(title).toEqual(['none', 'rgb(31, 31, 31)']);

    await page.screenshot({ path: `${shots}/widget-modal.png` });
    await page.keyboard.press('Escape');
    await page.locator('[part~="toast"]').screenshot({ path: `${shots}/widget-toast.png` });
    // The fixed toast would cover inline offers in their screenshots.
    await page.locator('[part~="toast"] [part="close"]').click();
    for (const [kind, sel] of [['banner', 'home-hero'], ['card', 'sidebar'], ['recommendations', 'product-recs'], ['loyalty', 'loyalty-slot']]) {
      await page.locator(`[data-idic-placement="${sel}"] [part~="offer"]`).screenshot({ path: `${shots}/widget-${kind}.png` });
    }
    await member(page, LOYALTY);
    await page.locator('[part="launcher"]').click();
    await page.locator('[part="panel"] [part="redeem"]').first().click();
    await expect.poll(() => page.locator('[part="panel"] [part="code"]').first().textContent()).toBe('LOY-R-50K');
    await page.screenshot({ path: `${shots}/widget-panel.png` });
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('on a phone the slide-in stays a compact strip at the bottom: no image, at most a third of the screen, its close button in reach', async () => {
    // Reduced motion: the box is measured where it rests, not mid slide-in.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, reducedMotion: 'reduce' });
    const page = await phone.newPage();
    await page.goto(shop.url + '/');
    await page.waitForFunction(() => !!window.idicWidget);
    const long = DECISIONS.filter((d) => d.offer?.kind === 'toast').map((d) => ({ ...d, offer: { ...d.offer!, content: { ...d.offer!.content, body: 'Miễn phí giao hàng cho đơn đầu tiên trên 300.000 ₫. '.repeat(12) } } }));
    await show(page, long);
    const toast = page.locator('[part~="toast"]');
    const box = (await toast.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(844 / 3 + 1);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect([box.x, 390 - box.x - box.width].every((margin) => margin >= 4 && margin <= 16)).toBe(true);
    expect(await toast.locator('img').count() === 0 || !(await toast.locator('img').first().isVisible())).toBe(true);
    await toast.locator('[part="close"]').click();
    await expect.poll(() => toast.count()).toBe(0);
    // The member button keeps to the points: a small corner button, not a bar over the page.
    await member(page, LOYALTY);
    const launcher = page.locator('[part="launcher"]');
    expect((await launcher.innerText()).trim()).toMatch(/^★ [\d.,]+ điểm$/);
    expect((await launcher.boundingBox())!.width).toBeLessThan(160);
    await phone.close();
  });

  it('passes axe-core with no serious or critical violations, overlays open and closed', async () => {
    const { page } = await openShop();
    await show(page, DECISIONS);
    await member(page, LOYALTY);
    await page.addScriptTag({ url: '/axe.min.js' });
    const serious = async () => {
      const r = await page.evaluate(() => (window as unknown as Win).axe.run(document));
      return r.violations.filter((v) => v.impact == 'serious' || v.impact == 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    };
    // The modal fades in (0.3 s): mid-fade text is legitimately low-contrast, so check once it has.
    await page.waitForTimeout(500);
    expect(await serious()).toEqual([]);
    await page.keyboard.press('Escape');
    await page.locator('[part="launcher"]').click();
    // Let the opening animation finish: mid-fade text is legitimately low-contrast.
    await page.waitForTimeout(500);
    expect(await serious()).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('traps focus in the modal, closes on Escape and gives focus back', async () => {
    const { page, events } = await openShop();
    await page.focus('#account');
    await show(page, [DECISIONS[2]]);
    await expect.poll(() => focused(page)).toBe('cta@dialog');
    const seen = new Set<string | null>();
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      seen.add(await focused(page));
    }
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Shift+Tab');
      seen.add(await focused(page));
    }
    expect([...seen].sort()).toEqual(['close@dialog', 'cta@dialog']);
    await page.keyboard.press('Escape');
    expect(await page.locator('[role="dialog"]').count()).toBe(0);
    await expect.poll(() => focused(page)).toBe('account');
    expect(events).toContainEqual(['dismiss', 'd-modal']);
    await page.close();
  });

  it('counts an impression only once the offer has been half visible for a moment, once per decision', async () => {
    const { page, events } = await openShop();
    const below = { ...DECISIONS[1], placement: 'below-fold', decisionId: 'd-below' };
    await show(page, [DECISIONS[0], below]);
    await page.waitForTimeout(1500);
    expect(events.filter(([n]) => n == 'impression')).toEqual([['impression', 'd-banner']]);
    await show(page, [DECISIONS[0], below]);
    await page.locator('[data-idic-placement="below-fold"] [part~="offer"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1500);
    expect(events.filter(([n]) => n == 'impression')).toEqual([['impression', 'd-banner'], ['impression', 'd-below']]);
    await page.close();
  });

  it('records the click, then follows the link', async () => {
    const { page, events } = await openShop();
    await show(page, [DECISIONS[1]]);
    await page.locator('[data-idic-placement="sidebar"] [part="cta"]').click();
    await page.waitForURL('**/category/tea');
    expect(events).toContainEqual(['click', 'd-card']);
    await page.close();
  });

  for (const query of ['', '?nocsp']) {
    it(`survives ${XSS_PAYLOADS.length} hostile payloads in every content field ${query ? 'without' : 'under'} CSP`, async () => {
      expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(200);
      const { page, dialogs } = await openShop(query);
      const kinds = ['banner', 'card', 'modal', 'toast', 'recommendations', 'loyalty'] as const;
      const places = ['home-hero', 'sidebar', 'product-recs', 'loyalty-slot'];
      const problems = await page.evaluate(
        async ([payloads, kinds, places]) => {
          const bad: string[] = [];
          const wait = () => new Promise((r) => setTimeout(r, 2));
          for (const [i, p] of payloads.entries()) {
            const ds = kinds.map((kind, k) => ({
              placement: places[(i + k) % places.length],
              decisionId: p,
              reason: p,
              offer: {
                id: p, version: 1, kind, locale: 'vi',
                content: { title: p, body: p, cta: p, link: p, image: p, code: p, figures: { remaining: 1, unit: p, nextTier: p, progress: p, balance: 1, rewardId: p, reward: p, expiring: 1, expiresAt: 0 } },
                items: [{ id: p, title: p, price: 1, currency: 'VND', image: p, link: p }],
              },
            }));
            window.idicWidget!.render(ds as never, { locale: 'vi', currency: 'VND', onEvent() {} });
            window.idicWidget!.renderLoyalty(
              { balance: 1, tier: p, nextTier: { name: p, remaining: 1, unit: 'points', progress: 0.5 }, rewards: [{ id: p, name: p, cost: 1, available: true }], expiring: null, currency: 'VND', codes: [{ code: p, rewardId: p, used: false }] },
              { locale: 'vi', currency: 'VND', onEvent() {} },
            );
            for (const h of document.querySelectorAll('idic-offer')) {
              const root = h.shadowRoot!;
              (root.querySelector('[part="launcher"]') as HTMLElement | null)?.click();
              for (const el of root.querySelectorAll('*')) {
                if (!/^(SECTION|DIV|P|B|BUTTON|A|IMG|UL|LI|SPAN|I)$/.test(el.tagName)) bad.push(`${i}: <${el.tagName}>`);
                for (const a of el.getAttributeNames()) if (a.startsWith('on') || a == 'srcdoc') bad.push(`${i}: ${a}`);
                // The only style is the progress bar's width, set through the CSSOM.
                const style = el.getAttribute('style');
                if (style != null && !(el.tagName == 'I' && /^width: \d+%;$/.test(style))) bad.push(`${i}: style=${style}`);
                for (const a of ['href', 'src']) {
                  const v = el.getAttribute(a);
                  if (v != null && !/^(\/(?!\/)|https:\/\/)/.test(v)) bad.push(`${i}: ${a}=${v}`);
                }
              }
            }
            await wait();
          }
          await new Promise((r) => setTimeout(r, 300));
          return bad;
        },
        [XSS_PAYLOADS, kinds, places] as const,
      );
      expect(problems).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as Win).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(await cspViolations(page)).toEqual([]);
      await page.close();
    });
  }
});

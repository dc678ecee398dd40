/**
 * The built widget in Chromium when the page or the SDK acts behind its back: a background refresh
 * re-rendering the same decisions, a shop's SPA navigation removing hosts, CSS hiding placements.
 */
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../collector/protocol.ts';
import { hasChromium, launchBrowser } from '../support/browser.ts';
import { DECISIONS } from './fixtures.ts';
import { startShop, type ShopServer } from './shop-server.ts';

let shop: ShopServer;
let browser: Browser;

async function openShop(): Promise<{ page: Page; events: [string, string][] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const events: [string, string][] = [];
  await page.exposeFunction('__report', (name: string, id: string) => events.push([name, id]));
  await page.goto(shop.url + '/');
  await page.waitForFunction(() => !!window.idicWidget);
  return { page, events };
}
const show = (page: Page, decisions: Decision[]) =>
  page.evaluate((ds) => window.idicWidget!.render(ds, { locale: 'vi', currency: 'VND', onEvent: (n, d) => (window as unknown as { __report(n: string, id: string): void }).__report(n, d.decisionId) }), decisions);
const focused = (page: Page) =>
  page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a ? (a.getAttribute('part') || a.id || a.tagName) + (a.closest('[role="dialog"]') ? '@dialog' : '') : null;
  });
const impressions = (events: [string, string][]) => events.filter(([n]) => n == 'impression');

describe.runIf(hasChromium)('widget under refreshes and SPA navigation (Chromium)', () => {
  beforeAll(async () => {
    execFileSync('node', ['test/widget/build.mjs']);
    shop = await startShop();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
  });

  it('keeps keyboard focus on an inline offer when a refresh renders the same decisions again', async () => {
    const { page } = await openShop();
    await show(page, [DECISIONS[0], DECISIONS[1]]);
    await page.locator('[data-idic-placement="home-hero"] [part="cta"]').focus();
    expect(await focused(page)).toBe('cta');
    await show(page, [DECISIONS[0], DECISIONS[1]]);
    await page.waitForTimeout(100);
    expect(await focused(page)).toBe('cta');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('close');
    await page.close();
  });

  it('counts no impression for an offer the shop removes (SPA navigation) or hides (display:none) within the second', async () => {
    const { page, events } = await openShop();
    await page.evaluate(() => ((document.querySelector('[data-idic-placement="home-hero"]') as HTMLElement).hidden = true));
    await show(page, [DECISIONS[0], DECISIONS[1], DECISIONS[3]]);
    await page.waitForTimeout(300);
    await page.evaluate(() => {
      (document.querySelector('[data-idic-placement="sidebar"]') as HTMLElement).hidden = true;
      document.body.lastElementChild!.remove();
    });
    await page.waitForTimeout(1500);
    expect(impressions(events)).toEqual([]);
    await page.close();
  });

  it('keeps Tab on the only button of a modal, and gives focus back when clear() closes it', async () => {
    const { page } = await openShop();
    await page.focus('#account');
    await show(page, [{ ...DECISIONS[2], offer: { ...DECISIONS[2].offer!, content: { title: 'Chào bạn' } } }]);
    await expect.poll(() => focused(page)).toBe('close@dialog');
    for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await focused(page)).toBe('close@dialog');
    }
    await page.evaluate(() => window.idicWidget!.clear());
    await expect.poll(() => focused(page)).toBe('account');
    await page.close();
  });
});

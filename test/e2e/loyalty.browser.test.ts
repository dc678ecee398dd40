/**
 * The loyalty programme in real Chromium on the demo shop: a verified customer logs in and buys
 * → points appear → a tier prompt shows → they redeem a reward in the member panel → the code
 * works once at checkout and never twice.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from '../support/browser.ts';
import { demoInChromium } from '../support/demo.ts';

const run = hasChromium ? describe : describe.skip;

run('loyalty in the demo shop (Chromium)', () => {
  const env = demoInChromium();
  beforeAll(async () => {
    // The demo ships a loyalty prompt for logged-in customers on the thank-you page (demo/offers.json).
    const offers = await env.demo.collector.services.store.listOffers(env.demo.site.id);
    expect(offers.find((o) => o.id === 'loyalty-thanks')?.status).toBe('active');
  });

  const buy = async (page: Page, product: string, code?: string) => {
    await page.goto(`${env.demo.shopUrl}/p/${product}`);
    await page.click('button[data-add]');
    await page.goto(`${env.demo.shopUrl}/cart`);
    if (code !== undefined) {
      await page.fill('[data-testid="discount-code"]', code);
      await page.click('[data-testid="discount-apply"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="discount-result"]')?.textContent);
    }
  };
  const result = (page: Page) => page.textContent('[data-testid="discount-result"]');

  it('buy → points → tier prompt → redeem → the code works once at checkout, never twice', async () => {
    const page = await env.chrome.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env.demo.shopUrl}/lang/en`);
    await page.goto(`${env.demo.shopUrl}/login`);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="hello"]');

    // 450,000 ₫ → 45 points, plus the 50-point sign-up bonus.
    await buy(page, 'celadon-pot');
    await page.click('#checkout');
    await page.waitForURL(/\/thanks\//);
    const prompt = page.locator('[data-idic-placement="loyalty-thanks"] [part~="offer"]');
    await expect.poll(() => prompt.textContent(), { timeout: 10_000 }).toContain('more to Silver');
    const promptText = await prompt.textContent();
    expect(promptText).toContain('2,550,000');
    expect(promptText).toMatch(/Balance: 95 points/);

    // The member link opens the panel; balance and tier on the badge, rewards inside.
    await page.click('[data-testid="member-link"]');
    const badge = page.locator('[part="launcher"]');
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toMatch(/95 points · Member/);
    const panel = page.locator('[part~="panel"]');
    await panel.waitFor();
    const voucher = panel.locator('[part="reward"]', { hasText: '30,000' });
    await voucher.locator('[part="redeem"]').click();
    const code = (await voucher.locator('[part="code"]').textContent({ timeout: 10_000 }))!.trim();
    expect(code).toMatch(/^PL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // The prompt on the page follows: 35 points left, no reward to offer any more.
    await expect.poll(() => prompt.textContent()).toMatch(/Balance: 35 points/);
    expect(await prompt.locator('[part="redeem"]').count()).toBe(0);
    await page.screenshot({ path: 'test-results/loyalty-member-panel.png' });
    await panel.locator('[part="close"]').click();

    // First use: the shop's server verifies the code, then consumes it with the order.
    await buy(page, 'robusta-dak-lak', code);
    expect(await result(page)).toContain('30,000');
    await page.click('#checkout');
    await page.waitForURL(/\/thanks\//);

    // Second use: refused on apply and at checkout.
    await buy(page, 'robusta-dak-lak', code);
    expect(await result(page)).toContain('already been used');
    // Said on the page, beside the button (no dialog that stops it); the order is not placed.
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.click('#checkout');
    // The click first flushes the SDK's queue, then asks the shop: give it the time an order takes.
    await expect.poll(() => page.textContent('[data-testid="checkout-error"]'), { timeout: 15_000 }).toContain('already been used');
    expect(dialogs).toEqual([]);
    expect(page.url()).toMatch(/\/cart$/);

    const store = env.demo.collector.services.store;
    const { rows } = await store.query('SELECT used_at, used_ref FROM loyalty_codes WHERE code = ?', [code]);
    expect(rows).toHaveLength(1);
    expect(rows[0].used_at).not.toBeNull();
    const orders = await store.query("SELECT kind, points, spend FROM loyalty_ledger WHERE kind IN ('earn', 'redeem') ORDER BY at, id");
    // Sign-up 50, first order 45, redeem −60, second order on 185,000 − 30,000 paid → 15.
    expect(orders.rows.map((r) => Number(r.points)).sort((a, b) => a - b)).toEqual([-60, 15, 45, 50]);
    expect(errors).toEqual([]);
  }, 60_000);
});

/**
 * The console in real Chromium, driven as a marketer would: sign in, create an offer for MGC
 * customers with a coffee affinity, preview it with the real widget, activate it; a matching
 * demo-shop visitor sees it, a non-matching one does not, and the console counts the impression.
 * An analyst can read but not change offers (UI and API). Screenshots: test-results/console-*.png.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { hasChromium, launchBrowser } from '../support/browser.ts';
import { startTestDemo } from '../support/demo.ts';
import { createAccount } from '../../collector/console/accounts.ts';
import type { ShopModel } from '../../collector/models/score.ts';

const run = hasChromium ? describe : describe.skip;
const PASSWORD = 'marketing is fun 2026';
const TITLE = 'Grow your coffee corner';

run('marketer console in Chromium', () => {
  let demo: Awaited<ReturnType<typeof startTestDemo>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    execFileSync('node', ['collector/console/build.mjs'], { stdio: 'inherit' });
    demo = await startTestDemo();
    browser = await launchBrowser();
    const svc = demo.collector.services;
    for (const [email, role] of [['mai@shop.vn', 'marketer'], ['an@shop.vn', 'analyst'], ['chu@shop.vn', 'owner']] as const) {
      await createAccount(svc.store, { email, role, password: PASSWORD }, { newId: svc.newId, now: Date.now(), by: 'test' });
    }
    // A fitted model where every recent buyer's potential far exceeds their CLV: buyers score MGC.
    const model: ShopModel = { fittedAt: Date.now(), customers: 100, bgnbd: { r: 0.5, alpha: 5, a: 0.8, b: 2.5 }, gammaGamma: null, mvcClv: 1e12, quintiles: null, unit: 'day', potential: { '*': 1e12 } };
    await svc.store.saveShopModel(demo.site.id, model);
    demo.collector.setModel(demo.site.id, model);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const signIn = async (email: string) => {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.collectorUrl.replace('127.0.0.1', 'localhost')}/admin`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('nav.side');
    return { page, ctx, errors };
  };
  const shot = async (page: Page, name: string) => {
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: `test-results/console-${name}.png`, fullPage: true });
  };
  const slotText = (page: Page, placement: string) => page.evaluate((p) => document.querySelector(`[data-idic-placement="${p}"] idic-offer`)?.shadowRoot?.textContent ?? '', placement);

  it('a marketer targets MGC coffee lovers; the matching visitor sees the offer, another does not; the impression is counted', async () => {
    // A visitor who browses coffee, signs in, and buys (a trusted order from the shop's server).
    const visitorCtx = await browser.newContext();
    const visitor = await visitorCtx.newPage();
    await visitor.goto(`${demo.shopUrl}/lang/en`);
    await visitor.goto(`${demo.shopUrl}/c/coffee`);
    await visitor.goto(`${demo.shopUrl}/p/robusta-dak-lak`);
    await visitor.goto(`${demo.shopUrl}/login`);
    await visitor.click('[data-testid="login-submit"]');
    await visitor.waitForSelector('[data-testid="hello"]');
    const order = { type: 'track', event: 'Order Completed', userId: 'lan.nguyen', messageId: 'console-e2e-order-1', properties: { order_id: 'console-e2e-1', revenue: 320000, currency: 'VND', products: [{ category: 'coffee', price: 320000, quantity: 1 }] } };
    const res = await fetch(`${demo.collectorUrl}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${demo.site.secretKey}:`).toString('base64')}` }, body: JSON.stringify(order) });
    expect(res.status).toBe(200);
    const store = demo.collector.services.store;
    await expect.poll(async () => (await store.profileByIdentity(demo.site.id, { kind: 'user', value: 'lan.nguyen' }))?.scores.tier, { timeout: 10_000 }).toBe('MGC');

    const { page, errors } = await signIn('mai@shop.vn');
    await page.waitForSelector('.kpis');
    await shot(page, 'overview');

    // The old growth offer would compete for the same slot: the marketer pauses it first.
    await page.click('a[href="/admin/offers"]');
    await page.waitForSelector('table.offers');
    await shot(page, 'offers');
    await page.click('a[href="/admin/offers/grow-basket"]');
    await page.click('[data-action=paused]');
    await page.waitForSelector('.badge.s-paused');

    // Create: the form validates as you type with the API's zod schema.
    await page.goto(page.url().replace(/\/admin\/.*/, '/admin/offers/new'));
    await page.fill('#f-id', 'Bad Id');
    await expect.poll(() => page.textContent('.field.bad .msg')).toContain('Lowercase letters, digits and dashes');
    await page.fill('#f-id', 'mgc-coffee');
    // A field left empty says so in words, not in the schema's ("Too small: expected string …").
    await page.fill('#f-name', 'x');
    await page.fill('#f-name', '');
    await expect.poll(() => page.textContent('.field.bad .msg')).toBe('Required.');
    await page.fill('#f-name', 'MGC coffee lovers: second bag');
    await page.selectOption('#f-kind', 'card');
    await page.fill('#f-placements', 'product-side');
    await page.fill('#f-priority', '900');
    await page.fill('[id="f-content.en.title"]', TITLE);
    await page.fill('[id="f-content.en.body"]', '10% off a second bag of Vietnamese coffee this week.');
    await page.fill('[id="f-content.en.cta"]', 'Shop coffee');
    await page.fill('[id="f-content.en.link"]', '/c/coffee');
    await page.fill('[id="f-content.vi.title"]', 'Thêm góc cà phê của bạn');
    await page.check('input[name=tier][value=MGC]');
    await page.fill('#f-aff', 'coffee');
    await page.fill('#f-affmin', '0.3');
    expect(await page.$('.field.bad')).toBeNull();
    // Live preview rendered by the widget's own components, in a shadow root, per locale.
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-testid=preview] idic-offer')?.shadowRoot?.textContent ?? '')).toContain('Thêm góc cà phê');
    await page.selectOption('.side-panel select', 'en');
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-testid=preview] idic-offer')?.shadowRoot?.textContent ?? '')).toContain(TITLE);
    await page.fill('.side-panel input', 'lan.nguyen');
    await page.click('text=Check targeting');
    await expect.poll(() => page.textContent('[data-testid=match]')).toContain('Matches targeting');
    await shot(page, 'offer-editor');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\/offers\/mgc-coffee$/);
    await page.click('[data-action=active]');
    await page.waitForSelector('.badge.s-active');
    const saved = (await store.listOffers(demo.site.id)).find((o) => o.id === 'mgc-coffee')!;
    expect(saved.status).toBe('active');
    expect(saved.updatedBy).toBe('mai@shop.vn');
    expect((await store.offerHistory(demo.site.id, 'mgc-coffee')).length).toBe(2);

    // The matching visitor sees the offer on a product page (the SDK may first show a cached bundle).
    await expect.poll(async () => {
      await visitor.goto(`${demo.shopUrl}/p/robusta-dak-lak`);
      await visitor.waitForTimeout(800);
      return slotText(visitor, 'product-side');
    }, { timeout: 20_000, interval: 500 }).toContain(TITLE);
    await visitor.screenshot({ path: 'test-results/console-shop-visitor.png' });

    // A tea browser who never bought has no tier: not targeted.
    const otherCtx = await browser.newContext();
    const other = await otherCtx.newPage();
    await other.goto(`${demo.shopUrl}/lang/en`);
    await other.goto(`${demo.shopUrl}/c/tea`);
    await other.goto(`${demo.shopUrl}/p/lotus-tea`);
    await other.waitForLoadState('networkidle');
    await other.waitForTimeout(1500);
    expect(await slotText(other, 'product-side')).not.toContain(TITLE);

    // The impression (visible ≥ 1 s) reaches the console's figures.
    await expect.poll(async () => {
      await page.goto(page.url().replace(/\/admin\/.*/, '/admin/offers'));
      return Number((await page.textContent('tr[data-offer=mgc-coffee] [data-col=impressions]'))?.replace(/\D/g, '') || 0);
    }, { timeout: 20_000, interval: 1000 }).toBeGreaterThanOrEqual(1);
    await shot(page, 'offers-after');

    // Customer 360 of the visitor.
    // From the overview's pyramid to the MGC list, which names her (the model fitted above makes
    // her MGC); the search finds her too.
    await page.click('a[href="/admin/overview"]');
    await page.click('a.chip.t-MGC');
    await page.waitForSelector('[data-testid=tier-list] button[aria-pressed=true]:text-is("MGC")');
    await expect.poll(() => page.textContent('[data-testid=tier-list]'), { timeout: 10_000 }).toContain('Nguyễn Thị Lan');
    await shot(page, 'tier-list');
    await page.fill('#q', 'lan.nguyen');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.timeline li');
    expect(await page.textContent('main')).toContain('MGC');
    // Loyalty in the 360: the trusted order earned points; a marketer adds some with a reason.
    await page.waitForSelector('[data-testid=balance]');
    const balance = Number((await page.textContent('[data-testid=balance]'))!.replace(/\D/g, ''));
    expect(balance).toBeGreaterThan(0);
    await page.fill('#adj-points', '25');
    await page.fill('#adj-reason', 'Sorry for the late delivery');
    await page.click('.adjust button.primary');
    await expect.poll(async () => Number((await page.textContent('[data-testid=balance]'))!.replace(/\D/g, ''))).toBe(balance + 25);
    expect(await page.textContent('table.ledger')).toContain('Sorry for the late delivery — mai@shop.vn');
    await shot(page, 'customers');

    // Data: an orders file through the real import service, with a bad row reported by its line.
    await page.click('a[href="/admin/data"]');
    await page.setInputFiles('#imp-orders', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from('customer_id,order_date,amount\nhist-1,2026-01-05,180000\nhist-2,not a date,90000\nhist-1,2026-03-02,210000\n') });
    await page.waitForSelector('[data-testid=imp-orders] table.errors');
    expect(await page.textContent('[data-testid=imp-orders] table.errors')).toMatch(/3\s*order_date/);
    expect(await page.textContent('[data-testid=imp-orders] p.ok')).toContain('2 accepted');
    expect(await page.getAttribute('[data-testid=imp-orders] progress', 'value')).toBe('3');
    await page.waitForTimeout(300);
    await shot(page, 'data');

    for (const p of ['experiments', 'settings']) {
      await page.click(`a[href="/admin/${p}"]`);
      await page.waitForSelector('main h1');
      await page.waitForTimeout(400);
      await shot(page, p);
    }
    // Vietnamese.
    await page.click('text=Tiếng Việt');
    await page.click('a[href="/admin/overview"]');
    await page.waitForSelector('.kpis');
    expect(await page.textContent('nav.side')).toContain('Tổng quan');
    await shot(page, 'overview-vi');
    // Statuses and offer kinds in Vietnamese too, not the stored English words.
    await page.click('a[href="/admin/offers"]');
    await page.waitForSelector('tr[data-offer=mgc-coffee]');
    expect(await page.textContent('tr[data-offer=mgc-coffee]')).toContain('đang chạy');
    expect(await page.textContent('tr[data-offer=mgc-coffee]')).toContain('thẻ nội dung');
    // On a phone nothing runs off the right edge: the editor's buttons wrap, the 360's tables
    // scroll inside their cards.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['offers/mgc-coffee', 'customers/lan.nguyen']) {
      await page.goto(page.url().replace(/\/admin\/.*/, `/admin/${path}`));
      await page.waitForSelector('main h1');
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    expect(errors).toEqual([]);
    await visitorCtx.close();
    await otherCtx.close();
  }, 120_000);

  it('an analyst can read offers but cannot change them, in the UI or through the API', async () => {
    const { page } = await signIn('an@shop.vn');
    await page.click('a[href="/admin/offers"]');
    await page.waitForSelector('table.offers');
    expect(await page.$('text=+ New offer')).toBeNull();
    await page.click('a[href="/admin/offers/coffee-lovers"]');
    await page.waitForSelector('.note');
    expect(await page.$eval('form fieldset', (f) => (f as HTMLFieldSetElement).disabled)).toBe(true);
    expect(await page.$('[data-action]')).toBeNull();
    await shot(page, 'analyst-offer');
    const status = await page.evaluate(async (siteId) => {
      const me = await (await fetch('/v1/console/me')).json();
      const r = await fetch(`/v1/console/sites/${siteId}/offers/coffee-lovers/status`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf }, body: JSON.stringify({ status: 'paused', version: 1 }) });
      return r.status;
    }, demo.site.id);
    expect(status).toBe(403);
    expect((await demo.collector.services.store.listOffers(demo.site.id)).find((o) => o.id === 'coffee-lovers')!.status).toBe('active');
  }, 60_000);

  it('an owner edits the loyalty rules (validated as typed) and refits the model from the Data page', async () => {
    const { page, errors } = await signIn('chu@shop.vn');
    await page.click('a[href="/admin/settings"]');
    await page.waitForSelector('.loyalty-rules');
    await page.fill('#ly-tiers-levels-1-min', '-5');
    await expect.poll(() => page.textContent('#ly-tiers-levels-1-min-err')).toMatch(/>=\s*0|greater than or equal|too small/i);
    expect(await page.$eval('.loyalty-rules button.primary', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await page.fill('#ly-tiers-levels-1-min', '2500000');
    await page.fill('#ly-signupBonus', '80');
    await page.click('.loyalty-rules button.primary');
    await page.waitForSelector('.loyalty-rules p.ok');
    const site = await demo.collector.services.store.getSite(demo.site.id);
    expect(site!.settings.loyalty.signupBonus).toBe(80);
    expect(site!.settings.loyalty.tiers.levels[1].min).toBe(2_500_000);
    await shot(page, 'settings-owner');

    await page.click('a[href="/admin/data"]');
    await page.waitForSelector('[data-testid=model] button.primary');
    await page.click('[data-testid=model] button.primary');
    // Why and how the model was fitted, in words of the console's language.
    await expect.poll(() => page.textContent('[data-testid=model]'), { timeout: 20_000 }).toContain('Trigger: console (chu@shop.vn)');
    expect(await page.textContent('[data-testid=model]')).toContain('unit: weeks');
    await shot(page, 'data-owner');
    expect(errors).toEqual([]);
  }, 60_000);
});

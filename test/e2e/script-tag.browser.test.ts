/**
 * The one script tag, as a shop pastes it: `<script src="<collector>/idic.js" data-write-key>`.
 * The collector serves the SDK and its widget itself; with no other option the SDK sends to the
 * origin it came from, and the first visit's offer renders from the widget beside it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, onTestFinished } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import { demoInChromium } from '../support/demo.ts';

const run = hasChromium ? describe : describe.skip;

run('the script tag served by the collector', () => {
  const env = demoInChromium();

  it('loads idic.js and the widget from the collector, records events there and shows the offer', async () => {
    const page = await env.chrome.browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    // Another shop: a plain page (no CSP of its own) served from its own origin, which the site allows.
    const shop = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Plain shop</title>
        <script async src="${env.demo.collectorUrl}/idic.js" data-write-key="${env.demo.site.writeKey}"></script></head>
        <body><h1>Cửa hàng</h1><div data-idic-placement="top-toast"></div></body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    const shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}`;
    const patched = await fetch(`${env.demo.collectorUrl}/v1/admin/site/settings`, {
      method: 'PATCH', headers: { authorization: `Bearer ${env.demo.site.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ origins: [...env.demo.site.settings.origins, shopUrl] }),
    });
    expect(patched.status).toBe(200);
    onTestFinished(() => new Promise<void>((resolve) => { shop.close(() => resolve()); shop.closeAllConnections(); }));
    await page.goto(`${shopUrl}/`);
    await page.waitForFunction(() => typeof (window as any).idic?.track === 'function');
    await page.evaluate(() => (window as any).idic.track('Script Tag Test', { from: 'plain page' }));
    await page.evaluate(() => (window as any).idic.flush());

    const db = (env.demo.collector.services.store as any).db;
    await expect.poll(() => (db.prepare(`SELECT COUNT(*) AS n FROM events WHERE name = 'Script Tag Test'`).get() as { n: number }).n, { timeout: 15_000 }).toBe(1);
    // The first visit's slide-in, drawn by the widget the collector served.
    await page.waitForFunction(() => !!document.querySelector('[data-idic-placement="top-toast"] idic-offer, idic-offer') || !!(window as any).idicWidget, null, { timeout: 15_000 });
    expect(requested).toContain(`${env.demo.collectorUrl}/idic-widget.js`);
    expect(requested.some((u) => u.startsWith(shopUrl) && /\/v1\//.test(u))).toBe(false);
    expect(await page.evaluate(() => (window as any).idic.debug)).toMatchObject({ failures: 0 });
  }, 60_000);
});

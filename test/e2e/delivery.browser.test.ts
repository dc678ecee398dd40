/**
 * Nothing is lost in the browser: 1,000 tracked events, the collector unreachable part-way,
 * the page reloaded twice — the collector ends with exactly 1,000 distinct events.
 */
import { describe, it, expect } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import { demoInChromium } from '../support/demo.ts';

const run = hasChromium ? describe : describe.skip;

run('event delivery in Chromium', () => {
  const env = demoInChromium();

  it('delivers 1,000 events exactly once across a network cut and two reloads', async () => {
    const page = await env.chrome.browser.newPage();
    const track = (from: number, to: number) =>
      page.evaluate(async ([a, b]) => {
        const idic = (window as any).idic;
        const pending = [];
        for (let i = a; i < b; i++) pending.push(idic.track('Delivery Test', { i }));
        await Promise.all(pending);
      }, [from, to] as const);
    const ready = () => page.waitForFunction(() => typeof (window as any).idic?.track === 'function');

    await page.goto(`${env.demo.shopUrl}/cart`);
    await ready();
    const anonId = await page.waitForFunction(() => document.cookie.match(/idic_id=([^;]+)/)?.[1]).then((h) => h.jsonValue() as Promise<string>);
    await track(0, 300);

    // Cut the collector off (the shop itself stays up), keep tracking, reload twice.
    await page.route(`${env.demo.collectorUrl}/**`, (route) => route.abort('internetdisconnected'));
    await track(300, 600);
    await page.reload();
    await ready();
    await track(600, 800);
    await page.reload();
    await ready();
    await track(800, 1000);
    await page.unroute(`${env.demo.collectorUrl}/**`);
    await page.evaluate(() => (window as any).idic.flush());

    const db = (env.demo.collector.services.store as any).db;
    const count = () => db.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT json_extract(body, '$.properties.i')) AS d
      FROM events WHERE name = 'Delivery Test' AND anonymous_id = ?`).get(anonId) as { n: number; d: number };
    await expect.poll(() => count().n, { timeout: 30_000, interval: 250 }).toBe(1000);
    expect(count()).toEqual({ n: 1000, d: 1000 });
    // Settle, then check nothing more arrives (no late duplicates with new message ids).
    await page.waitForTimeout(1500);
    expect(count()).toEqual({ n: 1000, d: 1000 });
  }, 90_000);
});

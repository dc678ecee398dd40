/**
 * A shop with a past: on its first run the demo imports real order history so the value models
 * have something to learn from and the console has a value pyramid to show.
 *
 * - 2,357 customers of the CDNOW sample (real 1997–98 orders), moved in time so their 78 weeks end
 *   yesterday, prices turned into VND, each customer given a favourite category;
 * - the three demo accounts with histories that land them in different value tiers:
 *   lan.nguyen buys coffee every month (Most Valuable), minh.tran bought tea often but stopped a
 *   year ago (Migrator), an.pham bought once recently (Low-Maintenance / Growable).
 * Then the shop's BG/NBD + Gamma-Gamma model is fitted and every customer scored.
 */
import { readFileSync } from 'node:fs';
import type { Collector } from '../collector/app.ts';
import type { Site } from '../collector/store/types.ts';
import { parseOrdersCsv, importOrders } from '../collector/services/orders-import.ts';
import { fitSite } from '../collector/services/refit.ts';

const CDNOW = new URL('./data/cdnow_sample_orders.csv', import.meta.url).pathname;
const DAY = 86_400_000;
const CATEGORIES = ['coffee', 'tea', 'ceramics', 'books'];
/** A 1997 US dollar of CD spend, in today's dong, rounded to 1,000 ₫. */
const VND_PER_USD = 25_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export function demoHistoryCsv(now: number, cdnowPath = CDNOW): string {
  const lines = ['customer_id,order_date,amount,quantity,category'];
  const cdnow = readFileSync(cdnowPath, 'utf8').trim().split('\n').slice(1);
  const end = Date.UTC(1998, 5, 30);
  const shift = now - DAY - end;
  for (const row of cdnow) {
    const [id, date, quantity, amount] = row.split(',');
    const ts = Date.parse(date) + shift;
    const vnd = Math.max(1000, Math.round((Number(amount) * VND_PER_USD) / 1000) * 1000);
    lines.push(`cdnow-${id},${iso(ts)},${vnd},${quantity},${CATEGORIES[Number(id) % CATEGORIES.length]}`);
  }
  const months = (n: number) => now - n * 30 * DAY;
  for (let m = 11; m >= 0; m--) lines.push(`lan.nguyen,${iso(months(m) - 3 * DAY)},${650_000 + 50_000 * (m % 4)},2,coffee`);
  for (let m = 20; m >= 13; m--) lines.push(`minh.tran,${iso(months(m))},${420_000 + 30_000 * (m % 3)},1,tea`);
  lines.push(`an.pham,${iso(now - 40 * DAY)},320000,1,ceramics`);
  return lines.join('\n') + '\n';
}

export async function seedDemoHistory(collector: Collector, site: Site, now = Date.now()) {
  const svc = collector.services;
  const parsed = parseOrdersCsv(demoHistoryCsv(now), { utcOffsetMinutes: site.settings.utcOffsetMinutes, currency: site.settings.currency, now });
  const report = await importOrders(svc, site, parsed);
  const { model } = await fitSite(svc, site, collector.setModel, { unit: 'week' });
  return { orders: report.imported, customers: report.customers, model };
}

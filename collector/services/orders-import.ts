/**
 * Historical orders import (CLI `idic import-orders`, `POST /v1/admin/import/orders`).
 *
 * Imported orders are trusted history, stored exactly as a shop backend's `Order Completed`
 * would be: an event (source 'import', messageId `import:<orderId>`) plus the `orders` row, so
 * a later merge replays them (identity.ts recomputeStats) and counts each once. The order id is
 * the file's `order_id`, or derived from the row's content (customer|date|amount|n-th such row),
 * so importing the same file twice changes nothing.
 *
 * Speed: rows are grouped per customer, written in large transactions, stats updated with
 * applyEvent in memory and each profile saved once per chunk. Scores are not computed here:
 * the caller rescores the touched profiles afterwards (refit.ts rescoreProfiles), usually with
 * a model refitted on the new history. Written once against the portable `Tx`.
 */
import type { Profile } from '../profile.ts';
import type { Site, StoredEvent, Tx } from '../store/types.ts';
import { applyEvent } from '../models/stats.ts';
import { DAY_MS } from '../models/customer-summary.ts';
import type { Services } from './context.ts';
import { toScoringEvent } from './identity.ts';
import { importedProfile, orderEvent, orderRow } from './import-orders-rows.ts';
import { hasBulkImport, storeChunkInBulk } from './import-orders-bulk.ts';

/** One good row of the file. */
export interface ImportedOrder {
  line: number;
  customerId: string;
  orderId: string;
  ts: number;
  amount: number;
  quantity: number | null;
  category: string | null;
  currency: string;
}

export interface RowError { line: number; reason: string }

export interface ImportReport {
  /** Data rows read (blank lines excluded). */
  rows: number;
  imported: number;
  /** Orders already known (this file imported before, or the order id sent by the shop). */
  duplicates: number;
  /** Rows rejected; `errors` lists the first `MAX_ERRORS` of them. */
  rejected: number;
  errors: RowError[];
  customers: number;
  profilesCreated: number;
  /** Profiles whose history changed (to rescore). */
  profileIds: string[];
  ms: number;
}

const MAX_ERRORS = 1000;
const REQUIRED = ['customer_id', 'order_date', 'amount'] as const;
const OPTIONAL = ['order_id', 'quantity', 'category', 'currency'] as const;

/** Split one CSV line (RFC 4180 quoting; quoted line breaks are not supported). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

const DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;

/**
 * An order date as epoch ms. A bare date (YYYY-MM-DD or YYYYMMDD) is placed at noon of that
 * day in the shop's time zone, so it stays on that purchase day whatever the offset.
 */
export function parseOrderDate(raw: string, utcOffsetMinutes: number): number | null {
  const m = DATE.exec(raw);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const utc = Date.UTC(y, mo - 1, d, 12);
    const check = new Date(utc);
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
    return utc - utcOffsetMinutes * 60_000;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(raw)) return null;
  const ts = Date.parse(raw);
  return Number.isFinite(ts) ? ts : null;
}

/**
 * Parse an orders CSV: header row with `customer_id`, `order_date`, `amount` (and optionally
 * `order_id`, `quantity`, `category`, `currency`, in any order). Good rows are returned, bad
 * ones reported with their line number and reason. Pure: `now` bounds dates in the future.
 * @example parseOrdersCsv('customer_id,order_date,amount\n7,1997-01-01,29.33', { utcOffsetMinutes: 420, currency: 'USD', now })
 */
export function parseOrdersCsv(text: string, opts: { utcOffsetMinutes: number; currency: string; now: number }): { orders: ImportedOrder[]; errors: RowError[]; rows: number } {
  const lines = text.split(/\r?\n/);
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  if (h === lines.length) throw new Error('the file is empty: expected a header row with customer_id, order_date, amount');
  const header = splitCsvLine(lines[h].replace(/^\uFEFF/, '')).map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`line ${h + 1}: header lacks ${missing.join(', ')} (found: ${header.join(', ')})`);
  const col = Object.fromEntries([...REQUIRED, ...OPTIONAL].map((c) => [c, header.indexOf(c)])) as Record<(typeof REQUIRED | typeof OPTIONAL)[number], number>;
  const latest = opts.now + DAY_MS;
  const orders: ImportedOrder[] = [];
  const errors: RowError[] = [];
  const ordinals = new Map<string, number>();
  let rows = 0;
  for (let i = h + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    rows++;
    const line = i + 1;
    const f = splitCsvLine(raw);
    const bad = (reason: string) => void errors.push({ line, reason });
    if (f.length !== header.length) { bad(`expected ${header.length} columns, found ${f.length}`); continue; }
    const get = (c: keyof typeof col) => (col[c] >= 0 ? f[col[c]].trim() : '');
    const customerId = get('customer_id');
    if (!customerId) { bad('customer_id is empty'); continue; }
    if (customerId.length > 200) { bad('customer_id is longer than 200 characters'); continue; }
    const date = get('order_date');
    const ts = parseOrderDate(date, opts.utcOffsetMinutes);
    if (ts === null) { bad(`order_date "${date.slice(0, 40)}" is not a date (YYYY-MM-DD, YYYYMMDD or ISO 8601 date-time)`); continue; }
    if (ts > latest) { bad(`order_date ${date} is in the future`); continue; }
    const amountRaw = get('amount');
    const amount = Number(amountRaw);
    if (amountRaw === '' || !Number.isFinite(amount)) { bad(`amount "${amountRaw.slice(0, 40)}" is not a number`); continue; }
    if (amount < 0) { bad(`amount ${amountRaw} is negative (refunds are not imported as orders)`); continue; }
    const qRaw = get('quantity');
    const quantity = qRaw === '' ? null : Number(qRaw);
    if (quantity !== null && !(Number.isFinite(quantity) && quantity > 0)) { bad(`quantity "${qRaw.slice(0, 40)}" is not a positive number`); continue; }
    const currency = get('currency').toUpperCase() || opts.currency;
    if (!/^[A-Z]{3}$/.test(currency)) { bad(`currency "${currency.slice(0, 40)}" is not an ISO 4217 code`); continue; }
    if (currency !== opts.currency) { bad(`currency ${currency} differs from the shop's ${opts.currency}; convert amounts before importing`); continue; }
    const category = get('category') || null;
    if (category && category.length > 100) { bad('category is longer than 100 characters'); continue; }
    let orderId = get('order_id');
    if (orderId.length > 200) { bad('order_id is longer than 200 characters'); continue; }
    if (!orderId) {
      // The n-th identical (customer, date, amount) row keeps its own id across re-imports.
      const key = `${customerId}|${date}|${amount}`;
      const n = (ordinals.get(key) ?? 0) + 1;
      ordinals.set(key, n);
      orderId = `${key}|${n}`;
    }
    orders.push({ line, customerId, orderId, ts, amount, quantity, category, currency });
  }
  return { orders, errors, rows };
}

/**
 * Store parsed orders: profiles found (or created) by the `user` identity = customer_id, each
 * new order stored as an event and an order row and applied to the profile's stats.
 * Chunks of about `chunkOrders` orders are one transaction each; `onProgress` follows them.
 */
export async function importOrders(
  svc: Services, site: Site, parsed: { orders: ImportedOrder[]; errors: RowError[]; rows: number },
  opts: { chunkOrders?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportReport> {
  const started = performance.now();
  const now = svc.clock.now();
  const byCustomer = new Map<string, ImportedOrder[]>();
  for (const o of parsed.orders) {
    const list = byCustomer.get(o.customerId);
    if (list) list.push(o);
    else byCustomer.set(o.customerId, [o]);
  }
  const report: ImportReport = {
    rows: parsed.rows, imported: 0, duplicates: 0, rejected: parsed.errors.length, errors: parsed.errors.slice(0, MAX_ERRORS),
    customers: byCustomer.size, profilesCreated: 0, profileIds: [], ms: 0,
  };
  const chunkOrders = opts.chunkOrders ?? 20_000;
  // Customers in the order of `customer|…`, the prefix of derived order ids: new profile ids
  // (monotonic) and order ids then both ascend, so the store's indexes mostly append.
  const customers = [...byCustomer.entries()].map((e) => [`${e[0]}|`, e] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((x) => x[1]);
  let done = 0;
  for (let start = 0; start < customers.length;) {
    let end = start;
    let n = 0;
    while (end < customers.length && (n === 0 || n + customers[end][1].length <= chunkOrders)) n += customers[end++][1].length;
    const chunk = customers.slice(start, end);
    await svc.store.write((tx) => (hasBulkImport(tx) ? storeChunkInBulk(tx, svc, site, chunk, now, report) : storeChunk(tx, svc, site, chunk, now, report)));
    done += n;
    opts.onProgress?.(done, parsed.orders.length);
    start = end;
  }
  report.ms = performance.now() - started;
  return report;
}

/** One chunk through the portable Tx, order by order (every store; PostgreSQL's path). */
async function storeChunk(tx: Tx, svc: Services, site: Site, chunk: [string, ImportedOrder[]][], now: number, report: ImportReport): Promise<void> {
  const config = site.settings.scoring;
  const ids = chunk.map(([c]) => ({ kind: 'user', value: c }));
  await tx.lock(ids.map((k) => `${site.id}|user:${k.value}`).sort());
  const found = await tx.findProfileIds(site.id, ids);
  const events: StoredEvent[] = [];
  const changed: Profile[] = [];
  for (const [customerId, orders] of chunk) {
    const pid = found.get(`user:${customerId}`);
    let profile = pid ? await tx.getProfile(site.id, pid) : null;
    let created = false;
    let added = 0;
    for (const o of orders) {
      const row = orderRow(site.id, o, profile?.id ?? '');
      if (!profile) {
        // Created on the first new order.
        profile = importedProfile(site.id, svc.newId(), customerId, orders, now);
        row.profileId = profile.id;
        created = true;
      }
      if (!(await tx.insertOrder(row))) { report.duplicates++; continue; }
      const ev = orderEvent(site.id, o, profile.id, now);
      events.push(ev);
      applyEvent(profile.stats, toScoringEvent(ev), config);
      added++;
    }
    if (!profile || added === 0) continue;
    report.imported += added;
    if (created) {
      await tx.linkIdentity(site.id, { kind: 'user', value: customerId }, profile.id, now);
      report.profilesCreated++;
    }
    profile.updatedAt = now;
    changed.push(profile);
  }
  if (events.length) await tx.insertEvents(events);
  for (const p of changed) {
    await tx.saveProfile(p);
    report.profileIds.push(p.id);
  }
}

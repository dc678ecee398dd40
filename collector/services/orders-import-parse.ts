/**
 * Reading an orders CSV (pure): the header, each row checked with its line number, and the
 * order id of rows without one derived from their content. orders-import.ts stores the result.
 */
import { DAY_MS } from '../models/customer-summary.ts';
import type { ImportBatchOrder } from '../store/types.ts';
import { MAX_AMOUNT } from '../protocol.ts';
import { idProblem } from './identity-keys.ts';

/** One good row of the file: the order a batch stores, and the line it came from. */
export interface ImportedOrder extends ImportBatchOrder {
  line: number;
}

export interface RowError { line: number; reason: string }

const REQUIRED = ['customer_id', 'order_date', 'amount'] as const;
const OPTIONAL = ['order_id', 'quantity', 'category', 'currency'] as const;

const ISO_4217 = /^[A-Z]{3}$/;

/** A trimmed field, or '' for a column the file lacks. */
const field = (f: string[], at: number) => (at >= 0 ? f[at].trim() : '');

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

/** A plain decimal number ("29.33", "1e3"): not hex, binary, "Infinity" or blank, which Number() would also take. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

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
  const dates = new Map<string, number | null>();
  const shopCurrencyOk = ISO_4217.test(opts.currency);
  let rows = 0;
  let lastGood: string | undefined;
  for (let i = h + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    rows++;
    const line = i + 1;
    const f = splitCsvLine(raw);
    if (f.length !== header.length) { errors.push({ line, reason: `expected ${header.length} columns, found ${f.length}` }); continue; }
    const customerId = field(f, col.customer_id);
    if (!customerId) { errors.push({ line, reason: 'customer_id is empty' }); continue; }
    if (customerId.length > 200) { errors.push({ line, reason: 'customer_id is longer than 200 characters' }); continue; }
    // The same ids the identity graph takes: one it refuses (NUL, bidi overrides) would be a customer no event can reach.
    // Checked once per run of rows: files list a customer's orders together.
    if (customerId !== lastGood) {
      const idErr = idProblem(customerId);
      if (idErr) { errors.push({ line, reason: `customer_id ${idErr}` }); continue; }
      lastGood = customerId;
    }
    const date = field(f, col.order_date);
    // Files repeat the same few hundred days: each is parsed once.
    let ts = dates.get(date);
    if (ts === undefined) dates.set(date, (ts = parseOrderDate(date, opts.utcOffsetMinutes)));
    if (ts === null) { errors.push({ line, reason: `order_date "${date.slice(0, 40)}" is not a date (YYYY-MM-DD, YYYYMMDD or ISO 8601 date-time)` }); continue; }
    if (ts > latest) { errors.push({ line, reason: `order_date ${date} is in the future` }); continue; }
    // As the event API: no shop had a customer before 1970, and negative times break the timeline's cursor.
    if (ts < 0) { errors.push({ line, reason: `order_date ${date} is before 1970` }); continue; }
    const amountRaw = field(f, col.amount);
    const amount = DECIMAL.test(amountRaw) ? Number(amountRaw) : NaN;
    if (!Number.isFinite(amount)) { errors.push({ line, reason: `amount "${amountRaw.slice(0, 40)}" is not a number` }); continue; }
    if (amount < 0) { errors.push({ line, reason: `amount ${amountRaw} is negative (refunds are not imported as orders)` }); continue; }
    if (amount > MAX_AMOUNT) { errors.push({ line, reason: `amount ${amountRaw.slice(0, 40)} is larger than ${MAX_AMOUNT}` }); continue; }
    const qRaw = field(f, col.quantity);
    const quantity = qRaw === '' ? null : DECIMAL.test(qRaw) ? Number(qRaw) : NaN;
    if (quantity !== null && !(Number.isFinite(quantity) && quantity > 0)) { errors.push({ line, reason: `quantity "${qRaw.slice(0, 40)}" is not a positive number` }); continue; }
    const currency = field(f, col.currency).toUpperCase() || opts.currency;
    if (currency === opts.currency ? !shopCurrencyOk : !ISO_4217.test(currency)) { errors.push({ line, reason: `currency "${currency.slice(0, 40)}" is not an ISO 4217 code` }); continue; }
    if (currency !== opts.currency) { errors.push({ line, reason: `currency ${currency} differs from the shop's ${opts.currency}; convert amounts before importing` }); continue; }
    const category = field(f, col.category) || null;
    if (category && category.length > 100) { errors.push({ line, reason: 'category is longer than 100 characters' }); continue; }
    let orderId = field(f, col.order_id);
    if (orderId.length > 200) { errors.push({ line, reason: 'order_id is longer than 200 characters' }); continue; }
    if (!orderId) {
      // The n-th identical (customer, date, amount) row keeps its own id across re-imports.
      const key = `${customerId}|${date}|${amount}`;
      const n = (ordinals.get(key) ?? 0) + 1;
      ordinals.set(key, n);
      orderId = `${key}|${n}`;
    }
    orders.push({ line, customerId, orderId, ts, amount, quantity, category, currency, dateOnly: DATE.test(date) });
  }
  return { orders, errors, rows };
}

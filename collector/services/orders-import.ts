/**
 * Historical orders import (CLI `idic import-orders`, `POST /v1/admin/import/orders`).
 *
 * Imported orders are trusted history, stored exactly as a shop backend's `Order Completed`
 * would be: an event (source 'import', messageId `import:<orderId>`) plus the `orders` row, so
 * a later merge replays them (identity.ts recomputeStats) and counts each once. The order id is
 * the file's `order_id`, or derived from the row's content (customer|date|amount|n-th such row),
 * so importing the same file twice changes nothing.
 *
 * Speed: the file is read by orders-import-parse.ts; rows are grouped per customer, written in
 * large transactions, stats updated with applyEvent in memory and each profile saved once per
 * chunk. A store with the optional bulk methods (SQLite) takes each chunk in bulk
 * (orders-import-bulk.ts); any other goes order by order through the portable `Tx`. Scores are
 * not computed here: the caller rescores the touched profiles afterwards (refit.ts
 * rescoreProfiles), usually with a model refitted on the new history.
 */
import type { Profile } from '../profile.ts';
import type { Site, StoredEvent, Tx } from '../store/types.ts';
import { applyEvent } from '../models/stats.ts';
import type { Services } from './context.ts';
import { toScoringEvent } from './identity.ts';
import { importedProfile, orderEvent, orderRow } from './orders-import-rows.ts';
import { hasBulkImport, storeChunkInBulk } from './orders-import-bulk.ts';
import type { ImportedOrder, RowError } from './orders-import-parse.ts';

export { parseOrdersCsv, parseOrderDate, splitCsvLine, type ImportedOrder, type RowError } from './orders-import-parse.ts';

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

/**
 * One chunk of an orders import through the store's bulk path (SQLite: store/sqlite/bulk-import.ts):
 * the same outcome as the generic per-order path in orders-import.ts — same rows, same stats, same
 * duplicate counts — with one duplicate check and one bulk write per chunk instead of a few
 * statements per order. Runs inside one `write()` transaction.
 */
import type { Profile } from '../profile.ts';
import type { ImportBatch, Site, Tx } from '../store/types.ts';
import { applyEvent } from '../models/stats.ts';
import type { Services } from './context.ts';
import type { ImportedOrder } from './orders-import-parse.ts';
import type { ImportReport } from './orders-import.ts';
import { importedProfile, purchaseEvent } from './orders-import-rows.ts';

/** Orders handed to the store at a time, within the chunk's one transaction. */
const FLUSH_ORDERS = 256;

export type BulkTx = Tx & Required<Pick<Tx, 'knownOrderIds' | 'insertImported'>>;

/**
 * Whether the store offers the bulk path. It takes no `lock()`: a store offering it has one writer
 * (SQLite's BEGIN IMMEDIATE), so nothing changes between the duplicate check and the inserts.
 */
export const hasBulkImport = (tx: Tx): tx is BulkTx => typeof tx.knownOrderIds === 'function' && typeof tx.insertImported === 'function';

export async function storeChunkInBulk(
  tx: BulkTx, svc: Services, site: Site, chunk: [string, ImportedOrder[]][], now: number, report: ImportReport,
): Promise<void> {
  const config = site.settings.scoring;
  const found = await tx.findProfileIds(site.id, chunk.map(([c]) => ({ kind: 'user', value: c })));
  const orderIds: string[] = [];
  for (const [, orders] of chunk) for (const o of orders) orderIds.push(o.orderId);
  // Known before this chunk, or seen earlier in it (the same order id twice in one file).
  const seen = await tx.knownOrderIds(site.id, orderIds);
  const empty = (): ImportBatch => ({ siteId: site.id, receivedAt: now, orders: [], profileIds: [], profiles: [], links: [] });
  let batch = empty();
  for (const [customerId, orders] of chunk) {
    // Handed over every few hundred orders: the rows die young, which the garbage collector
    // handles far more cheaply than a chunk's worth of objects kept alive to the end (measured
    // 130 ms of GC instead of 450 ms on the CDNOW import).
    if (batch.orders.length >= FLUSH_ORDERS) {
      await tx.insertImported(batch);
      batch = empty();
    }
    let profile: Profile | null = null;
    let added = 0;
    for (const o of orders) {
      const before = seen.size;
      if (seen.add(o.orderId).size === before) { report.duplicates++; continue; }
      if (!profile) {
        const pid = found.get(`user:${customerId}`);
        profile = pid ? await tx.getProfile(site.id, pid) : null;
        if (!profile) {
          profile = importedProfile(site.id, svc.newId(), customerId, orders, now);
          batch.links.push({ siteId: site.id, id: { kind: 'user', value: customerId }, profileId: profile.id, at: now });
          report.profilesCreated++;
        }
      }
      // The store builds the order's rows itself; only the stats are computed here.
      batch.orders.push(o);
      batch.profileIds.push(profile.id);
      applyEvent(profile.stats, purchaseEvent(o), config);
      added++;
    }
    if (!profile) continue;
    report.imported += added;
    profile.updatedAt = now;
    batch.profiles.push(profile);
    report.profileIds.push(profile.id);
  }
  await tx.insertImported(batch);
}

/**
 * Bulk import of existing customers (IDIC step one: move every identifying record the shop
 * already holds into one database). Rows are validated one by one; bad rows are reported with
 * their line number and reason and good rows are kept; rows are written in transactions of
 * `batchSize` so a large file is fast and a crash loses at most one batch. Re-running the same
 * file changes nothing: a row whose customer already has these ids and traits is not written.
 */
import type { Profile } from '../profile.ts';
import type { Site } from '../store/types.ts';
import type { Services } from './context.ts';
import { identityKey, resolveProfile } from './identity.ts';
import { mergeTraits } from './identity-keys.ts';
import { validateCustomer, type CustomerRow, type RawRecord } from './identity-import-parse.ts';

export interface ImportReport {
  /** Records read (good and bad). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Bad rows (the first `maxErrors`), by line number. */
  errors: { line: number; reason: string }[];
  /** Keys a row named that already belong to another known customer; kept with that customer. */
  conflicts: { line: number; key: string; reason: string }[];
  /** More bad rows or conflicts than were listed. */
  truncated: boolean;
}

export interface ImportOptions {
  batchSize?: number;
  maxErrors?: number;
  /** Called after each committed batch (the CLI prints a progress line). */
  onProgress?: (r: ImportReport) => void;
}

/** Import customer records (already parsed, see identity-import-parse.ts) into one site. */
export async function importCustomers(svc: Services, site: Site, records: AsyncIterable<RawRecord>, options: ImportOptions = {}): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 1000;
  const maxErrors = options.maxErrors ?? 1000;
  const report: ImportReport = { rows: 0, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [], conflicts: [], truncated: false };
  const fail = (line: number, reason: string) => {
    report.failed++;
    if (report.errors.length < maxErrors) report.errors.push({ line, reason });
    else report.truncated = true;
  };
  let batch: { line: number; customer: CustomerRow }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    await writeBatch(svc, site, rows, report, maxErrors);
    options.onProgress?.(report);
  };
  for await (const rec of records) {
    report.rows++;
    if ('error' in rec) { fail(rec.line, rec.error); continue; }
    const v = validateCustomer(rec.row);
    if ('error' in v) { fail(rec.line, v.error); continue; }
    batch.push({ line: rec.line, customer: v.customer });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return report;
}

async function writeBatch(svc: Services, site: Site, rows: { line: number; customer: CustomerRow }[], report: ImportReport, maxErrors: number) {
  const now = svc.clock.now();
  const counts = await svc.store.write(async (tx) => {
    const c = { created: 0, updated: 0, unchanged: 0, conflicts: [] as ImportReport['conflicts'] };
    const profiles = new Map<string, Profile>();
    for (const { line, customer } of rows) {
      // What the customer looked like before this row, to leave an unchanged customer untouched.
      const user = { kind: 'user', value: customer.userId };
      const pid = (await tx.findProfileIds(site.id, [user])).get(identityKey(user));
      const prior = pid ? profiles.get(pid) ?? (await tx.getProfile(site.id, pid)) : null;
      if (prior) profiles.set(prior.id, prior);
      const before = prior ? fingerprint(prior) : null;
      const r = await resolveProfile(tx, svc, site, { userId: customer.userId, external: customer.external, trusted: true }, now, profiles);
      for (const k of r.conflicts ?? []) c.conflicts.push({ line, key: k.kind, reason: `this ${k.kind} already belongs to another customer; kept with them (merge the two with POST /v1/admin/merge if they are one person)` });
      r.profile.traits = mergeTraits(r.profile.traits, customer.traits).traits;
      if (r.created) c.created++;
      else if (before === fingerprint(r.profile)) { c.unchanged++; continue; }
      else c.updated++;
      r.profile.updatedAt = now;
      await tx.saveProfile(r.profile);
    }
    return c;
  });
  report.created += counts.created;
  report.updated += counts.updated;
  report.unchanged += counts.unchanged;
  for (const x of counts.conflicts) {
    if (report.conflicts.length < maxErrors) report.conflicts.push(x);
    else report.truncated = true;
  }
}

function fingerprint(p: Profile) {
  return JSON.stringify([p.userId, p.identities.map(identityKey).sort(), p.traits]);
}

/**
 * Loyalty persistence in portable SQL (runs on the SQLite and PostgreSQL stores alike), through
 * `tx.query` inside a transaction or `store.query` for reads.
 */
import type { SqlRow, SqlRunner } from '../store/types.ts';
import type { EntryKind, LedgerEntry } from './ledger.ts';
import type { CodeRow } from './state.ts';

const entryFrom = (r: SqlRow): LedgerEntry => ({
  id: r.id, kind: r.kind as EntryKind, points: Number(r.points), spend: Number(r.spend), reason: r.reason, ref: r.ref,
  at: Number(r.at), expiresAt: r.expires_at === null ? null : Number(r.expires_at),
});

const codeFrom = (r: SqlRow): CodeRow => ({
  code: r.code, rewardId: r.reward_id, profileId: r.profile_id, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at),
  usedAt: r.used_at === null ? null : Number(r.used_at), discount: JSON.parse(r.discount), minOrder: Number(r.min_order),
});

/** A customer's whole ledger, oldest first. */
export async function entriesOf(db: SqlRunner, siteId: string, profileId: string): Promise<LedgerEntry[]> {
  const { rows } = await db.query('SELECT * FROM loyalty_ledger WHERE site_id = ? AND profile_id = ? ORDER BY at, id', [siteId, profileId]);
  return rows.map(entryFrom);
}

/**
 * Is `entries` still this customer's whole ledger? Entries are only ever appended (merges move
 * whole ledgers, erasure removes them), so the count and the newest id tell: one indexed query
 * instead of reading every entry again.
 */
export async function ledgerUnchanged(db: SqlRunner, siteId: string, profileId: string, entries: readonly LedgerEntry[]): Promise<boolean> {
  const { rows } = await db.query('SELECT COUNT(*) AS n, MAX(id) AS last FROM loyalty_ledger WHERE site_id = ? AND profile_id = ?', [siteId, profileId]);
  let last: string | null = null;
  for (const e of entries) if (last === null || e.id > last) last = e.id;
  return Number(rows[0].n) === entries.length && (rows[0].last ?? null) === last;
}

/** Put `e` where `entriesOf` would list it (by time, then id). */
export function insertInOrder(entries: LedgerEntry[], e: LedgerEntry): void {
  let i = entries.length;
  while (i > 0 && (entries[i - 1].at > e.at || (entries[i - 1].at === e.at && entries[i - 1].id > e.id))) i--;
  entries.splice(i, 0, e);
}

/** The entry of this kind for this ref (e.g. the earn of an order), if any. */
export async function entryByRef(db: SqlRunner, siteId: string, ref: string, kind: EntryKind): Promise<(LedgerEntry & { profileId: string }) | null> {
  const { rows } = await db.query('SELECT * FROM loyalty_ledger WHERE site_id = ? AND ref = ? AND kind = ?', [siteId, ref, kind]);
  return rows[0] ? { ...entryFrom(rows[0]), profileId: rows[0].profile_id } : null;
}

/** Append one entry; false when (site, ref, kind) is already in the ledger (exactly once). */
export async function appendEntry(db: SqlRunner, siteId: string, profileId: string, e: LedgerEntry): Promise<boolean> {
  const { changes } = await db.query(
    `INSERT INTO loyalty_ledger (site_id, id, profile_id, kind, points, spend, reason, ref, at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, ref, kind) DO NOTHING`,
    [siteId, e.id, profileId, e.kind, e.points, e.spend, e.reason.slice(0, 200), e.ref.slice(0, 300), e.at, e.expiresAt],
  );
  return changes === 1;
}

export async function codesOf(db: SqlRunner, siteId: string, profileId: string): Promise<CodeRow[]> {
  const { rows } = await db.query('SELECT * FROM loyalty_codes WHERE site_id = ? AND profile_id = ? ORDER BY created_at DESC', [siteId, profileId]);
  return rows.map(codeFrom);
}

export async function getCode(db: SqlRunner, siteId: string, code: string): Promise<CodeRow | null> {
  const { rows } = await db.query('SELECT * FROM loyalty_codes WHERE site_id = ? AND code = ?', [siteId, code]);
  return rows[0] ? codeFrom(rows[0]) : null;
}

export async function insertCode(db: SqlRunner, siteId: string, c: CodeRow, entryId: string): Promise<void> {
  await db.query(
    `INSERT INTO loyalty_codes (site_id, code, profile_id, reward_id, entry_id, discount, min_order, created_at, expires_at, used_at, used_ref)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
    [siteId, c.code, c.profileId, c.rewardId, entryId, JSON.stringify(c.discount), c.minOrder, c.createdAt, c.expiresAt],
  );
}

/**
 * Mark a code used, exactly once: the conditional UPDATE is the single point of truth, so two
 * checkouts racing with the same code cannot both see "unused".
 */
export async function consumeCode(db: SqlRunner, siteId: string, code: string, at: number, usedRef: string | null): Promise<boolean> {
  const { changes } = await db.query(
    'UPDATE loyalty_codes SET used_at = ?, used_ref = ? WHERE site_id = ? AND code = ? AND used_at IS NULL AND expires_at > ?',
    [at, usedRef, siteId, code, at],
  );
  return changes === 1;
}

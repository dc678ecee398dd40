/**
 * Data-subject rights: export everything held about one customer, and erase it. Both walk the
 * same list of tables — the core tables with a profile column plus every feature table in
 * PROFILE_TABLES — so a feature that registers its table is exported and erased with no code here.
 *
 * Not personal, so kept on erasure: bandit counters (sums over all customers) and offers.
 */
import type { Profile } from '../profile.ts';
import type { Site, SqlRow, Store } from '../store/types.ts';
import { PROFILE_TABLES } from '../store/schema/index.ts';

export interface CustomerExport {
  exportedAt: number;
  site: { id: string; name: string };
  profile: Profile;
  identities: SqlRow[];
  /** Profiles merged into this one earlier (their ids still resolve here). */
  merges: SqlRow[];
  events: SqlRow[];
  orders: SqlRow[];
  decisions: SqlRow[];
  outcomes: SqlRow[];
  /** Feature tables (loyalty, …), by table name. */
  tables: Record<string, SqlRow[]>;
}

const JSON_COLUMNS = new Set(['body', 'items', 'data', 'traits', 'stats', 'scores']);

/** Stored JSON text back to objects, so the export reads as one JSON document. */
function decode(rows: SqlRow[]): SqlRow[] {
  return rows.map((r) => {
    const out: SqlRow = {};
    for (const [k, v] of Object.entries(r)) {
      if (JSON_COLUMNS.has(k) && typeof v === 'string') {
        try { out[k] = JSON.parse(v); continue; } catch { /* keep text */ }
      }
      out[k] = typeof v === 'bigint' ? Number(v) : v;
    }
    return out;
  });
}

/** Everything held about one customer, as one JSON-ready object. */
export async function exportCustomer(store: Store, site: Site, profile: Profile, now: number): Promise<CustomerExport> {
  const q = async (sql: string, params: unknown[]) => decode((await store.query(sql, params)).rows);
  const args = [site.id, profile.id];
  const tables: Record<string, SqlRow[]> = {};
  for (const t of PROFILE_TABLES) tables[t.table] = await q(`SELECT * FROM ${t.table} WHERE site_id = ? AND ${t.column} = ?`, args);
  return {
    exportedAt: now,
    site: { id: site.id, name: site.name },
    profile,
    identities: await q('SELECT kind, value, created_at FROM identities WHERE site_id = ? AND profile_id = ? ORDER BY created_at, kind', args),
    merges: await q('SELECT from_id, into_id, at FROM merges WHERE site_id = ? AND into_id = ? ORDER BY at', args),
    events: await q('SELECT * FROM events WHERE site_id = ? AND profile_id = ? ORDER BY ts', args),
    orders: await q('SELECT * FROM orders WHERE site_id = ? AND profile_id = ? ORDER BY ts', args),
    decisions: await q('SELECT * FROM decisions WHERE site_id = ? AND profile_id = ? ORDER BY created_at', args),
    outcomes: await q(`SELECT o.* FROM outcomes o JOIN decisions d ON d.site_id = o.site_id AND d.id = o.decision_id
      WHERE d.site_id = ? AND d.profile_id = ? ORDER BY o.at`, args),
    tables,
  };
}

export interface ErasureReport {
  profileId: string;
  /** Ids that resolved to the customer and no longer resolve to anything. */
  ids: { kind: string; value: string }[];
  /** Rows deleted, per table. */
  deleted: Record<string, number>;
}

/**
 * Erase one customer in one transaction: every row in every table that names the profile, every
 * id in the graph, and the memory of profiles merged into it. Afterwards no id of theirs resolves.
 */
export async function eraseCustomer(store: Store, site: Site, profileId: string): Promise<ErasureReport> {
  return store.write(async (tx) => {
    await tx.lock([`${site.id}|profile:${profileId}`]);
    const args = [site.id, profileId];
    const ids = (await tx.query('SELECT kind, value FROM identities WHERE site_id = ? AND profile_id = ?', args)).rows
      .map((r) => ({ kind: String(r.kind), value: String(r.value) }));
    const merged = (await tx.query('SELECT from_id FROM merges WHERE site_id = ? AND into_id = ?', args)).rows;
    for (const m of merged) ids.push({ kind: 'merged profile', value: String(m.from_id) });
    const deleted: Record<string, number> = {};
    const del = async (table: string, sql: string, params: unknown[] = args) => {
      deleted[table] = (deleted[table] ?? 0) + (await tx.query(sql, params)).changes;
    };
    // Feature tables first: they may refer to decisions or orders of this customer.
    for (const t of PROFILE_TABLES) await del(t.table, `DELETE FROM ${t.table} WHERE site_id = ? AND ${t.column} = ?`);
    await del('outcomes', 'DELETE FROM outcomes WHERE site_id = ? AND decision_id IN (SELECT id FROM decisions WHERE site_id = ? AND profile_id = ?)', [site.id, site.id, profileId]);
    await del('decisions', 'DELETE FROM decisions WHERE site_id = ? AND profile_id = ?');
    await del('orders', 'DELETE FROM orders WHERE site_id = ? AND profile_id = ?');
    await del('events', 'DELETE FROM events WHERE site_id = ? AND profile_id = ?');
    await del('identities', 'DELETE FROM identities WHERE site_id = ? AND profile_id = ?');
    await del('merges', 'DELETE FROM merges WHERE site_id = ? AND (into_id = ? OR from_id = ?)', [site.id, profileId, profileId]);
    await del('profiles', 'DELETE FROM profiles WHERE site_id = ? AND id = ?');
    return { profileId, ids, deleted };
  });
}

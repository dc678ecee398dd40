/**
 * Profile rows and identity links kept in memory by the SQLite store, so the hot paths (ingest
 * touching a known visitor, decide reading one) skip two or three SELECTs per profile.
 *
 * Why it stays correct:
 * - it holds the stored *text* of a row, never an object a caller could mutate — every hit is a
 *   fresh parse, exactly as a read from the table would be;
 * - every write this store makes to profiles or identities updates or evicts the entries it
 *   touches; raw SQL through `query()` that writes those tables clears everything;
 * - before each transaction and each read outside one, `PRAGMA data_version` (changes committed
 *   by any other connection or process) and `total_changes()` (raw writes on this connection,
 *   e.g. through `store.db`) are compared with what we last saw — any difference clears it;
 * - a rolled-back transaction clears it (its saves never happened).
 */
import type Database from 'better-sqlite3';
import type { ProfileIdentity } from '../../profile.ts';

export interface CachedRow {
  site_id: string;
  id: string;
  user_id: string | null;
  traits: string;
  stats: string;
  scores: string;
  created_at: number;
  updated_at: number;
  /** The profile's identities in stored order; absent until read. */
  identities?: ProfileIdentity[];
}

const key = (siteId: string, id: string) => `${siteId}\u0000${id}`;
const idKey = (siteId: string, kind: string, value: string) => `${siteId}\u0000${kind}\u0000${value}`;

export class ProfileCache {
  private rows = new Map<string, CachedRow>();
  private links = new Map<string, string>();
  private version = -1;
  private changes = -1;
  private readonly dataVersion: Database.Statement;
  private readonly totalChanges: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly max = 20_000) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  /**
   * Drop everything if the file changed behind our back. Called by `write()` right after BEGIN
   * IMMEDIATE (`atBegin`), and by reads; a read inside our own open write transaction skips it —
   * we hold the write lock, so nobody else can commit, and our own writes keep the cache current.
   */
  validate(atBegin = false): void {
    if (!atBegin && this.db.inTransaction) return;
    const v = this.dataVersion.get() as number;
    const c = this.totalChanges.get() as number;
    if (v !== this.version || c !== this.changes) {
      this.clear();
      this.version = v;
      this.changes = c;
    }
  }

  /**
   * After our own commit (or rollback): our changes are known. `data_version` stays as read at
   * BEGIN (our own commits never change it); re-reading it now could absorb another process's
   * commit made just after ours.
   */
  settle(): void {
    this.changes = this.totalChanges.get() as number;
  }

  clear(): void {
    this.rows.clear();
    this.links.clear();
  }

  row(siteId: string, id: string): CachedRow | undefined {
    return this.rows.get(key(siteId, id));
  }

  putRow(r: CachedRow): void {
    if (this.rows.size >= this.max) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(key(r.site_id, r.id), r);
  }

  /** A save updates a row we hold (an upsert never changes created_at); rows we never read stay unread. */
  saved(siteId: string, id: string, userId: string | null, traits: string, stats: string, scores: string, updatedAt: number): void {
    const r = this.rows.get(key(siteId, id));
    if (!r) return;
    r.user_id = userId;
    r.traits = traits;
    r.stats = stats;
    r.scores = scores;
    r.updated_at = updatedAt;
  }

  evict(siteId: string, id: string): void {
    this.rows.delete(key(siteId, id));
  }

  /** The profile an identity points to, if known here. */
  link(siteId: string, kind: string, value: string): string | undefined {
    return this.links.get(idKey(siteId, kind, value));
  }

  putLink(siteId: string, kind: string, value: string, profileId: string): void {
    if (this.links.size >= this.max * 2) this.links.delete(this.links.keys().next().value!);
    this.links.set(idKey(siteId, kind, value), profileId);
  }
}

/** Raw SQL that writes a table the cache mirrors. */
export const touchesCachedTables = (sql: string) => /\b(profiles|identities|merges)\b/i.test(sql) && !/^\s*select\b/i.test(sql);

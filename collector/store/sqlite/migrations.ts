/**
 * SQLite schema, versioned and forward only. Each migration runs once, in order, inside a
 * transaction that also records it in `schema_migrations`; BEGIN IMMEDIATE makes two processes
 * opening the same file at once apply each migration exactly once.
 */
import type Database from 'better-sqlite3';
import { FEATURE_MIGRATIONS } from '../schema/index.ts';

export interface Migration { version: number; name: string; sql: string }

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'core',
    sql: `
CREATE TABLE sites (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, settings TEXT NOT NULL, created_at INTEGER NOT NULL
);
CREATE TABLE site_keys (
  key TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), kind TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER
);
CREATE INDEX site_keys_site ON site_keys(site_id, kind);
CREATE TABLE profiles (
  site_id TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT, traits TEXT NOT NULL, stats TEXT NOT NULL,
  scores TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, id)
) WITHOUT ROWID;
CREATE TABLE identities (
  site_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, profile_id TEXT NOT NULL,
  created_at INTEGER NOT NULL, PRIMARY KEY (site_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX identities_profile ON identities(site_id, profile_id);
CREATE INDEX identities_value ON identities(site_id, value);
CREATE TABLE merges (
  site_id TEXT NOT NULL, from_id TEXT NOT NULL, into_id TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (site_id, from_id)
) WITHOUT ROWID;
CREATE TABLE events (
  seq INTEGER PRIMARY KEY, site_id TEXT NOT NULL, source TEXT NOT NULL, message_id TEXT NOT NULL,
  profile_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT, anonymous_id TEXT, user_id TEXT,
  ts INTEGER NOT NULL, received_at INTEGER NOT NULL, trusted INTEGER NOT NULL, bot INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX events_dedupe ON events(site_id, source, message_id);
CREATE INDEX events_profile ON events(site_id, profile_id, ts);
CREATE TABLE orders (
  site_id TEXT NOT NULL, order_id TEXT NOT NULL, profile_id TEXT NOT NULL, ts INTEGER NOT NULL,
  amount REAL NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, items TEXT NOT NULL,
  PRIMARY KEY (site_id, order_id)
) WITHOUT ROWID;
CREATE INDEX orders_profile ON orders(site_id, profile_id, ts);
CREATE TABLE offers (
  site_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
  data TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL,
  PRIMARY KEY (site_id, id)
) WITHOUT ROWID;
CREATE TABLE offer_versions (
  site_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
  updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (site_id, id, version)
) WITHOUT ROWID;
CREATE TABLE decisions (
  site_id TEXT NOT NULL, id TEXT NOT NULL, profile_id TEXT NOT NULL, placement TEXT NOT NULL,
  offer_id TEXT, offer_version INTEGER, arm TEXT NOT NULL, holdout INTEGER NOT NULL,
  session_id TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (site_id, id)
) WITHOUT ROWID;
CREATE INDEX decisions_profile ON decisions(site_id, profile_id, created_at);
CREATE TABLE outcomes (
  site_id TEXT NOT NULL, decision_id TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL,
  value REAL NOT NULL, PRIMARY KEY (site_id, decision_id, kind)
) WITHOUT ROWID;
CREATE TABLE bandit (
  site_id TEXT NOT NULL, offer_id TEXT NOT NULL, arm TEXT NOT NULL, trials INTEGER NOT NULL,
  conversions INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (site_id, offer_id, arm)
) WITHOUT ROWID;
CREATE TABLE shop_models (site_id TEXT PRIMARY KEY, data TEXT NOT NULL, fitted_at INTEGER NOT NULL);
`,
  },
];

export function migrate(db: Database.Database, migrations: Migration[] = [...MIGRATIONS, ...FEATURE_MIGRATIONS]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of migrations) {
    db.exec('BEGIN IMMEDIATE');
    try {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
      if (!done) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}

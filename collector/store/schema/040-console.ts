/**
 * Console tables: marketer accounts, their sessions (only a hash of the token is stored), a
 * marker row that makes the one-time set-up atomic, and daily tier snapshots for "since last week".
 */
import type { FeatureMigration } from './index.ts';

export const consoleMigration: FeatureMigration = {
  version: 40,
  name: 'console',
  sql: `
CREATE TABLE console_users (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL, created_by TEXT NOT NULL
);
CREATE TABLE console_sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions(user_id);
CREATE TABLE console_setup (id TEXT PRIMARY KEY, at BIGINT NOT NULL);
CREATE TABLE console_tier_snapshots (
  site_id TEXT NOT NULL, day TEXT NOT NULL, tier TEXT NOT NULL, customers BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL, PRIMARY KEY (site_id, day, tier)
)`,
};

/**
 * Loyalty tables, portable SQL. The ledger is append-only; (site, ref, kind) is unique so an
 * order earns once and is reversed once, a code is redeemed once, a lot expires once.
 */
import type { FeatureMigration } from './index.ts';

export const loyaltyMigration: FeatureMigration = {
  version: 30,
  name: 'loyalty',
  sql: `
CREATE TABLE loyalty_ledger (
  site_id TEXT NOT NULL, id TEXT NOT NULL, profile_id TEXT NOT NULL, kind TEXT NOT NULL,
  points BIGINT NOT NULL, spend DOUBLE PRECISION NOT NULL, reason TEXT NOT NULL, ref TEXT NOT NULL,
  at BIGINT NOT NULL, expires_at BIGINT,
  PRIMARY KEY (site_id, id),
  UNIQUE (site_id, ref, kind)
);
CREATE INDEX loyalty_ledger_profile ON loyalty_ledger (site_id, profile_id, at);
CREATE TABLE loyalty_codes (
  site_id TEXT NOT NULL, code TEXT NOT NULL, profile_id TEXT NOT NULL, reward_id TEXT NOT NULL,
  entry_id TEXT NOT NULL, discount TEXT NOT NULL, min_order DOUBLE PRECISION NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT, used_ref TEXT,
  PRIMARY KEY (site_id, code)
);
CREATE INDEX loyalty_codes_profile ON loyalty_codes (site_id, profile_id);
`,
};

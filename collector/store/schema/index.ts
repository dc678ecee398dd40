/**
 * Schema migrations of feature modules, in portable SQL (see SqlRunner), applied at start by
 * both stores after the core schema, forward only. Each feature adds one file and one line here.
 *
 * `PROFILE_TABLES` lists every feature table with a profile column: merges move those rows to
 * the surviving profile and erasure deletes them, so no feature can forget a customer's data.
 */
import { loyaltyMigration } from './030-loyalty.ts';

export interface FeatureMigration {
  /** Unique across all features; applied in ascending order after the core schema. */
  version: number;
  name: string;
  /** Statements separated by `;` — portable SQL. */
  sql: string;
  /** A dialect-specific override when portable SQL cannot express it. */
  postgres?: string;
}

import { consoleMigration } from './040-console.ts';

export const FEATURE_MIGRATIONS: FeatureMigration[] = [
  loyaltyMigration,
  consoleMigration,
];

export const PROFILE_TABLES: { table: string; column: string }[] = [
  { table: 'loyalty_ledger', column: 'profile_id' },
  { table: 'loyalty_codes', column: 'profile_id' },
];

/**
 * PostgreSQL schema: the SQLite core schema (collector/store/sqlite/migrations.ts) translated —
 * BIGINT epoch ms, DOUBLE PRECISION money, JSON kept as TEXT (the store parses it in JS; the
 * database never looks inside, and TEXT is cheaper to write than JSONB) — then every feature
 * migration. Versioned and forward only; all of it runs in one transaction behind an advisory
 * lock, so two instances starting at once apply each migration exactly once.
 */
import { FEATURE_MIGRATIONS } from '../schema/index.ts';
import type { Sql } from './sql.ts';

export interface PgMigration { version: number; name: string; sql: string }

export const CORE: PgMigration[] = [
  {
    version: 1,
    name: 'core',
    sql: `
CREATE TABLE sites (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, settings TEXT NOT NULL, created_at BIGINT NOT NULL
);
CREATE TABLE site_keys (
  key TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), kind TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT
);
CREATE INDEX site_keys_site ON site_keys(site_id, kind);
CREATE TABLE profiles (
  site_id TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT, traits TEXT NOT NULL, stats TEXT NOT NULL,
  scores TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE TABLE identities (
  site_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, profile_id TEXT NOT NULL,
  created_at BIGINT NOT NULL, PRIMARY KEY (site_id, kind, value)
);
CREATE INDEX identities_profile ON identities(site_id, profile_id);
CREATE INDEX identities_value ON identities(site_id, value);
CREATE TABLE merges (
  site_id TEXT NOT NULL, from_id TEXT NOT NULL, into_id TEXT NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (site_id, from_id)
);
CREATE INDEX merges_into ON merges(site_id, into_id);
CREATE TABLE events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY, site_id TEXT NOT NULL, source TEXT NOT NULL,
  message_id TEXT NOT NULL, profile_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT,
  anonymous_id TEXT, user_id TEXT, ts BIGINT NOT NULL, received_at BIGINT NOT NULL,
  trusted INTEGER NOT NULL, bot INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (site_id, seq)
);
CREATE UNIQUE INDEX events_dedupe ON events(site_id, source, message_id);
CREATE INDEX events_profile ON events(site_id, profile_id, ts);
CREATE TABLE orders (
  site_id TEXT NOT NULL, order_id TEXT NOT NULL, profile_id TEXT NOT NULL, ts BIGINT NOT NULL,
  amount DOUBLE PRECISION NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, items TEXT NOT NULL,
  PRIMARY KEY (site_id, order_id)
);
CREATE INDEX orders_profile ON orders(site_id, profile_id, ts);
CREATE TABLE offers (
  site_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
  data TEXT NOT NULL, updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL,
  PRIMARY KEY (site_id, id)
);
CREATE TABLE offer_versions (
  site_id TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL,
  updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (site_id, id, version)
);
CREATE TABLE decisions (
  site_id TEXT NOT NULL, id TEXT NOT NULL, profile_id TEXT NOT NULL, placement TEXT NOT NULL,
  offer_id TEXT, offer_version INTEGER, arm TEXT NOT NULL, holdout INTEGER NOT NULL,
  session_id TEXT, created_at BIGINT NOT NULL, PRIMARY KEY (site_id, id)
);
CREATE INDEX decisions_profile ON decisions(site_id, profile_id, created_at);
CREATE TABLE outcomes (
  site_id TEXT NOT NULL, decision_id TEXT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL, PRIMARY KEY (site_id, decision_id, kind)
);
CREATE TABLE bandit (
  site_id TEXT NOT NULL, offer_id TEXT NOT NULL, arm TEXT NOT NULL, trials BIGINT NOT NULL,
  conversions BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL, PRIMARY KEY (site_id, offer_id, arm)
);
CREATE TABLE shop_models (site_id TEXT PRIMARY KEY, data TEXT NOT NULL, fitted_at BIGINT NOT NULL);
`,
  },
  {
    // No reader looks an event up by (site_id, seq): that primary key was one index entry per
    // ingested event for nothing. The duplicate check's unique key becomes the primary key; seq
    // stays (identity, still increasing) for keyset paging through events_profile. Both steps are
    // catalog-only (the columns are NOT NULL already), quick on any table size.
    version: 2,
    name: 'events-keyed-by-message',
    sql: `
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_dedupe;
`,
  },
  {
    // A try for advisory locks that fails the transaction when one is held elsewhere (SQLSTATE
    // IDL01), so it needs no answer: sent in one packet with the statement behind it, which never
    // runs when the try failed (tx.ts, lock). Created in the deployment's own schema.
    version: 3,
    name: 'try-locks-or-fail',
    sql: `
CREATE FUNCTION idic_try_locks(keys TEXT[]) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (SELECT bool_and(pg_try_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest(keys) AS k) THEN
    RAISE EXCEPTION 'advisory lock held by another transaction' USING ERRCODE = 'IDL01';
  END IF;
END $$;
`,
  },
];

/** Every migration this build knows, core first, then features in version order. */
export function allMigrations(): PgMigration[] {
  const features = [...FEATURE_MIGRATIONS].sort((a, b) => a.version - b.version)
    .map((m) => ({ version: m.version, name: m.name, sql: m.postgres ?? m.sql }));
  return [...CORE, ...features];
}

/** Apply what is missing; returns the versions applied now. */
export async function migrate(sql: Sql, schema: string | null, migrations = allMigrations()): Promise<number[]> {
  if (schema) {
    // Creating the same schema from two processes at once can race on the catalog; the loser retries.
    try { await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`); } catch { await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`); }
  }
  return sql.begin(async (tx) => {
    // One lock per schema: instances of other deployments in the same database do not wait.
    await tx.unsafe(`SELECT pg_advisory_xact_lock(hashtextextended('idic.migrate.' || current_schema(), 0))`);
    await tx.unsafe('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await tx.unsafe('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx.unsafe('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      applied.push(m.version);
    }
    return applied;
  }) as Promise<number[]>;
}

/** True when every known migration is recorded: the readiness check. */
export async function migrationsApplied(sql: Sql): Promise<boolean> {
  const rows = await sql.unsafe('SELECT version FROM schema_migrations');
  const have = new Set(rows.map((r) => Number(r.version)));
  return allMigrations().every((m) => have.has(m.version));
}

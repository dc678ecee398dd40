/**
 * PostgreSQL for tests: `IDIC_TEST_DATABASE_URL` (CI: postgres://postgres@127.0.0.1:5432/test).
 * Every test file works in a fresh schema, dropped afterwards, so files run side by side.
 * Unset outside CI → the PostgreSQL tests skip with a message; under CI=true they fail.
 */
import postgres from 'postgres';
import { openPostgresStore, type PostgresStore } from '../../collector/store/postgres/index.ts';

export const TEST_DATABASE_URL = process.env.IDIC_TEST_DATABASE_URL ?? (process.env.CI === 'true' ? 'postgres://postgres@127.0.0.1:5432/test' : undefined);

/** null when PostgreSQL tests can run; a reason to skip when not configured (never under CI). */
export async function postgresUnavailable(): Promise<string | null> {
  if (!TEST_DATABASE_URL) return 'PostgreSQL tests skipped: set IDIC_TEST_DATABASE_URL=postgres://user@host:5432/db to run them';
  const sql = postgres(TEST_DATABASE_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return null;
  } catch (err) {
    // Configured (or CI) but unreachable is a failure, not a skip.
    throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} is not reachable: ${(err as Error).message}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A URL naming a new, empty schema, and a function that drops it. */
export function freshSchema(prefix = 't'): { url: string; schema: string; drop(): Promise<void> } {
  const schema = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const u = new URL(TEST_DATABASE_URL!);
  u.searchParams.set('search_path', schema);
  return {
    url: u.toString(), schema,
    async drop() {
      const sql = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      try { await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); } finally { await sql.end({ timeout: 1 }); }
    },
  };
}

export async function openTestPostgres(): Promise<{ store: PostgresStore; dispose(): Promise<void> }> {
  const s = freshSchema();
  const store = await openPostgresStore(s.url);
  return { store, async dispose() { await store.close(); await s.drop(); } };
}

/**
 * Choose the store from configuration: `IDIC_DATABASE_URL=postgres://…` selects PostgreSQL;
 * otherwise a SQLite file (`--db PATH`, `IDIC_DB`, or ./idic.db).
 */
import type { Store } from './types.ts';
import { openSqliteStore, type SqliteOptions } from './sqlite/index.ts';

export async function openStore(path?: string, sqlite: SqliteOptions = {}): Promise<Store> {
  // Empty variables count as unset (`IDIC_DATABASE_URL= idic serve` means SQLite).
  const url = path || process.env.IDIC_DATABASE_URL || process.env.IDIC_DB || 'idic.db';
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import('./postgres/index.ts');
    return openPostgresStore(url);
  }
  return openSqliteStore(url, sqlite);
}

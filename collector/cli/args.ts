/** Small helpers shared by the CLI commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openStore } from '../store/open.ts';
import type { SqliteOptions } from '../store/sqlite/index.ts';
import { findCustomer } from '../services/identity.ts';
import type { Site } from '../store/types.ts';
import type { Profile } from '../profile.ts';

export class CliError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' }, site: { type: 'string' }, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** The database: --db PATH, else IDIC_DATABASE_URL (postgres://…), else IDIC_DB, else ./idic.db. */
export function dbFrom(values: { db?: string | boolean }, sqlite: SqliteOptions = {}) {
  return openStore(typeof values.db === 'string' ? values.db : undefined, sqlite);
}

export async function siteFrom(store: Awaited<ReturnType<typeof dbFrom>>, site: string | undefined) {
  const sites = await store.listSites();
  if (site) {
    const s = sites.find((x) => x.id === site || x.name === site);
    if (!s) throw new CliError(`no site "${site}"; sites: ${sites.map((x) => x.name).join(', ') || 'none'}`);
    return s;
  }
  if (sites.length === 1) return sites[0];
  if (sites.length === 0) throw new CliError('no site yet: create one with `idic site create --name NAME --origin URL`');
  throw new CliError(`several sites; pick one with --site (${sites.map((x) => x.name).join(', ')})`);
}

/** The customer behind any of their ids (as `findCustomer` resolves them), or a CliError naming the id. */
export async function customerFrom(store: Awaited<ReturnType<typeof dbFrom>>, site: Site, id: string) {
  const p = await findCustomer(store, site.id, id);
  if (!p) throw new CliError(`no customer with id "${id}" in site ${site.name}`);
  return p;
}

/**
 * The shape every per-customer command shares: the id argument, the store (always closed), the
 * site, and the customer behind the id.
 */
export async function withCustomer(
  values: { db?: string | boolean; site?: string | boolean }, positionals: string[], usage: string,
  run: (c: { store: Awaited<ReturnType<typeof dbFrom>>; site: Site; customer: Profile }) => Promise<void>,
): Promise<void> {
  const id = positionals[0];
  if (!id) throw new CliError(`usage: ${usage}`);
  const store = await dbFrom(values);
  try {
    const site = await siteFrom(store, typeof values.site === 'string' ? values.site : undefined);
    await run({ store, site, customer: await customerFrom(store, site, id) });
  } finally {
    await store.close();
  }
}

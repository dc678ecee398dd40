/** Small helpers shared by the CLI commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openStore } from '../store/open.ts';
import type { SqliteOptions } from '../store/sqlite/index.ts';
import { findCustomer } from '../services/identity.ts';
import type { Site } from '../store/types.ts';
import type { Profile } from '../profile.ts';

/** A refusal the user can act on: printed as one line; exit 2 for usage, 1 for the environment. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' }, site: { type: 'string' }, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** The database: --db PATH, else IDIC_DATABASE_URL (postgres://…), else IDIC_DB, else ./idic.db. */
export async function dbFrom(values: { db?: string | boolean }, sqlite: SqliteOptions = {}) {
  const path = typeof values.db === 'string' ? values.db : undefined;
  try {
    return await openStore(path, sqlite);
  } catch (e) {
    const where = path ?? process.env.IDIC_DATABASE_URL ?? process.env.IDIC_DB ?? 'idic.db';
    // A URL's password stays out of the message.
    throw new CliError(`cannot open the database ${where.replace(/\/\/[^@/]*@/, '//…@')}: ${(e as Error).message.split('\n')[0]}`, 1);
  }
}

export async function siteFrom(store: Awaited<ReturnType<typeof dbFrom>>, site: string | undefined) {
  const sites = await store.listSites();
  if (site) {
    const byId = sites.find((x) => x.id === site);
    if (byId) return byId;
    const named = sites.filter((x) => x.name === site);
    if (named.length > 1) throw new CliError(`several sites are named "${site}"; pick one by id: ${named.map((x) => x.id).join(', ')}`);
    if (!named.length) throw new CliError(`no site "${site}"; sites: ${sites.map((x) => x.name).join(', ') || 'none'}`);
    return named[0];
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

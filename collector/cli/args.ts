/** Small helpers shared by the CLI commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
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

/** The command's options (plus --db, --json, --site) and at most `positionals` plain arguments. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' }, site: { type: 'string' }, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    // `--until --db x` or a trailing `--until`: node's message runs to three lines.
    const flag = /^Option '(-[^\s']+)/.exec((e as Error).message);
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag && /missing|ambiguous/.test((e as Error).message)) throw new CliError(`${flag[1]} needs a value`);
    throw new CliError((e as Error).message.split('\n')[0]);
  }
  // An argument no command reads (`idic fit 1998-06-30` for --until) is refused, not ignored.
  const extra = parsed.positionals[positionals];
  if (extra !== undefined) throw new CliError(`unexpected argument "${extra}"`);
  return parsed;
}

/**
 * The database: --db PATH, else IDIC_DATABASE_URL (postgres://…), else IDIC_DB, else ./idic.db.
 * `existing`: for commands that need a site, a SQLite file that is not there is refused rather than
 * created (a mistyped --db would otherwise leave an empty database behind).
 */
export async function dbFrom(values: { db?: string | boolean }, sqlite: SqliteOptions = {}, opts: { existing?: boolean } = {}) {
  const path = typeof values.db === 'string' ? values.db : undefined;
  // As openStore picks it: empty values count as unset.
  const where = path || process.env.IDIC_DATABASE_URL || process.env.IDIC_DB || 'idic.db';
  if (!/^postgres(ql)?:\/\//.test(where) && where !== ':memory:') {
    if (existsSync(where) && statSync(where).isDirectory()) throw new CliError(`cannot open the database ${where}: it is a directory`, 1);
    if (opts.existing && !existsSync(where) && existsSync(dirname(where))) {
      throw new CliError(`cannot open the database ${where}: no such file (\`idic site create --name NAME --origin URL --db ${where}\` makes one)`, 1);
    }
  }
  try {
    return await openStore(path, sqlite);
  } catch (e) {
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
  const store = await dbFrom(values, {}, { existing: true });
  try {
    const site = await siteFrom(store, typeof values.site === 'string' ? values.site : undefined);
    await run({ store, site, customer: await customerFrom(store, site, id) });
  } finally {
    await store.close();
  }
}

/** Sites are the tenants: each has a public write key and a secret key. */
import { randomBytes } from 'node:crypto';
import type { Site, Store } from '../store/types.ts';
import { HttpError } from '../http/errors.ts';
import { siteSettings, type SiteSettings, type SiteSettingsInput } from '../settings.ts';

const key = (prefix: string, bytes: number) => prefix + randomBytes(bytes).toString('base64url');

export async function createSite(store: Store, input: { name: string; settings?: SiteSettingsInput; id?: string }, newId: () => string, now: number): Promise<Site> {
  const site: Site = {
    id: input.id ?? newId(), name: input.name, writeKey: key('wk_', 18), secretKey: key('sk_', 24),
    settings: siteSettings.parse(input.settings ?? {}), createdAt: now,
  };
  await store.createSite(site);
  return site;
}

/** Thrown when a settings patch does not validate; carries zod's issues for the route to report. */
export class InvalidSettingsError extends Error {
  constructor(readonly error: import('zod').ZodError) { super('invalid settings'); }
}

/**
 * Apply a partial settings change (a PATCH): nested objects merge field by field — changing
 * `decide.exploration` keeps the other decide settings — arrays and values replace. Validated as a
 * whole before anything is saved.
 */
/** A patch named settings that do not exist (a typo would otherwise be dropped without a word): a 400 naming each. */
export class UnknownSettingsError extends HttpError {
  constructor(readonly paths: string[]) {
    super(400, 'unknown_setting', `unknown setting${paths.length > 1 ? 's' : ''}: ${paths.join(', ')}`, paths.map((path) => ({ path, message: 'no such setting' })));
  }
}

/** Refuse what `input` names that the schema dropped from `parsed` (at most ten paths named). */
export function refuseUnknownKeys(input: unknown, parsed: unknown, prefix = ''): void {
  const unknown = keysNotIn(input, parsed, prefix);
  if (unknown.length) throw new UnknownSettingsError(unknown.slice(0, 10));
}

export async function updateSiteSettings(store: Store, site: Site, patch: unknown): Promise<SiteSettings> {
  return changeSiteSettings(store, site.id, (current) => {
    const parsed = siteSettings.safeParse(mergeDeep(current, patch));
    if (!parsed.success) throw new InvalidSettingsError(parsed.error);
    refuseUnknownKeys(patch, parsed.data);
    return parsed.data;
  });
}

/**
 * Read, change and save a site's settings in one transaction under the site's settings lock. The
 * change applies to the settings as stored, not to the copy a caller's (cached) site holds: two
 * changes sent at once (a settings patch and a reward saved, say) both land — applied to a stale
 * copy, the second to save silently undid the first. `change` may throw to refuse; nothing is saved.
 */
export async function changeSiteSettings(store: Store, siteId: string, change: (current: SiteSettings) => SiteSettings): Promise<SiteSettings> {
  return store.write(async (tx) => {
    await tx.lock([`${siteId}|settings`]);
    const { rows } = await tx.query('SELECT settings FROM sites WHERE id = ?', [siteId]);
    if (!rows[0]) throw new Error(`no site ${siteId}`);
    const next = change(siteSettings.parse(JSON.parse(String(rows[0].settings))));
    await tx.query('UPDATE sites SET settings = ? WHERE id = ?', [JSON.stringify(next), siteId]);
    return next;
  });
}

const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Paths of `patch` the parsed settings dropped: the schema strips what it does not know. */
function keysNotIn(patch: unknown, parsed: unknown, at: string): string[] {
  if (!isPlain(patch) || !isPlain(parsed)) return [];
  // Own keys only: `constructor` or `toString` are in every object, and no setting's names.
  return Object.entries(patch).flatMap(([k, v]) => (Object.hasOwn(parsed, k) ? keysNotIn(v, parsed[k], `${at}${k}.`) : [`${at}${k}`]));
}

function mergeDeep(base: unknown, patch: unknown): unknown {
  if (!isPlain(base) || !isPlain(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) if (k !== '__proto__' && k !== 'constructor') out[k] = mergeDeep(base[k], v);
  return out;
}

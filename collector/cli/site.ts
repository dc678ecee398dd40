/**
 * idic site create --name NAME --origin URL [--origin URL…] [--currency VND] [--locale vi-VN]
 *   [--utc-offset +07:00] [--no-verify] [--db PATH] [--json]   (a negative offset: --utc-offset=-05:00)
 * Creates a site and prints its keys. The shop's currency, locale and time zone default to a
 * Vietnamese shop's (VND, vi-VN, UTC+07:00). --no-verify turns off the userHash check on browser calls
 * that name a customer (settings.verifyIdentity), for shops without a backend to sign ids.
 */
import { newUlidFactory } from '../ids.ts';
import { siteSettings } from '../settings.ts';
import { loyaltyDefaultsFor } from '../loyalty/settings.ts';
import { createSite } from '../services/sites.ts';
import { dbFrom, parse, CliError } from './args.ts';

export async function siteCommand(argv: string[]) {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new CliError('usage: idic site create --name NAME --origin URL [--json]');
  const { values } = parse(rest, {
    name: { type: 'string' }, origin: { type: 'string', multiple: true }, 'no-verify': { type: 'boolean' },
    currency: { type: 'string' }, locale: { type: 'string' }, 'utc-offset': { type: 'string' },
  });
  if (!values.name?.trim()) throw new CliError('--name is required');
  const offset = values['utc-offset'] === undefined ? undefined : utcOffsetMinutes(values['utc-offset']);
  if (Number.isNaN(offset)) throw new CliError(`--utc-offset: write it as +07:00, -05:30 (--utc-offset=-05:30) or minutes east of UTC, got "${values['utc-offset']}"`);
  const settings = siteSettings.safeParse({
    origins: values.origin ?? [], verifyIdentity: !values['no-verify'],
    ...(values.currency !== undefined && { currency: values.currency.trim().toUpperCase(), loyalty: loyaltyDefaultsFor(values.currency.trim().toUpperCase()) }),
    ...(values.locale !== undefined && { locale: values.locale.trim() }),
    ...(offset !== undefined && { utcOffsetMinutes: offset }),
  });
  const flag: Record<string, string> = { origins: '--origin', currency: '--currency', locale: '--locale', utcOffsetMinutes: '--utc-offset' };
  if (!settings.success) throw new CliError(settings.error.issues.map((i) => `${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '));
  const store = await dbFrom(values);
  try {
    const same = (await store.listSites()).find((x) => x.name === values.name!.trim());
    // Commands pick a site by name (--site NAME): two of one name would make that a guess.
    if (same) throw new CliError(`a site named "${same.name}" exists already (id ${same.id}); choose another name`);
    const site = await createSite(store, { name: values.name.trim(), settings: settings.data }, newUlidFactory(), Date.now());
    const out = { siteId: site.id, name: site.name, writeKey: site.writeKey, secretKey: site.secretKey, origins: site.settings.origins };
    if (values.json) console.log(JSON.stringify(out));
    else console.log(`Site "${site.name}" created.\n  site id:    ${site.id}\n  write key:  ${site.writeKey}   (public: put it in the script tag)\n  secret key: ${site.secretKey}   (keep it on your server)\n  origins:    ${site.settings.origins.join(', ') || '(none: browsers are refused until you add one)'}\n  shop:       ${site.settings.currency}, ${site.settings.locale}, UTC${formatOffset(site.settings.utcOffsetMinutes)}   (change with --currency, --locale, --utc-offset, or PATCH /v1/admin/site/settings)`);
  } finally {
    await store.close();
  }
}

/** "+07:00", "-05:30", "+7" (signed hours) or plain minutes east of UTC ("420") → minutes; NaN otherwise. */
function utcOffsetMinutes(v: string): number {
  const hours = /^([+-])(\d{1,2})(?::(\d{2}))?$/.exec(v.trim());
  if (hours) return (hours[1] === '-' ? -1 : 1) * (Number(hours[2]) * 60 + Number(hours[3] ?? 0));
  return /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
}

const formatOffset = (min: number) => `${min < 0 ? '-' : '+'}${String(Math.floor(Math.abs(min) / 60)).padStart(2, '0')}:${String(Math.abs(min) % 60).padStart(2, '0')}`;

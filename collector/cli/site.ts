/**
 * idic site create --name NAME --origin URL [--origin URL…] [--no-verify] [--db PATH] [--json]
 * Creates a site and prints its keys. --no-verify turns off the userHash check on browser calls
 * that name a customer (settings.verifyIdentity), for shops without a backend to sign ids.
 */
import { newUlidFactory } from '../ids.ts';
import { siteSettings } from '../settings.ts';
import { createSite } from '../services/sites.ts';
import { dbFrom, parse, CliError } from './args.ts';

export async function siteCommand(argv: string[]) {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new CliError('usage: idic site create --name NAME --origin URL [--json]');
  const { values } = parse(rest, { name: { type: 'string' }, origin: { type: 'string', multiple: true }, 'no-verify': { type: 'boolean' } });
  if (!values.name?.trim()) throw new CliError('--name is required');
  const settings = siteSettings.safeParse({ origins: values.origin ?? [], verifyIdentity: !values['no-verify'] });
  if (!settings.success) throw new CliError(settings.error.issues.map((i) => `--origin: ${i.message}`).join('; '));
  const store = await dbFrom(values);
  try {
    const site = await createSite(store, { name: values.name.trim(), settings: settings.data }, newUlidFactory(), Date.now());
    const out = { siteId: site.id, name: site.name, writeKey: site.writeKey, secretKey: site.secretKey, origins: site.settings.origins };
    if (values.json) console.log(JSON.stringify(out));
    else console.log(`Site "${site.name}" created.\n  site id:    ${site.id}\n  write key:  ${site.writeKey}   (public: put it in the script tag)\n  secret key: ${site.secretKey}   (keep it on your server)\n  origins:    ${site.settings.origins.join(', ') || '(none: browsers are refused until you add one)'}`);
  } finally {
    await store.close();
  }
}

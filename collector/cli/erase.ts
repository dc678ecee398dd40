/** idic erase <id> --yes [--site S] [--db PATH] [--json] — erase one customer, by any of their ids. */
import { parse, withCustomer, CliError } from './args.ts';
import { eraseCustomer } from '../services/privacy.ts';

export async function eraseCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { yes: { type: 'boolean' } }, 1);
  await withCustomer(values, positionals, 'idic erase <id> --yes [--site S] [--json]', async ({ store, site, customer: p }) => {
    if (!values.yes) throw new CliError(`this erases customer ${p.id}${p.userId ? ` (user ${p.userId})` : ''} and all ${p.identities.length} of their ids for good; add --yes to do it`);
    const r = await eraseCustomer(store, site, p.id);
    if (values.json) console.log(JSON.stringify({ erased: true, ...r }));
    else {
      const rows = Object.entries(r.deleted).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ');
      console.log(`Erased customer ${r.profileId}: ${r.ids.length} ids; rows deleted: ${rows}`);
    }
  });
}

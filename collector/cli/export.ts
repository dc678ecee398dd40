/** idic export <id> [--site S] [--db PATH] [--out FILE] — everything held about one customer, as JSON. */
import { writeFileSync } from 'node:fs';
import { customerFrom, dbFrom, parse, siteFrom, CliError } from './args.ts';
import { exportCustomer } from '../services/privacy.ts';

export async function exportCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { out: { type: 'string' } });
  const id = positionals[0];
  if (!id) throw new CliError('usage: idic export <id> [--site S] [--out FILE]');
  const store = await dbFrom(values);
  try {
    const site = await siteFrom(store, values.site);
    const p = await customerFrom(store, site, id);
    const text = JSON.stringify(await exportCustomer(store, site, p, Date.now()), null, 2);
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`wrote ${values.out}`);
    } else console.log(text);
  } finally {
    await store.close();
  }
}

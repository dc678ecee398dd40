/** idic export <id> [--site S] [--db PATH] [--out FILE] — everything held about one customer, as JSON. */
import { writeFileSync } from 'node:fs';
import { parse, withCustomer } from './args.ts';
import { exportCustomer } from '../services/privacy.ts';

export async function exportCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { out: { type: 'string' } }, 1);
  await withCustomer(values, positionals, 'idic export <id> [--site S] [--out FILE]', async ({ store, site, customer: p }) => {
    const text = JSON.stringify(await exportCustomer(store, site, p, Date.now()), null, 2);
    if (values.out) {
      writeFileSync(values.out, text);
      console.error(`wrote ${values.out}`);
    } else console.log(text);
  });
}

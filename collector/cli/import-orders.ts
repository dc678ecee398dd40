/**
 * idic import-orders <file.csv> [--site S] [--db PATH] [--json]
 * Import historical orders (customer_id, order_date, amount; optional order_id, quantity,
 * category, currency). Bad rows are reported with their line numbers and skipped, good rows are
 * kept; importing the same file again changes nothing. Touched profiles are rescored with the
 * site's current model; run `idic fit` to refit it on the new history.
 */
import { readFileSync } from 'node:fs';
import { importOrders, parseOrdersCsv } from '../services/orders-import.ts';
import { rescoreProfiles } from '../services/refit.ts';
import { CliError, dbFrom, parse, siteFrom } from './args.ts';
import { cliServices } from './fit.ts';

/** Rows listed on stderr; the rest are counted. */
const SHOW_ERRORS = 20;

export async function importOrdersCommand(argv: string[]) {
  const { values, positionals } = parse(argv, {}, 1);
  const file = positionals[0];
  if (!file) throw new CliError('usage: idic import-orders <file.csv> [--site S] [--db PATH] [--json]');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // A spreadsheet or archive instead of its CSV export: its first "line" would fill the screen.
  if (text.includes('\0')) throw new CliError(`${file}: not a CSV file (binary data; save it as CSV, UTF-8)`);
  // A big write: WAL checkpoints from a worker thread, as in `idic serve`, instead of inside its commits.
  const store = await dbFrom(values, { backgroundCheckpoints: true }, { existing: true });
  try {
    const site = await siteFrom(store, values.site);
    const svc = await cliServices(store, site.id);
    let parsed;
    try {
      parsed = parseOrdersCsv(text, { utcOffsetMinutes: site.settings.utcOffsetMinutes, currency: site.settings.currency, now: Date.now() });
    } catch (e) {
      throw new CliError(`${file}: ${(e as Error).message}`);
    }
    for (const e of parsed.errors.slice(0, SHOW_ERRORS)) console.error(`${file}:${e.line}: ${e.reason}`);
    if (parsed.errors.length > SHOW_ERRORS) console.error(`… and ${parsed.errors.length - SHOW_ERRORS} more bad rows`);
    const big = parsed.orders.length > 20_000;
    const report = await importOrders(svc, site, parsed, {
      onProgress: big ? (done, total) => console.error(`imported ${done.toLocaleString('en')} / ${total.toLocaleString('en')} orders`) : undefined,
    });
    const t = performance.now();
    const rescored = await rescoreProfiles(svc, site, svc.model(site.id), { ids: report.profileIds });
    const rescoreMs = performance.now() - t;
    const { profileIds, errors, ...rest } = report;
    const out = { file, ...rest, ordersPerSecond: Math.round(report.imported / (report.ms / 1000 || 1)), errors, profilesUpdated: profileIds.length, rescored, rescoreMs };
    if (values.json) {
      console.log(JSON.stringify(out));
      return;
    }
    const n = (v: number) => v.toLocaleString('en');
    console.log(`${file}: ${n(report.rows)} rows — ${n(report.imported)} orders imported, ${n(report.duplicates)} already known, ${n(report.rejected)} rejected`);
    console.log(`  ${n(report.customers)} customers (${n(report.profilesCreated)} new profiles) in ${(report.ms / 1000).toFixed(2)} s — ${n(out.ordersPerSecond)} orders/s`);
    console.log(`  rescored ${n(rescored)} profiles in ${(rescoreMs / 1000).toFixed(2)} s${report.imported ? '; run `idic fit` to refit the shop model on this history' : ''}`);
  } finally {
    await store.close();
  }
}

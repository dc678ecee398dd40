/**
 * idic import-customers <file.csv|file.ndjson> [--format csv|ndjson] [--site S] [--db PATH] [--json]
 * Streams the file into the site's identity graph, a transaction per 1,000 rows, with a progress
 * line on stderr; prints the report (bad rows with line numbers). Exit code 1 if any row failed.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { newUlidFactory } from '../ids.ts';
import { dbFrom, parse, siteFrom, CliError } from './args.ts';
import type { Services } from '../services/context.ts';
import type { Store } from '../store/types.ts';
import { EMPTY_MODEL } from '../models/score.ts';
import { csvRows, ImportFileError, ndjsonRows } from '../services/identity-import-parse.ts';
import { importCustomers, type ImportReport } from '../services/identity-import.ts';

/** Services for commands that run without the HTTP app. */
export async function cliServices(store: Store, siteId: string): Promise<Services> {
  const model = (await store.getShopModel(siteId)) ?? EMPTY_MODEL;
  return {
    store, clock: { now: () => Date.now() }, newId: newUlidFactory(), random: Math.random,
    model: () => model, signingKey: '',
  };
}

export async function importCustomersCommand(argv: string[]) {
  const { values, positionals } = parse(argv, { format: { type: 'string' } }, 1);
  const file = positionals[0];
  if (!file) throw new CliError('usage: idic import-customers <file.csv|file.ndjson> [--format csv|ndjson] [--site S] [--json]');
  if (!existsSync(file)) throw new CliError(`no file ${file}`);
  if (statSync(file).isDirectory()) throw new CliError(`cannot read ${file}: EISDIR`);
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'ndjson') throw new CliError(`--format must be csv or ndjson, got "${values.format}"`);
  const format = values.format ?? (/\.(ndjson|jsonl)$/i.test(file) ? 'ndjson' : /\.csv$/i.test(file) ? 'csv' : null);
  if (format !== 'csv' && format !== 'ndjson') throw new CliError('cannot tell the format from the file name: pass --format csv or --format ndjson');
  const total = statSync(file).size;
  const store = await dbFrom(values, {}, { existing: true });
  try {
    const site = await siteFrom(store, values.site);
    const svc = await cliServices(store, site.id);
    const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
    const started = Date.now();
    const progress = (r: ImportReport) => {
      const secs = (Date.now() - started) / 1000;
      const line = `import: ${r.rows.toLocaleString('en')} rows (${(r.rows - r.failed).toLocaleString('en')} ok, ${r.failed} bad) ` +
        `${Math.round((input.bytesRead / Math.max(1, total)) * 100)}%  ${Math.round(r.rows / Math.max(secs, 0.001)).toLocaleString('en')} rows/s`;
      process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
    };
    let report: ImportReport;
    try {
      report = await importCustomers(svc, site, format === 'csv' ? csvRows(input) : ndjsonRows(input), { onProgress: progress });
    } catch (e) {
      if (e instanceof ImportFileError) throw new CliError(`${file}: ${e.message}`);
      throw e;
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    // As the HTTP import answers 400: a file with nothing in it is a mistake, not a success.
    if (report.rows === 0) throw new CliError(`${file}: the file has no rows to import`, 1);
    if (values.json) console.log(JSON.stringify(report));
    else console.log(describe(report, file));
    if (report.failed > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

function describe(r: ImportReport, file: string) {
  const lines = [
    `${file}: ${r.rows} rows — ${r.created} new customers, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failed} bad`,
    ...r.errors.map((e) => `  line ${e.line}: ${e.reason}`),
    ...r.conflicts.map((e) => `  line ${e.line} (${e.key}): ${e.reason}`),
  ];
  if (r.truncated) lines.push('  … more problems than listed');
  return lines.join('\n');
}

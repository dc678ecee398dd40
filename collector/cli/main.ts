/** idic — serve and administer the collector. The commands and their options: USAGE below. */
import { CliError } from './args.ts';
import { serveCommand } from './serve.ts';
import { siteCommand } from './site.ts';
import { profileCommand } from './profile.ts';
import { importOrdersCommand } from './import-orders.ts';
import { fitCommand } from './fit.ts';
import { importCustomersCommand } from './import-customers.ts';
import { exportCommand } from './export.ts';
import { eraseCommand } from './erase.ts';
import { userCommand } from './user.ts';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  serve: serveCommand,
  site: siteCommand,
  profile: profileCommand,
  'import-orders': importOrdersCommand,
  fit: fitCommand,
  'import-customers': importCustomersCommand,
  export: exportCommand,
  erase: eraseCommand,
  user: userCommand,
};

const USAGE = `usage: idic <command> [options]

  serve [--port 8787] [--host 127.0.0.1]         run the collector
  site create --name NAME --origin URL [--currency VND --locale vi-VN --utc-offset=+07:00] [--json]
                                                 create a site and print its keys
  profile <id> [--json]                          what is known of one customer, by any id
  import-orders <file.csv> [--json]              import historical orders (customer_id, order_date, amount, …)
  fit [--until YYYY-MM-DD] [--unit day|week] [--as-of YYYY-MM-DD] [--json]
                                                 fit the value models and rescore every customer
  import-customers <file.csv|.ndjson> [--json]   import existing customers (user_id, email, phone, …)
  export <id> [--out FILE]                       everything held about one customer, as JSON
  erase <id> --yes [--json]                      erase one customer and all their ids
  user create --email E --role owner|marketer|analyst [--password-stdin]   a console account

Options common to all: --db PATH (SQLite file; or set IDIC_DATABASE_URL=postgres://…), --site NAME|ID
\`idic <command> --help\` shows one command's options.`;

const COMMON = '  --db PATH        the SQLite file (default ./idic.db, or IDIC_DB); IDIC_DATABASE_URL=postgres://… for PostgreSQL';
const SITE = '  --site NAME|ID   which site, when the database holds several';

/** `idic <command> --help`: each command's options. */
const HELP: Record<string, string> = {
  serve: `usage: idic serve [--port 8787] [--host 127.0.0.1] [--db PATH]
  Run the collector over HTTP, refitting the shop models in the background.
  --port N         port to listen on (0 picks a free one; or PORT)
  --host H         address to listen on (or HOST; 0.0.0.0 behind a load balancer)
${COMMON}`,
  site: `usage: idic site create --name NAME --origin URL [--origin URL…] [--currency VND] [--locale vi-VN]
                        [--utc-offset=+07:00] [--no-verify] [--db PATH] [--json]
  Create a site and print its keys. The shop defaults to a Vietnamese one (VND, vi-VN, UTC+07:00).
  --origin URL     a shop origin browsers may call from (repeat for several)
  --utc-offset     +07:00, -05:30 or minutes east of UTC; a negative one as --utc-offset=-05:00
  --no-verify      accept browser identify calls without a userHash (shops without a backend)
${COMMON}`,
  profile: `usage: idic profile <id> [--site S] [--db PATH] [--json]
  What is known of one customer, by any of their ids: ids, orders, scores and their reasons.
${SITE}
${COMMON}`,
  'import-orders': `usage: idic import-orders <file.csv> [--site S] [--db PATH] [--json]
  Import historical orders: a header row with customer_id, order_date, amount (optional order_id,
  quantity, category, currency). Bad rows are listed and skipped; importing a file again changes nothing.
${SITE}
${COMMON}`,
  fit: `usage: idic fit [--until YYYY-MM-DD] [--unit day|week] [--as-of YYYY-MM-DD] [--site S] [--db PATH] [--json]
  Fit the value models (BG/NBD, Gamma-Gamma, tiers, RFM) on the site's orders and rescore every customer.
  --until DATE     calibration end: orders up to this day (default: now)
  --unit day|week  the time unit of the fit (default: the site's setting)
  --as-of DATE     score customers as of this day (default: now), e.g. for old history
${SITE}
${COMMON}`,
  'import-customers': `usage: idic import-customers <file.csv|file.ndjson> [--format csv|ndjson] [--site S] [--db PATH] [--json]
  Import existing customers (user_id, email, phone, …). Exit 1 if any row failed.
  --format         csv or ndjson, when the file name does not tell
${SITE}
${COMMON}`,
  export: `usage: idic export <id> [--out FILE] [--site S] [--db PATH]
  Everything held about one customer, as JSON (to stdout, or to FILE).
${SITE}
${COMMON}`,
  erase: `usage: idic erase <id> --yes [--site S] [--db PATH] [--json]
  Erase one customer and all their ids, for good.
${SITE}
${COMMON}`,
  user: `usage: idic user create --email E --role owner|marketer|analyst [--password-stdin] [--db PATH] [--json]
  Create a console account. The password (12+ characters) is asked for on the terminal, or with
  --password-stdin read from the first line of stdin.
${COMMON}`,
};

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log((command === 'help' && HELP[rest[0]]) || USAGE);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    console.log(HELP[command]);
    return;
  }
  await run(rest);
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof CliError) {
    console.error(`idic: ${e.message}`);
    process.exit(e.exitCode);
  }
  // The machine's refusals (a port in use, a full disk) need a line, not a stack; bugs keep theirs.
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    console.error(`idic: ${e.message}`);
    process.exit(1);
  }
  console.error(e);
  process.exit(1);
});

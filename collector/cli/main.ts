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

  serve [--port 8787] [--db idic.db]            run the collector
  site create --name NAME --origin URL [--currency VND --locale vi-VN --utc-offset=+07:00] [--json]
                                                 create a site and print its keys
  profile <id> [--json]                          what is known of one customer, by any id
  import-orders <file.csv> [--json]              import historical orders (customer_id, order_date, amount, …)
  fit [--until YYYY-MM-DD] [--unit week] [--json] fit the value models and rescore every customer
  import-customers <file.csv|.ndjson> [--json]   import existing customers (user_id, email, phone, …)
  export <id> [--out FILE]                       everything held about one customer, as JSON
  erase <id> --yes [--json]                      erase one customer and all their ids
  user create --email E --role owner|marketer|analyst [--password-stdin]   a console account

Options common to all: --db PATH (SQLite file; or set IDIC_DATABASE_URL=postgres://…), --site NAME|ID`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
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

/**
 * idic user create --email E --role owner|marketer|analyst [--password-stdin]
 * Creates a console account. Without --password-stdin the password is asked for on the
 * terminal (not echoed); with it, the first line of stdin is the password (for scripts).
 */
import { newUlidFactory } from '../ids.ts';
import { createInterface } from 'node:readline';
import { AccountError, accountInput, createAccount } from '../console/accounts.ts';
import { CliError, dbFrom, parse } from './args.ts';

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0];
  }
  if (!process.stdin.isTTY) throw new CliError('no terminal to ask for the password: pipe it with --password-stdin');
  const prompt = 'Password (12+ characters): ';
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo the prompt (readline redraws it, after clearing the line), never what is typed after it.
  (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput = (s) => {
    if (s.startsWith(prompt)) process.stdout.write(prompt);
  };
  let answered = false;
  try {
    return await new Promise<string>((ok, no) => {
      rl.question(prompt, (answer) => { answered = true; ok(answer); });
      // Ctrl-C and Ctrl-D would otherwise end the process with exit code 0, as if the account were made.
      rl.on('SIGINT', () => no(new CliError('cancelled', 130)));
      rl.on('close', () => { if (!answered) no(new CliError('no password given')); });
    });
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

export async function userCommand(argv: string[]) {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new CliError('usage: idic user create --email E --role owner|marketer|analyst [--password-stdin]');
  const { values } = parse(rest, { email: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } });
  // A wrong e-mail or role is said before the password is asked for, not after it was typed.
  const who = accountInput.pick({ email: true, role: true }).safeParse({ email: values.email ?? '', role: values.role ?? '' });
  if (!who.success) throw new CliError(who.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  const password = await readPassword(!!values['password-stdin']);
  const input = accountInput.safeParse({ email: values.email ?? '', role: values.role ?? '', password });
  if (!input.success) throw new CliError(input.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  const store = await dbFrom(values);
  try {
    const user = await createAccount(store, input.data, { newId: newUlidFactory(), now: Date.now(), by: 'cli' });
    if (values.json) console.log(JSON.stringify(user));
    else console.log(`Console account ${user.email} (${user.role}) created. Sign in at /admin on the collector.`);
  } catch (e) {
    if (e instanceof AccountError) throw new CliError(e.message);
    throw e;
  } finally {
    await store.close();
  }
}

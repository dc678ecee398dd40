/**
 * The `idic` command used carelessly or with hostile input: every refusal is one line naming the
 * problem with a non-zero exit, `--help` answers for every command, and a command that needs an
 * existing database never leaves a new one behind.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
let dir: string;
let db: string;

function idic(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(ROOT, 'bin/idic.mjs'), ...args], { cwd: dir, env: { ...process.env, IDIC_DATABASE_URL: '', IDIC_DB: '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

const oneLine = (r: { stderr: string }) => {
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^idic: /);
  expect(r.stderr.length, r.stderr).toBeLessThan(300);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'idic-cli-hostile-'));
  db = join(dir, 'shop.db');
  const r = await idic(['site', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--db', db, '--json']);
  expect(r.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('idic: hostile use', { timeout: 60_000 }, () => {
  it('--help prints the usage of every command and exits 0', async () => {
    for (const args of [['serve'], ['site'], ['site', 'create'], ['profile'], ['import-orders'], ['fit'], ['import-customers'], ['export'], ['erase'], ['user'], ['user', 'create']]) {
      for (const flag of ['--help', '-h']) {
        const r = await idic([...args, flag, '--db', join(dir, 'help.db')]);
        expect(r.code, `${args.join(' ')} ${flag}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^usage: idic ${args[0]}`));
        expect(r.stderr).toBe('');
      }
    }
    const fit = await idic(['help', 'fit']);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toMatch(/^usage: idic fit .*--until YYYY-MM-DD.*--unit day\|week.*--as-of YYYY-MM-DD/s);
    // Asking for help touched no database.
    expect(existsSync(join(dir, 'help.db'))).toBe(false);
  });

  it('a flag without its value is one line naming the flag', async () => {
    for (const [args, flag] of [[['fit', '--until', '--db', db], '--until'], [['export', 'x', '--out', '--db', db], '--out'], [['fit', '--unit', '--json', '--db', db], '--unit'], [['fit', '--db', db, '--until'], '--until']] as const) {
      const r = await idic([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r);
      expect(r.stderr).toMatch(new RegExp(`^idic: ${flag} needs a value`));
    }
  });

  it('an argument a command does not take is refused, not ignored', async () => {
    // `idic fit 1998-06-30` (for --until 1998-06-30) would otherwise fit on all history, silently.
    const before = readFileSync(db);
    for (const [args, extra] of [[['fit', '1998-06-30'], '1998-06-30'], [['profile', 'a', 'b'], 'b'], [['serve', '9000'], '9000']] as const) {
      const r = await idic([...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r);
      expect(r.stderr).toContain(`unexpected argument "${extra}"`);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('a command that needs a site leaves no database behind at a mistyped path; a directory is named as one', async () => {
    const typo = join(dir, 'shpo.db');
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, 'customer_id,order_date,amount\n1,1997-01-01,10\n');
    const customers = join(dir, 'customers.csv');
    writeFileSync(customers, 'user_id,email\nu1,a@b.example\n');
    for (const args of [['profile', '1'], ['export', '1'], ['erase', '1', '--yes'], ['fit'], ['import-orders', csv], ['import-customers', customers]]) {
      const r = await idic([...args, '--db', typo]);
      expect(r.code, args.join(' ')).toBe(1);
      oneLine(r);
      expect(r.stderr).toContain(`cannot open the database ${typo}: no such file`);
      expect(existsSync(typo), args.join(' ')).toBe(false);
    }
    // Nor through IDIC_DB, nor in the working directory by default.
    const viaEnv = await idic(['profile', '1'], { IDIC_DB: typo });
    expect(viaEnv.stderr).toContain(`cannot open the database ${typo}: no such file`);
    const byDefault = await idic(['fit']);
    expect(byDefault.stderr).toContain('cannot open the database idic.db: no such file');
    expect(existsSync(typo) || existsSync(join(dir, 'idic.db'))).toBe(false);

    const folder = join(dir, 'folder');
    mkdirSync(folder);
    for (const args of [['profile', '1'], ['site', 'create', '--name', 'X']]) {
      const r = await idic([...args, '--db', folder]);
      expect(r.code).toBe(1);
      oneLine(r);
      expect(r.stderr).toContain(`cannot open the database ${folder}: it is a directory`);
    }
    // An empty IDIC_DATABASE_URL counts as unset in the message too.
    const empty = await idic(['profile', '1'], { IDIC_DATABASE_URL: '', IDIC_DB: folder });
    expect(empty.stderr).toContain(`cannot open the database ${folder}: it is a directory`);
  });

  it('a wrong --role is refused before the password is asked for', async () => {
    const r = await idic(['user', 'create', '--email', 'x@shop.example', '--role', 'boss', '--db', db]);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toMatch(/^idic: --role: /);
  });

  it('import-orders refuses a binary file in one short line', async () => {
    const bin = join(dir, 'orders.xlsx');
    copyFileSync(process.execPath, bin);
    const r = await idic(['import-orders', bin, '--db', db]);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(`${bin}: not a CSV file (binary data`);
  });

  it('import-customers names a bad --format and a directory', async () => {
    writeFileSync(join(dir, 'c.csv'), 'user_id,email\nu1,a@b.example\n');
    const fmt = await idic(['import-customers', join(dir, 'c.csv'), '--format', 'xml', '--db', db]);
    expect(fmt.code).toBe(2);
    oneLine(fmt);
    expect(fmt.stderr).toContain('--format must be csv or ndjson, got "xml"');
    const folder = join(dir, 'exports.csv');
    mkdirSync(folder);
    const d = await idic(['import-customers', folder, '--db', db]);
    expect(d.code).toBe(2);
    oneLine(d);
    expect(d.stderr).toContain(`cannot read ${folder}: EISDIR`);
  });
});

/** The first line a terminal shows for `bytes` (carriage returns, ESC[nG and ESC[0J / ESC[K applied). */
function screenLine(bytes: string): string {
  let line = '';
  let col = 0;
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i];
    if (ch === '\n') break;
    if (ch === '\r') { col = 0; continue; }
    if (ch === '\x1b') {
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(bytes.slice(i));
      if (m) {
        if (m[2] === 'G') col = Number(m[1] || 1) - 1;
        if (m[2] === 'J' || m[2] === 'K') line = line.slice(0, col);
        i += m[0].length - 1;
        continue;
      }
    }
    line = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  }
  return line;
}

const hasScript = spawnSync('script', ['--version']).status === 0;

/** `idic user create` on a terminal (util-linux `script` gives it one), typing `keys`. */
function onTerminal(args: string[], keys: string): Promise<{ out: string; code: number }> {
  return new Promise((resolve) => {
    const cmd = [process.execPath, join(ROOT, 'bin/idic.mjs'), ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: { ...process.env, IDIC_DATABASE_URL: '' } });
    let out = '';
    let typed = false;
    child.stdout.on('data', (b) => {
      out += b;
      if (!typed && out.includes('Password')) {
        typed = true;
        setTimeout(() => child.stdin.write(keys), 200);
      }
    });
    child.on('close', (code) => resolve({ out, code: code ?? 1 }));
  });
}

// util-linux `script` (Debian's essential bsdutils) gives the command a terminal; under CI its absence fails.
describe.skipIf(!hasScript && process.env.CI !== 'true')('idic user create on a terminal', { timeout: 60_000 }, () => {
  it('keeps the password prompt on the screen and does not echo the password', async () => {
    const r = await onTerminal(['user', 'create', '--email', 'tty@shop.example', '--role', 'analyst', '--db', db], 'correct horse battery\r');
    expect(r.code).toBe(0);
    expect(screenLine(r.out)).toBe('Password (12+ characters): ');
    expect(r.out).not.toContain('correct horse');
    expect(r.out).toContain('Console account tty@shop.example (analyst) created.');
  });

  it('Ctrl-C or Ctrl-D at the prompt is a failure, not a success', async () => {
    const c = await onTerminal(['user', 'create', '--email', 'ctrlc@shop.example', '--role', 'analyst', '--db', db], '\x03');
    expect(c.code).toBe(130);
    expect(c.out).toContain('idic: cancelled');
    const d = await onTerminal(['user', 'create', '--email', 'ctrld@shop.example', '--role', 'analyst', '--db', db], '\x04');
    expect(d.code).toBe(2);
    expect(d.out).toContain('idic: no password given');
  });
});

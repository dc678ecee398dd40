/**
 * The `idic` command refuses in one line a person can act on, never with a stack trace: exit 2
 * for a wrong argument, 1 for the machine (a database that cannot be opened, a port in use).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
let dir: string;
let db: string;

function idic(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/idic.mjs'), ...args], { cwd: dir, env: { ...process.env, IDIC_DATABASE_URL: '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const oneLine = (r: { stderr: string }) => {
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^idic: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'idic-cli-errors-'));
  db = join(dir, 'shop.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('idic: errors in one line', () => {
  it('site create takes the shop currency, locale and time zone, and refuses a second site of the same name', async () => {
    const made = await idic(['site', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--currency', 'usd', '--locale', 'en-US', '--utc-offset=-05:00', '--db', db, '--json']);
    expect(made.code).toBe(0);
    const again = await idic(['site', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--db', db]);
    expect(again.code).toBe(2);
    oneLine(again);
    expect(again.stderr).toContain(`a site named "Shop" exists already (id ${JSON.parse(made.stdout).siteId})`);
    const bad = await idic(['site', 'create', '--name', 'Other', '--origin', 'https://shop.example', '--currency', 'dollars', '--utc-offset', '7h', '--db', db]);
    expect(bad.code).toBe(2);
    oneLine(bad);
    expect(bad.stderr).toContain('--utc-offset');
    const worse = await idic(['site', 'create', '--name', 'Other', '--origin', 'https://shop.example', '--currency', 'dollars', '--db', db]);
    expect(worse.stderr).toMatch(/^idic: --currency: /);
    // What the shop was created with is what its settings say.
    const { openSqliteStore } = await import('../../collector/store/sqlite/index.ts');
    const store = openSqliteStore(db);
    const [site] = await store.listSites();
    expect([site.settings.currency, site.settings.locale, site.settings.utcOffsetMinutes]).toEqual(['USD', 'en-US', -300]);
    // Its loyalty programme in dollars, not in ₫: 1 point per $1, Silver from $300, a $3 voucher.
    const loyalty = site.settings.loyalty;
    expect(loyalty.earn).toMatchObject({ points: 1, per: 1 });
    expect(loyalty.tiers.levels.map((l) => l.min)).toEqual([0, 300, 1000, 3000]);
    expect(loyalty.rewards.map((r) => [r.id, r.name.en, r.discount.value, r.minOrder])).toEqual([
      ['voucher-3', '$3 voucher', 3, 15], ['voucher-10', '$10 voucher', 10, 40], ['percent-15', '15% off one order', 15, 0],
    ]);
    await store.close();
  });

  it('an empty customers file is an error, as over HTTP', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    const r = await idic(['import-customers', join(dir, 'empty.csv'), '--db', db, '--site', 'Shop']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/empty\.csv: the file has no rows to import/);
  });

  it('names a database it cannot open, without the password of a URL', async () => {
    writeFileSync(join(dir, 'not-a.db'), 'hello, not SQLite');
    for (const [args, env, said] of [
      [['profile', 'x', '--db', join(dir, 'missing', 'x.db')], {}, /cannot open the database .*missing.*directory does not exist/],
      [['profile', 'x', '--db', join(dir, 'not-a.db')], {}, /cannot open the database .*not-a\.db: file is not a database/],
      [['profile', 'x'], { IDIC_DATABASE_URL: 'postgres://nobody:s3cret@127.0.0.1:1/x' }, /cannot open the database postgres:\/\/…@127\.0\.0\.1:1\/x: .*ECONNREFUSED/],
    ] as const) {
      const r = await idic([...args], env);
      expect(r.code, args.join(' ')).toBe(1);
      oneLine(r);
      expect(r.stderr).toMatch(said);
      expect(r.stderr).not.toContain('s3cret');
    }
  });

  it('serve refuses a port in use or not a port', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as { port: number }).port);
    try {
      const r = await idic(['serve', '--port', port, '--db', db]);
      expect(r.code).toBe(1);
      oneLine(r);
      expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      taken.close();
    }
    const empty = await idic(['serve', '--port', '', '--db', db]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--port must be a port number');
  });

  it('--site picks by id when two old sites share a name', async () => {
    // Sites made before names had to be unique: a name is then ambiguous, the id is not.
    const { openSqliteStore } = await import('../../collector/store/sqlite/index.ts');
    const { createSite } = await import('../../collector/services/sites.ts');
    const { newUlidFactory } = await import('../../collector/ids.ts');
    const store = openSqliteStore(db);
    const twin = await createSite(store, { name: 'Shop', settings: { origins: ['https://shop.example'] } }, newUlidFactory(), Date.now());
    await store.close();
    const r = await idic(['profile', 'x', '--site', 'Shop', '--db', db]);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(`several sites are named "Shop"`);
    expect(r.stderr).toContain(twin.id);
    expect((await idic(['profile', 'x', '--site', twin.id, '--db', db])).stderr).toContain('no customer with id "x"');
  });
});

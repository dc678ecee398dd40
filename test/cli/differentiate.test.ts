/** The real `idic` command (node bin/idic.mjs) on a temporary SQLite file. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { CDNOW_SAMPLE } from '../support/cdnow.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const SAMPLE = CDNOW_SAMPLE;

function idic(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/idic.mjs'), ...args], { cwd: ROOT, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Everything an import could change, as one digest. */
function digest(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    const h = createHash('sha256');
    for (const sql of ['SELECT site_id, id, user_id, stats, scores, updated_at FROM profiles ORDER BY id', 'SELECT * FROM orders ORDER BY order_id', 'SELECT site_id, source, message_id, profile_id, body FROM events ORDER BY seq', 'SELECT * FROM identities ORDER BY kind, value']) {
      for (const r of d.prepare(sql).all()) h.update(JSON.stringify(r));
    }
    const n = (t: string) => (d.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { hash: h.digest('hex'), profiles: n('profiles'), orders: n('orders'), events: n('events') };
  } finally {
    d.close();
  }
}

describe('idic import-orders, fit, profile', { timeout: 90_000 }, () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'idic-cli-'));
    db = join(dir, 'shop.db');
    const r = await idic(['site', 'create', '--name', 'CDNOW', '--origin', 'https://cdnow.example', '--db', db, '--json']);
    expect(r.code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the CDNOW sample; a second import changes nothing', async () => {
    const first = await idic(['import-orders', SAMPLE, '--db', db, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 6919, imported: 6919, duplicates: 0, rejected: 0, customers: 2357, profilesCreated: 2357, rescored: 2357 });
    const before = digest(db);
    expect(before).toMatchObject({ profiles: 2357, orders: 6919, events: 6919 });
    const second = await idic(['import-orders', SAMPLE, '--db', db]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/6,919 rows — 0 orders imported, 6,919 already known, 0 rejected/);
    expect(digest(db)).toEqual(before);
  });

  it('reports bad rows with their line numbers and keeps the good ones', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'customer_id,order_date,amount,quantity\nnew1,1997-03-01,12.5,1\nnew1,1997-13-01,3,1\nnew2,1997-03-02,,1\nnew2,1997-03-02,4,0\nnew2,1997-03-03,4,2\n');
    const r = await idic(['import-orders', file, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${file}:3: order_date "1997-13-01" is not a date`);
    expect(r.stderr).toContain(`${file}:4: amount "" is not a number`);
    expect(r.stderr).toContain(`${file}:5: quantity "0" is not a positive number`);
    expect(r.stdout).toMatch(/5 rows — 2 orders imported, 0 already known, 3 rejected/);
    const missing = await idic(['import-orders', join(dir, 'nope.csv'), '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv: ENOENT/);
  });

  it('fits BG/NBD to the published CDNOW estimates and explains a customer', async () => {
    const fit = await idic(['fit', '--db', db, '--until', '1997-09-30', '--unit', 'week', '--json']);
    expect(fit.code).toBe(0);
    const out = JSON.parse(fit.stdout);
    // The two extra customers imported above bought in March 1997: they are in the calibration period.
    expect(out.customers).toBe(2359);
    const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const [k, v] of Object.entries(published)) expect(Math.abs(out.bgnbd[k] / v - 1), k).toBeLessThan(0.01);
    expect(out.gammaGamma.p).toBeGreaterThan(0);
    expect(out.gammaGamma.q).toBeGreaterThan(1);
    expect(out.fit).toMatchObject({ unit: 'week', profilesRescored: 2359 });

    const badUnit = await idic(['fit', '--db', db, '--unit', 'month']);
    expect(badUnit.code).toBe(2);
    expect(badUnit.stderr).toMatch(/--unit must be day or week/);

    const p = await idic(['profile', '1', '--db', db]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/tier: +(MVC|MGC|LMC|BZ|Migrator)/);
    expect(p.stdout).toMatch(/orders: +4, revenue/);
    // A vi-VN shop (the default): reasons in Vietnamese.
    expect(p.stdout).toMatch(/why:\n +- 4 lần mua trong .*P\(còn mua\) \d,\d\d.*→ (MVC|MGC|LMC|BZ|Migrator)/);
    expect(p.stdout).toMatch(/RFM \d-\d-\d/);
  });
});

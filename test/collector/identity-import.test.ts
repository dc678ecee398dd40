/** Bulk import of existing customers: CSV and NDJSON, row-by-row validation, idempotent re-runs, CLI progress. */
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from './helpers.ts';
import { count, dump, profile, server, web } from './identity-helpers.ts';
import { csvRecords } from '../../collector/services/identity-import-parse.ts';

const CSV = [
  'user_id,email,phone,name,loyalty_card,pos_code,city,note',
  'c-001,lan@example.vn,0901234567,Nguyễn Thị Lan,CARD-1,POS-1,Hà Nội,"likes ""robusta"", dark"',
  ',nobody@example.vn,,No Id,,,,',
  'c-002,not-an-email,,Bình,,,Huế,',
  'c-003,,12,Short Phone,,,,',
  'c-004,minh@example.vn,+84 912 345 678,"Trần Minh',
  'second line of a quoted name",,,Đà Nẵng,',
  'c-005,too,few,fields',
  'c-006,hoa@example.vn,,Hoa,,,Sài Gòn,',
].join('\r\n') + '\r\n';

const importCsv = (t: Awaited<ReturnType<typeof setup>>, body: string, type = 'text/csv') =>
  t.app.request('/v1/admin/import/customers', { method: 'POST', body, headers: { authorization: `Bearer ${t.site.secretKey}`, 'content-type': type } });

describe('identity: import customers', () => {
  it('imports good CSV rows, reports bad ones by line number, and links every key', async () => {
    const t = await setup();
    const res = await importCsv(t, CSV);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ rows: 7, created: 3, updated: 0, unchanged: 0, failed: 4 });
    expect(r.errors).toEqual([
      { line: 3, reason: 'user_id: is required' },
      { line: 4, reason: 'email: "not-an-email" is not an email address' },
      { line: 5, reason: 'phone: "12" is not a phone number' },
      { line: 8, reason: 'has 4 fields; the header has 8' },
    ]);
    const lan = await profile(t, 'lan@example.vn');
    expect(lan.userId).toBe('c-001');
    expect(lan.traits).toMatchObject({ name: 'Nguyễn Thị Lan', city: 'Hà Nội', note: 'likes "robusta", dark' });
    for (const id of ['c-001', '+84901234567', 'CARD-1', 'POS-1']) expect((await profile(t, id)).id, id).toBe(lan.id);
    expect((await profile(t, 'c-004')).traits.name).toBe('Trần Minh\r\nsecond line of a quoted name'); // kept verbatim, as RFC 4180 says
    expect((await profile(t, '0912345678')).userId).toBe('c-004');
    expect(await profile(t, 'c-002')).toBeNull();
  });

  it('changes nothing when the same import runs again', async () => {
    const t = await setup();
    await importCsv(t, CSV);
    t.advance(60_000);
    const before = dump(t);
    const r = await (await importCsv(t, CSV)).json();
    expect(r).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 4 });
    expect(dump(t)).toBe(before);
  });

  it('imports NDJSON with nested traits and externalIds, and updates a customer already known online', async () => {
    const t = await setup();
    await web(t).view('web-anon', 'coffee');
    await web(t).identify('web-anon', 'c-100', { name: 'Old name' });
    await server(t).order({ userId: 'c-100' }, 'o-100', 120000);
    const ndjson = [
      JSON.stringify({ user_id: 'c-100', email: 'An@Example.vn', name: 'An', traits: { vip: true, birthday: '1990-02-03' }, externalIds: [{ type: 'pos', id: 'P-100' }] }),
      '',
      '{"user_id": 42, "phone": "0933 000 111"}',
      '{"user_id": {"nested": 1}}',
      '[1,2]',
      '{broken',
      JSON.stringify({ user_id: 'c-101', name: 7 }),
      // 20,000 levels deep: a row error, not a stack overflow that ends the import with a 500.
      `{"user_id":"deep","traits":{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`,
      '{"user_id":"huge","traits":{"ltv":1e309}}',
    ].join('\n');
    const r = await (await importCsv(t, ndjson, 'application/x-ndjson')).json();
    expect(r).toMatchObject({ rows: 8, created: 2, updated: 1, failed: 5 });
    expect(r.errors.map((e: any) => e.line)).toEqual([4, 5, 6, 8, 9]);
    expect(r.errors[2].reason).toMatch(/not valid JSON/);
    expect(r.errors[3].reason).toMatch(/nested deeper than 32/);
    expect(r.errors[4].reason).toMatch(/too large/);
    const p = await profile(t, 'an@example.vn');
    expect(p.userId).toBe('c-100');
    expect(p.stats.orders).toBe(1);
    expect(p.traits).toMatchObject({ name: 'An', vip: true, birthday: '1990-02-03' });
    expect((await profile(t, 'P-100')).id).toBe(p.id);
    expect((await profile(t, '42')).identities.some((i: any) => i.kind === 'phone')).toBe(true);
    expect((await profile(t, 'c-101')).traits.name).toBe('7');
  });

  it('reports a key that belongs to another customer as a conflict and keeps the row', async () => {
    const t = await setup();
    await server(t).identify({ userId: 'first', traits: { email: 'shared@example.vn' } });
    const r = await (await importCsv(t, 'user_id,email\nsecond,shared@example.vn\n')).json();
    expect(r).toMatchObject({ created: 1, failed: 0 });
    expect(r.conflicts).toEqual([expect.objectContaining({ line: 2, key: 'email' })]);
    expect((await profile(t, 'shared@example.vn')).userId).toBe('first');
  });

  it('refuses a file without a user_id column, a wrong content type, and the write key', async () => {
    const t = await setup();
    const noId = await importCsv(t, 'email,name\na@b.vn,A\n');
    expect(noId.status).toBe(400);
    expect((await noId.json()).error.message).toMatch(/user_id/);
    expect((await importCsv(t, '{}', 'application/json')).status).toBe(415);
    const wk = await t.app.request('/v1/admin/import/customers', { method: 'POST', body: CSV, headers: { authorization: `Bearer ${t.site.writeKey}`, 'content-type': 'text/csv' } });
    expect(wk.status).toBe(403);
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(0);
    // text/plain is read as CSV, as the orders import does.
    const plain = await importCsv(t, 'user_id,name\nu-plain,Plain\n', 'text/plain');
    expect(plain.status).toBe(200);
    expect((await plain.json()).created).toBe(1);
  });

  it('takes a gzipped file, and refuses an unreadable one, another encoding and an empty file with a 4xx', async () => {
    const t = await setup();
    const send = (body: Uint8Array | string, encoding?: string) => t.app.request('/v1/admin/import/customers', {
      method: 'POST', body: body as BodyInit, headers: { authorization: `Bearer ${t.site.secretKey}`, 'content-type': 'application/x-ndjson', ...(encoding ? { 'content-encoding': encoding } : {}) },
    });
    const ndjson = ['{"user_id":"gz-1","email":"gz1@example.vn"}', '{"user_id":"gz-2"}'].join('\n');
    const ok = await send(gzipSync(ndjson), 'gzip');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ rows: 2, created: 2, failed: 0 });
    expect((await profile(t, 'gz1@example.vn')).userId).toBe('gz-1');
    const junk = await send(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]), 'gzip');
    expect(junk.status).toBe(400);
    expect((await junk.json()).error.code).toBe('invalid_encoding');
    expect((await send(ndjson, 'br')).status).toBe(415);
    expect((await send('\n\n')).status).toBe(400);
  });

  it('reads CSV split at any point across chunks', async () => {
    const text = 'a,b\n"x,""y""\nz",w\n';
    const whole: unknown[] = [];
    for await (const r of csvRecords((async function* () { yield text; })())) whole.push(r);
    for (let cut = 1; cut < text.length; cut++) {
      const parts: unknown[] = [];
      for await (const r of csvRecords((async function* () { yield text.slice(0, cut); yield text.slice(cut); })())) parts.push(r);
      expect(parts, `cut at ${cut}`).toEqual(whole);
    }
    expect(whole).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x,"y"\nz', 'w'] }]);
  });

  it('imports through the CLI with a progress line on stderr and line numbers in the report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idic-import-'));
    try {
      const db = join(dir, 'shop.db');
      execFileSync('node', ['bin/idic.mjs', 'site', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--db', db, '--json']);
      const rows = ['user_id,email,points'];
      for (let i = 0; i < 2500; i++) rows.push(i === 1234 ? 'bad row' : `u${i},u${i}@example.vn,${i}`);
      const file = join(dir, 'customers.csv');
      writeFileSync(file, rows.join('\n'));
      const run = () => spawnSync('node', ['bin/idic.mjs', 'import-customers', file, '--db', db, '--json'], { encoding: 'utf8' });
      const first = run();
      expect(first.status).toBe(1); // one bad row
      const r = JSON.parse(first.stdout);
      expect(r).toMatchObject({ rows: 2500, created: 2499, failed: 1, errors: [{ line: 1236, reason: 'has 1 fields; the header has 3' }] });
      expect(first.stderr.trim().split('\n').length).toBe(3); // one progress line per 1,000-row transaction
      expect(first.stderr).toMatch(/import: 2,500 rows \(2,499 ok, 1 bad\) 100%/);
      const again = JSON.parse(run().stdout);
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2499 });
      const exported = JSON.parse(execFileSync('node', ['bin/idic.mjs', 'export', 'u7@example.vn', '--db', db], { encoding: 'utf8' }));
      expect(exported.profile.traits.points).toBe('7');
      expect(spawnSync('node', ['bin/idic.mjs', 'erase', 'u7', '--db', db], { encoding: 'utf8' }).stderr).toMatch(/--yes/);
      const erased = JSON.parse(execFileSync('node', ['bin/idic.mjs', 'erase', 'u7', '--yes', '--db', db, '--json'], { encoding: 'utf8' }));
      expect(erased.deleted.identities).toBe(2);
      expect(spawnSync('node', ['bin/idic.mjs', 'export', 'u7@example.vn', '--db', db], { encoding: 'utf8' }).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

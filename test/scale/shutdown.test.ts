/**
 * SIGTERM under load: the collector stops taking work, finishes what it acknowledged, and exits
 * within 10 s; every acknowledged event is stored. On SQLite always, on PostgreSQL when available.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { openStore } from '../../collector/store/open.ts';
import { createSite } from '../../collector/services/sites.ts';
import { freshSchema, postgresUnavailable } from '../store/pg.ts';
import { basic, call, startInstance } from './processes.ts';

const missing = await postgresUnavailable();
const dir = mkdtempSync(join(tmpdir(), 'idic-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sigtermUnderLoad(url: string, env: Record<string, string>) {
  let store = await openStore(url);
  const site = await createSite(store, { name: 'shutdown', settings: { rateLimit: { perSecond: 1e6, burst: 1e6 } } }, monotonicFactory(), Date.now());
  await store.close();
  const instance = await startInstance(env);
  const acknowledged = new Set<string>();
  let stop = false;
  let seq = 0;
  // 16 clients send batches of 20 back to back until the server stops answering.
  const clients = Array.from({ length: 16 }, async (_, c) => {
    while (!stop) {
      const batch = Array.from({ length: 20 }, () => ({ type: 'page', anonymousId: `v${c}-${seq % 7}`, messageId: `m${c}-${seq++}` }));
      try {
        const r = await call(instance.url, 'POST', '/v1/batch', { batch }, basic(site.secretKey));
        if (r.status === 200) for (const m of batch) acknowledged.add(m.messageId);
      } catch {
        return; // connection refused or cut: nothing acknowledged for that batch
      }
    }
  });
  // Under load only: wait until the server is acknowledging work (a busy machine starts slowly).
  for (const t0 = Date.now(); acknowledged.size === 0 && Date.now() - t0 < 20_000;) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  const before = acknowledged.size;
  const signalled = Date.now();
  instance.child.kill('SIGTERM');
  const { code, at } = await instance.exited;
  stop = true;
  await Promise.all(clients);

  store = await openStore(url);
  const stored = new Set((await store.query('SELECT message_id FROM events WHERE site_id = ?', [site.id])).rows.map((r) => r.message_id as string));
  await store.close();
  return { code, exitMs: at - signalled, before, acknowledged, stored };
}

function expectClean(r: Awaited<ReturnType<typeof sigtermUnderLoad>>) {
  expect(r.code).toBe(0);
  expect(r.exitMs).toBeLessThan(10_000);
  expect(r.before).toBeGreaterThan(0);
  const lost = [...r.acknowledged].filter((m) => !r.stored.has(m));
  expect(lost).toEqual([]);
}

describe('graceful shutdown', () => {
  it('SQLite: finishes acknowledged work and exits within 10 s of SIGTERM', async () => {
    const file = join(dir, 'idic.db');
    expectClean(await sigtermUnderLoad(file, { IDIC_DB: file, IDIC_DATABASE_URL: '' }));
  }, 30_000);

  it.skipIf(!!missing)(`PostgreSQL: finishes acknowledged work and exits within 10 s of SIGTERM${missing ? ` (${missing})` : ''}`, async () => {
    const db = freshSchema('shutdown');
    try {
      expectClean(await sigtermUnderLoad(db.url, { IDIC_DATABASE_URL: db.url }));
    } finally {
      await db.drop();
    }
  }, 30_000);
});

/**
 * No double spend: simultaneous redemptions of the last affordable reward — from two tabs (one
 * collector) and from two collector processes on the same SQLite file — exactly one succeeds.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector } from '../../collector/app.ts';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { createSite } from '../../collector/services/sites.ts';
import { userHash } from '../../collector/http/hmac.ts';
import { loyaltySetup } from './helpers.ts';

describe('atomic redemption', () => {
  it('two tabs redeeming the last affordable reward at once: exactly one code', async () => {
    const t = await loyaltySetup({ loyalty: { signupBonus: 0 } });
    await t.order('lan', 'O1', 900_000); // 90 points: one 60-point voucher, not two
    const results = await Promise.all([t.redeem('lan', 'voucher-30k'), t.redeem('lan', 'voucher-30k'), t.redeem('lan', 'voucher-30k')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await t.me('lan')).body.balance).toBe(30);
    expect(t.store.db.prepare("SELECT COUNT(*) AS n FROM loyalty_codes").get()).toEqual({ n: 1 });
  });

  it('two collector processes on one SQLite file: exactly one of ten simultaneous redemptions succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idic-loyalty-'));
    const db = join(dir, 'shop.db');
    try {
      const store = openSqliteStore(db);
      const app = createCollector({ store, cacheTtlMs: 0 });
      const site = await createSite(store, { name: 'Two processes', settings: { loyalty: { signupBonus: 0 } } }, app.services.newId, Date.now());
      const order = await app.request('/v1/track', {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${site.secretKey}` },
        body: JSON.stringify({ type: 'track', event: 'Order Completed', userId: 'lan', properties: { order_id: 'P1', revenue: 900_000 } }),
      });
      expect(order.status).toBe(200);

      const workers = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', 'test/loyalty/redeem-worker.ts', db, site.writeKey, 'lan', userHash(site.secretKey, 'lan'), 'voucher-30k', '5'], { stdio: ['pipe', 'pipe', 'pipe'] }));
      for (const w of workers) w.stderr!.on('data', (d) => process.stdout.write('[worker] ' + d));
      const lines = workers.map((w) => {
        let buf = '';
        const waiters: ((l: string) => void)[] = [];
        const queue: string[] = [];
        w.stdout!.on('data', (d) => {
          buf += d;
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const l = buf.slice(0, i);
            buf = buf.slice(i + 1);
            const waiter = waiters.shift();
            if (waiter) waiter(l); else queue.push(l);
          }
        });
        return () => new Promise<string>((r) => (queue.length ? r(queue.shift()!) : waiters.push(r)));
      });
      expect(await Promise.all(lines.map((next) => next()))).toEqual(['ready', 'ready']);
      for (const w of workers) w.stdin!.end('go\n');
      const results = (await Promise.all(lines.map((next) => next()))).flatMap((l) => JSON.parse(l) as { status: number }[]);
      expect(results).toHaveLength(10);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(9);
      expect(store.db.prepare("SELECT COUNT(*) AS n, SUM(points) AS p FROM loyalty_ledger WHERE kind = 'redeem'").get()).toEqual({ n: 1, p: -60 });
      await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

/**
 * Nothing acknowledged is ever lost: a client streams batches and retries each until it is
 * acknowledged, while the collector process is killed with SIGKILL 20 times and restarted.
 * Every acknowledged event is stored, and none twice.
 */
import { describe, it, expect } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../support/ports.ts';

const BIN = join(process.cwd(), 'bin', 'idic.mjs');

async function startCollector(db: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => b.toString().includes('collector listening') && resolve();
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
  return child;
}

describe('crash safety', () => {
  it('loses no acknowledged event and stores none twice across 20 SIGKILLs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idic-kill-'));
    const db = join(dir, 'idic.db');
    const site = JSON.parse(execFileSync(process.execPath, [BIN, 'site', 'create', '--name', 'kill', '--origin', 'https://shop.example', '--db', db, '--json'], { encoding: 'utf8' }));
    const port = await freePort();
    let child = await startCollector(db, port);
    const acknowledged = new Set<string>();
    let sent = 0;
    let stop = false;

    // The client: one batch at a time, retried until the collector answers 200.
    const client = (async () => {
      for (let b = 0; !stop; b++) {
        const batch = Array.from({ length: 50 }, (_, i) => ({ type: 'track', event: 'Product Viewed', anonymousId: `visitor-${(b * 50 + i) % 37}`, messageId: `m-${b}-${i}`, properties: { category: 'coffee' } }));
        for (;;) {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ batch, writeKey: site.writeKey }) });
            if (res.ok) {
              batch.forEach((m) => acknowledged.add(m.messageId));
              break;
            }
          } catch { /* connection refused or reset: the collector is down; retry */ }
          await new Promise((r) => setTimeout(r, 20));
        }
        sent++;
      }
    })();

    for (let kill = 0; kill < 20; kill++) {
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 250));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      child = await startCollector(db, port);
    }
    stop = true;
    await client;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare('SELECT message_id FROM events').all() as { message_id: string }[];
    const stored = new Set(rows.map((r) => r.message_id));
    conn.close();
    rmSync(dir, { recursive: true, force: true });

    const lost = [...acknowledged].filter((m) => !stored.has(m));
    expect(sent).toBeGreaterThan(20);
    expect(lost).toEqual([]);
    expect(rows.length).toBe(stored.size);
    console.log(`sigkill: ${sent} batches acknowledged (${acknowledged.size} events), ${rows.length} stored, 20 kills, 0 lost, 0 duplicates`);
  }, 180_000);
});

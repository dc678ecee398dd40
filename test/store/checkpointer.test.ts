import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import type { StoredEvent } from '../../collector/store/types.ts';

/** About 2.5 MB of events: less than the default 1,000-page checkpoint threshold, so only a background checkpoint moves them into the file. */
async function writeEvents(store: ReturnType<typeof openSqliteStore>) {
  const body = { properties: { note: 'x'.repeat(1000) } };
  for (let batch = 0; batch < 20; batch++) {
    await store.write(async (tx) => {
      const rows: StoredEvent[] = Array.from({ length: 100 }, (_, i) => ({
        siteId: 's', messageId: `m-${batch}-${i}`, profileId: 'p', type: 'track', name: 'Product Viewed', anonymousId: 'a', userId: null,
        ts: 1, receivedAt: 1, trusted: false, source: 'web', bot: false, body,
      }));
      await tx.insertEvents(rows);
    });
  }
}

const dbBytes = (path: string) => statSync(path).size;

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return check();
}

describe('SQLite WAL checkpoints in the background', () => {
  it('copies committed pages into the database file from a worker thread, not in the writer’s commits', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idic-ckpt-')), 'bg.db');
    const store = openSqliteStore(path, { backgroundCheckpoints: true });
    const before = dbBytes(path);
    await writeEvents(store);
    // The main connection's own threshold is far away — beyond what a bulk import writes in one
    // go (the CDNOW master: about 90 MB) — so only the worker can have grown the file.
    const pages = store.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    expect(pages * (store.db.pragma('page_size', { simple: true }) as number)).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(await until(() => dbBytes(path) > before + 2_000_000, 5000)).toBe(true);
    await store.close();
  }, 20_000);

  it('cuts the WAL file back to 64 MB once a larger burst has been checkpointed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idic-ckpt-')), 'burst.db');
    const store = openSqliteStore(path, { backgroundCheckpoints: true });
    const note = 'x'.repeat(7000);
    // About 80 MB in one transaction: a WAL far past the size kept afterwards.
    await store.write(async (tx) => {
      for (let batch = 0; batch < 100; batch++) {
        await tx.insertEvents(Array.from({ length: 100 }, (_, i): StoredEvent => ({
          siteId: 's', messageId: `b-${batch}-${i}`, profileId: 'p', type: 'track', name: 'Product Viewed', anonymousId: 'a', userId: null,
          ts: 1, receivedAt: 1, trusted: false, source: 'web', bot: false, body: { properties: { note: `${batch}-${i}${note}` } },
        })));
      }
    });
    expect(dbBytes(`${path}-wal`)).toBeGreaterThan(70 * 1024 * 1024);
    // Once the worker has copied it all, the next write starts the WAL over and truncates the file.
    expect(await until(() => dbBytes(path) > 70 * 1024 * 1024, 10_000)).toBe(true);
    let writes = 0;
    while (dbBytes(`${path}-wal`) > 64 * 1024 * 1024 && writes < 50) {
      await store.write(async (tx) => {
        await tx.insertEvents([{ siteId: 's', messageId: `after-${writes}`, profileId: 'p', type: 'track', name: 'x', anonymousId: 'a', userId: null, ts: 1, receivedAt: 1, trusted: false, source: 'web', bot: false, body: {} }]);
      });
      writes++;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(dbBytes(`${path}-wal`)).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(10_000 + writes);
    await store.close();
  }, 60_000);

  it('without it, the same writes stay in the WAL until the commit that crosses 1,000 pages', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idic-ckpt-')), 'fg.db');
    const store = openSqliteStore(path);
    const before = dbBytes(path);
    await writeEvents(store);
    await new Promise((r) => setTimeout(r, 400));
    expect(dbBytes(path)).toBeLessThan(before + 500_000);
    await store.close();
  });

  it('closes promptly and leaves every committed row readable', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idic-ckpt-')), 'close.db');
    const store = openSqliteStore(path, { backgroundCheckpoints: true });
    await writeEvents(store);
    const t0 = Date.now();
    await store.close();
    expect(Date.now() - t0).toBeLessThan(3000);
    const again = openSqliteStore(path);
    expect((again.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(2000);
    await again.close();
  });
});

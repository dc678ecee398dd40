/**
 * One collector process on a shared SQLite file (run by concurrency.test.ts): prints "ready",
 * waits for "go" on stdin, fires N redemptions at once and prints their statuses as JSON.
 */
import { createInterface } from 'node:readline';
import { createCollector } from '../../collector/app.ts';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';

const [dbPath, writeKey, userId, userHash, rewardId, n] = process.argv.slice(2);
const store = openSqliteStore(dbPath);
const app = createCollector({ store, cacheTtlMs: 0, log: () => {} });
const redeem = async () => {
  const r = await app.request('/v1/loyalty/redeem', {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ writeKey, userId, userHash, rewardId }),
});
  return { status: r.status, body: await r.json() };
};

console.log('ready');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'go') continue;
  const results = await Promise.all(Array.from({ length: Number(n) }, redeem));
  console.log(JSON.stringify(results));
  break;
}
await store.close();
process.exit(0);

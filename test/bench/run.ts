/**
 * `npm run bench`: every benchmark, one after another, each printing its own table with the
 * targets and baselines beside the figures. Pass names to run a subset: `npm run bench -- ingest models`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ALL: { name: string; file: string; what: string }[] = [
  { name: 'models', file: 'test/bench/models.ts', what: 'Differentiate: BG/NBD + Gamma-Gamma fit on CDNOW, scoring one customer' },
  { name: 'import-fit', file: 'test/bench/import-fit.ts', what: 'Differentiate: CDNOW master import (orders/s), fit, tier+CLV read' },
  { name: 'identity', file: 'test/bench/identity.ts', what: 'Identify: identify + merge throughput (100 events each)' },
  { name: 'simulate', file: 'test/bench/simulate.ts', what: 'Customize: decision engine vs oracle, random, fixed priority' },
  { name: 'ingest', file: 'test/bench/ingest.ts', what: 'Interact: ingest single events and batches vs Hono hello-world' },
  { name: 'decide', file: 'test/bench/decide.ts', what: 'Customize: decide latency in process and over HTTP under ingest load' },
  { name: 'scale', file: 'test/bench/scale.ts', what: 'Scale-out: SQLite vs PostgreSQL, 1 and 2 instances, 10^4–10^6 profiles' },
];

const wanted = process.argv.slice(2);
const chosen = wanted.length ? ALL.filter((b) => wanted.includes(b.name)) : ALL;
const failed: string[] = [];
for (const b of chosen) {
  if (!existsSync(b.file)) {
    console.log(`\n### ${b.name} — ${b.what}\n(missing: ${b.file})`);
    failed.push(b.name);
    continue;
  }
  console.log(`\n### ${b.name} — ${b.what}\n$ npx tsx ${b.file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', b.file], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(b.name);
}
if (failed.length) {
  console.error(`\nbenchmarks that failed or are missing: ${failed.join(', ')}`);
  process.exit(1);
}

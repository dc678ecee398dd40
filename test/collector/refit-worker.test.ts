import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { fitShopModel, type FitCustomer } from '../../collector/models/fit.ts';
import { DEFAULT_SCORING, type ScoringConfig } from '../../collector/models/config.ts';
import { parseOrdersCsv } from '../../collector/services/orders-import.ts';
import { packFitCustomers, unpackFitCustomers } from '../../collector/services/refit-pack.ts';
import { fitOffThread } from '../../collector/services/refit-thread.ts';
import { pageSizer } from '../../collector/services/refit-pages.ts';
import { endOfShopDay } from '../../collector/services/refit.ts';
import { CDNOW_SAMPLE } from '../support/cdnow.ts';

const SAMPLE = readFileSync(CDNOW_SAMPLE, 'utf8');
const config: ScoringConfig = { ...DEFAULT_SCORING, unit: 'week', currency: 'USD', locale: 'en-US' };
const until = endOfShopDay('1997-09-30', 420)!;

/** The CDNOW sample's customers as fitShopModel takes them. */
function sampleCustomers(): FitCustomer[] {
  const byCustomer = new Map<string, FitCustomer>();
  for (const o of parseOrdersCsv(SAMPLE, { utcOffsetMinutes: 420, currency: 'USD', now: Date.UTC(2026, 0, 1) }).orders) {
    let c = byCustomer.get(o.customerId);
    if (!c) byCustomer.set(o.customerId, (c = { orders: [], topCategory: null }));
    (c.orders as FitCustomer['orders'][number][]).push({ ts: o.ts, amount: o.amount, ...(o.quantity === null ? {} : { quantity: o.quantity }) });
  }
  return [...byCustomer.values()];
}

describe('packed fit input', () => {
  it('unpacks to exactly what was packed, absent fields left out', () => {
    const customers: FitCustomer[] = [
      { orders: [{ ts: 852_076_800_000, amount: 29.33, quantity: 2 }, { ts: 853_545_600_000, amount: 0.1 + 0.2, discount: 5 }], topCategory: 'jazz', typicalPrice: 14.6 },
      { orders: [], topCategory: null, typicalPrice: null },
      { orders: [{ ts: 1, amount: 7 }], topCategory: 'rock', typicalPrice: null },
      { orders: [{ ts: 2, amount: 0 }], topCategory: 'jazz' },
    ];
    const packed = packFitCustomers(customers);
    expect(packed.categories).toEqual(['jazz', 'rock']);
    expect(Array.from(packed.offsets)).toEqual([0, 2, 2, 3, 4]);
    expect(unpackFitCustomers(packed)).toEqual([
      customers[0], customers[1], customers[2],
      { orders: [{ ts: 2, amount: 0 }], topCategory: 'jazz', typicalPrice: null },
    ]);
  });
});

describe('fitOffThread', () => {
  const customers = sampleCustomers();
  const inline = fitShopModel(customers, config, until);

  it('fits in a worker thread and returns the same model as the inline fit', async () => {
    const logs: unknown[] = [];
    const { model, thread } = await fitOffThread(customers, config, until, { log: (e) => logs.push(e) });
    expect(thread).toBe('worker');
    expect(logs).toEqual([]);
    expect(model).toEqual(inline);
    expect(model.customers).toBe(2357);
  });

  it('falls back to the main thread, and logs it, when the worker cannot start', async () => {
    const logs: Record<string, unknown>[] = [];
    const entry = new URL('./no-such-refit-worker.js', import.meta.url);
    const { model, thread } = await fitOffThread(customers, config, until, { entry, log: (e) => logs.push(e) });
    expect(thread).toBe('inline');
    expect(model).toEqual(inline);
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', entry: entry.href, error: expect.stringMatching(/Cannot find module/) })]);
  });

  it('rejects a fit that throws in the worker instead of running it again inline', async () => {
    const logs: unknown[] = [];
    const broken = { ...config, tiers: undefined } as unknown as ScoringConfig;
    await expect(fitOffThread(customers, broken, until, { log: (e) => logs.push(e) })).rejects.toThrow(/shop model fit failed: TypeError/);
    expect(logs).toEqual([]);
  });

  it('finds its worker beside the bundle when bundled like dist/collector/cli.js', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idic-refit-bundle-'));
    try {
      const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' } as const;
      const src = (p: string) => fileURLToPath(new URL(`../../collector/services/${p}`, import.meta.url));
      await build({ ...common, entryPoints: [src('refit-thread.ts')], outfile: join(dir, 'cli.js') });
      await build({ ...common, entryPoints: [src('refit-worker.ts')], outfile: join(dir, 'refit-worker.js') });
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(join(dir, 'customers.json'), JSON.stringify(customers));
      const script = `import { fitOffThread } from ${JSON.stringify(pathToFileURL(join(dir, 'cli.js')).href)};
        import { readFileSync } from 'node:fs';
        const r = await fitOffThread(JSON.parse(readFileSync(${JSON.stringify(join(dir, 'customers.json'))}, 'utf8')), ${JSON.stringify(config)}, ${until});
        console.log(JSON.stringify(r));`;
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
      expect(stderr).toBe('');
      const r = JSON.parse(stdout);
      expect(r.thread).toBe('worker');
      expect(r.model).toEqual(JSON.parse(JSON.stringify(inline)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pageSizer', () => {
  it('sizes pages to the time budget: shrinks after slow pages, at most doubles after fast ones, within [10, max]', () => {
    const pages = pageSizer(1000, 10);
    expect(pages.size).toBe(20);
    pages.record(20, 1); // 200 affordable, doubling caps it
    expect(pages.size).toBe(40);
    pages.record(40, 2);
    expect(pages.size).toBe(80);
    pages.record(80, 16); // 0.2 ms a profile → 50 fit in 10 ms
    expect(pages.size).toBe(50);
    pages.record(50, 500); // a very slow page: never below 10
    expect(pages.size).toBe(10);
    for (let i = 0; i < 20; i++) pages.record(pages.size, 0.1);
    expect(pages.size).toBe(1000);
    pages.record(0, 3); // an empty last page changes nothing
    expect(pages.size).toBe(1000);
    expect(pages.pages).toBe(25);
    expect(pages.maxMs).toBe(500);
    expect(pageSizer(5, 10).size).toBe(5);
  });
});

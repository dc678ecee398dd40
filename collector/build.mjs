// Emit the collector for production: dist/collector/cli.js and, beside it, the entries of its
// worker threads (found there at run time, see collector/ops/threads.ts). Dependencies stay in
// node_modules. The benchmarks build the same layout elsewhere through buildCollector().
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';

export const COLLECTOR_ENTRIES = {
  cli: 'collector/cli/main.ts',
  'refit-worker': 'collector/services/refit-worker.ts',
  'checkpoint-worker': 'collector/store/sqlite/checkpoint-worker.ts',
};

export async function buildCollector(outdir, { sourcemap = true } = {}) {
  await build({
    entryPoints: COLLECTOR_ENTRIES, outdir, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', sourcemap, logLevel: 'warning', banner: { js: '#!/usr/bin/env node' },
  });
  return `${outdir}/cli.js`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildCollector('dist/collector');

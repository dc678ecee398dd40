// Emit the collector for production: dist/collector/cli.js (dependencies stay in node_modules).
import { build } from 'esbuild';

await build({
  entryPoints: ['collector/cli/main.ts'],
  outfile: 'dist/collector/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
await build({ entryPoints: ['collector/services/refit-worker.ts'], outfile: 'dist/collector/refit-worker.js', bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' });
await build({ entryPoints: ['collector/store/sqlite/checkpoint-worker.ts'], outfile: 'dist/collector/checkpoint-worker.js', bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' });

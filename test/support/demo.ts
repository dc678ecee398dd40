/** The real demo (collector + shop) on a fresh SQLite file and free ports, built bundles required. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../demo/server.ts';
import { freePort } from './ports.ts';

export async function startTestDemo() {
  for (const f of ['idic.js', 'idic-widget.js', 'demo-shop.js']) {
    if (!existsSync(join('dist', f))) throw new Error(`dist/${f} is missing: run \`npm run build\` (npm test does it)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'idic-demo-'));
  const demo = await startDemo({ dbPath: join(dir, 'demo.db'), shopPort: await freePort(), collectorPort: await freePort() });
  return {
    ...demo,
    async close() {
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

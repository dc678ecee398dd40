/** The real demo (collector + shop) on a fresh SQLite file and free ports, built bundles required. */
import { afterAll, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from '../../demo/server.ts';
import { freePort } from './ports.ts';
import { launchChromium, type LaunchedBrowser } from './browser.ts';

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

export type TestDemo = Awaited<ReturnType<typeof startTestDemo>>;

/**
 * The demo and a fresh Chromium profile for one describe block: started before its tests, closed
 * after them. Read `env.demo` / `env.chrome` inside hooks and tests, once they have started.
 */
export function demoInChromium(): { readonly demo: TestDemo; readonly chrome: LaunchedBrowser } {
  let demo: TestDemo | undefined;
  let chrome: LaunchedBrowser | undefined;
  beforeAll(async () => {
    demo = await startTestDemo();
    chrome = await launchChromium();
  });
  afterAll(async () => {
    await chrome?.close();
    await demo?.close();
  });
  return { get demo() { return demo!; }, get chrome() { return chrome!; } };
}

/**
 * Real headless Chromium for end-to-end tests (Debian's /usr/bin/chromium via playwright-core).
 * Where no Chromium is found the suite says so loudly; under CI=true it fails instead of skipping.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium) {
  const msg = `\n!!! Chromium not found at ${CHROMIUM_PATH}: browser tests cannot run. Install it with \`apt-get install -y chromium\`.\n`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(msg);
}

export interface LaunchedBrowser {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** A fresh persistent context with its own user-data dir, so storage starts empty. */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'idic-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  return {
    browser: context,
    async close() {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain (non-persistent) browser for tests that need several isolated contexts. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

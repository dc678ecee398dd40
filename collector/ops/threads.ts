/**
 * Starting a worker thread whose code is one of our own modules, wherever the collector runs:
 * - from the TypeScript sources (tsx: tests, `npx idic`, the demo) the entry is a `.ts` file,
 *   loaded through tsx's CommonJS hook, because module hooks registered on the main thread do not
 *   reach worker threads on Node 20 (so worker entries use no top-level await or import.meta);
 * - from the production bundle (dist/collector/cli.js) the entry is the `.js` file that
 *   collector/build.mjs emits next to it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The entry `name` beside `moduleUrl`: `name.ts` from the sources, `name.js` in the bundle. */
export function workerEntry(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${moduleUrl.endsWith('.ts') ? '.ts' : '.js'}`, moduleUrl);
}

export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  // No inherited node flags: the worker needs none, and some a process may run with
  // (--input-type, tsx's --import) make a worker refuse to start or are ignored there.
  const opts = { ...options, execArgv: [] };
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, opts);
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(boot, { ...opts, eval: true });
}

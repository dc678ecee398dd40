/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside whichever
 * COMMIT crosses the threshold and, with synchronous=NORMAL, fsyncs the WAL and the database
 * file there — a pause of milliseconds that lands on one unlucky request (the p99 of decide and
 * ingest). Instead, a worker thread with its own connection runs PASSIVE checkpoints (they never
 * block the writer) a few times a second; the main connection never checkpoints while open.
 * If the WAL still grows past `truncateBytes` (a long reader held it), a RESTART/TRUNCATE attempt
 * bounds it.
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('wal_autocheckpoint = 0');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const truncate = db.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    const r = passive.get();
    if (r && r.log * 4096 > workerData.truncateBytes) truncate.get();
  } catch (e) { /* busy: next tick */ }
  setTimeout(tick, workerData.everyMs);
};
tick();
parentPort.on('message', (m) => { if (m === 'stop') { stopped = true; try { db.close(); } catch {} parentPort.postMessage('stopped'); } });
`;

export interface Checkpointer { stop(): Promise<void> }

/** Start checkpointing `path` (a WAL-mode SQLite file) from a worker thread. */
export function startCheckpointer(path: string, driver: string, onFailure: () => void, opts: { everyMs?: number; truncateBytes?: number } = {}): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, everyMs: opts.everyMs ?? 250, truncateBytes: opts.truncateBytes ?? 256 * 1024 * 1024 } });
  worker.unref();
  // Without the worker the main connection must checkpoint again, or the WAL would grow without bound.
  worker.on('error', onFailure);
  let stopping: Promise<void> | null = null;
  return {
    stop: () => stopping ??= new Promise<void>((resolve) => {
      const done = () => { void worker.terminate().finally(resolve); };
      const timer = setTimeout(done, 2000);
      worker.once('message', () => { clearTimeout(timer); done(); });
      worker.once('exit', () => { clearTimeout(timer); resolve(); });
      worker.postMessage('stop');
    }),
  };
}

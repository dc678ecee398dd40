/**
 * WAL checkpoints off the main thread. By default SQLite checkpoints inside the COMMIT that
 * pushes the WAL past 1,000 pages: that commit (and every request waiting on it) pays for
 * copying megabytes into the database file and an fsync — about a fifth of the write path's
 * CPU under load. A served collector instead checkpoints from a worker thread on its own
 * connection, and the main connection keeps a far larger automatic threshold only as a
 * backstop (if the worker cannot start or dies, the WAL still stays bounded).
 */
import type Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerEntry } from '../../ops/threads.ts';
import type { CheckpointJob } from './checkpoint-worker.ts';

/**
 * Backstop threshold of the main connection: 256 MB of WAL, in pages of the file's size.
 * A long run of large transactions (a bulk import commits chunks of ~20 MB back to back) grows
 * the WAL faster than the worker can let a writer restart it; at 64 MB the main thread used to
 * run the checkpoint inside the import's third commit — 65–115 ms of copying on the thread the
 * import (and every request) runs on, about a tenth of the CDNOW master import. At 256 MB that
 * import never meets it; the worker copies while the import goes on.
 */
const BACKSTOP_BYTES = 256 * 1024 * 1024;
/**
 * Past a burst, the WAL file is cut back to this size when a writer restarts it (SQLite
 * otherwise keeps a file as large as the largest burst, forever).
 */
const WAL_KEEP_BYTES = 64 * 1024 * 1024;

export interface Checkpointer { stop(): Promise<void> }

export function startCheckpointer(db: Database.Database, path: string, intervalMs = 100, log: (e: Record<string, unknown>) => void = (e) => console.error(JSON.stringify(e))): Checkpointer {
  let worker: Worker | null;
  try {
    worker = startWorker(workerEntry(import.meta.url, 'checkpoint-worker'), { workerData: { path, intervalMs } satisfies CheckpointJob });
  } catch (e) {
    log({ level: 'warn', msg: 'WAL checkpointer did not start; checkpointing on the main thread', error: String(e) });
    return { stop: async () => {} };
  }
  db.pragma(`wal_autocheckpoint = ${Math.round(BACKSTOP_BYTES / (db.pragma('page_size', { simple: true }) as number))}`);
  db.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
  const w = worker;
  const fallBack = (why: string) => {
    if (!worker) return;
    worker = null;
    db.pragma('wal_autocheckpoint = 1000');
    log({ level: 'warn', msg: `WAL checkpointer ${why}; checkpointing on the main thread` });
  };
  w.on('message', (m: { error?: string }) => m.error && log({ level: 'warn', msg: 'WAL checkpoint failed', error: m.error }));
  w.once('error', (e) => fallBack(`failed: ${e}`));
  w.once('exit', () => fallBack('exited'));
  // A checkpointer must never keep the process alive.
  w.unref();
  return {
    async stop() {
      if (!worker) return;
      const running = worker;
      worker = null;
      await new Promise<void>((done) => {
        const timer = setTimeout(done, 2000);
        running.on('message', (m: { stopped?: boolean }) => m.stopped && (clearTimeout(timer), done()));
        running.postMessage('stop');
      });
      await running.terminate();
    },
  };
}

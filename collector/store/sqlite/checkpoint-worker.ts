/**
 * Worker-thread entry of the WAL checkpointer (started by checkpointer.ts): copies committed
 * WAL frames into the database file every `intervalMs`, on its own connection, so no write on
 * the main thread ever pays for a checkpoint. PASSIVE never blocks a writer or a reader.
 * No top-level await and no import.meta here: from the sources it is loaded as CommonJS.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointJob { path: string; intervalMs: number }

if (parentPort) {
  const port = parentPort;
  const job = workerData as CheckpointJob;
  const db = new Database(job.path, { fileMustExist: true });
  const checkpoint = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (e) {
      // SQLITE_BUSY (another checkpoint running) is harmless: the next tick tries again.
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') port.postMessage({ error: String(e) });
    }
  };
  const timer = setInterval(checkpoint, job.intervalMs);
  port.on('message', (m) => {
    if (m !== 'stop') return;
    clearInterval(timer);
    checkpoint();
    db.close();
    port.postMessage({ stopped: true });
  });
  port.postMessage({ ready: true });
}

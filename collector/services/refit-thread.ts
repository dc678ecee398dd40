/**
 * fitShopModel off the main thread: one short-lived worker per fit (refits come minutes apart,
 * so a pool would only hold memory). The customers go over as packed typed arrays, transferred
 * rather than copied; the model comes back as plain JSON.
 * The worker code is refit-worker.ts (see ops/threads.ts for how it is found and loaded).
 * If the worker cannot start or dies before answering (file missing, tsx absent), the fit runs
 * inline and says so in the log: a slower loop beats no model.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker as startThread, workerEntry } from '../ops/threads.ts';
import { fitShopModel, type FitCustomer } from '../models/fit.ts';
import type { ScoringConfig } from '../models/config.ts';
import type { ShopModel } from '../models/shop-model.ts';
import { packFitCustomers, packedBuffers } from './refit-pack.ts';
import type { FitJob } from './refit-worker.ts';

export type FitThread = 'worker' | 'inline';

export interface ThreadOptions {
  /** 'inline' runs on the calling thread (blocking it for the whole fit). @default 'worker' */
  thread?: FitThread;
  /** Worker entry (a `.ts` file is loaded through tsx). @default refit-worker.ts / refit-worker.js beside this module */
  entry?: URL;
  log?: (e: Record<string, unknown>) => void;
}

const defaultLog = (e: Record<string, unknown>) => console.error(JSON.stringify(e));

/** The worker entry beside this module: the source file, or the bundled one next to cli.js. */
export function defaultWorkerEntry(): URL {
  return workerEntry(import.meta.url, 'refit-worker');
}

function startWorker(entry: URL, job: FitJob): Worker {
  return startThread(entry, { workerData: job, transferList: packedBuffers(job.customers) });
}

/** Runs the job in a worker; rejects with `start` set when the worker never produced an answer. */
function runInWorker(entry: URL, job: FitJob): Promise<ShopModel> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown, start: boolean) => {
      if (settled) return;
      settled = true;
      reject(Object.assign(e instanceof Error ? e : new Error(String(e)), { start }));
    };
    let w: Worker;
    try {
      w = startWorker(entry, job);
    } catch (e) {
      fail(e, true);
      return;
    }
    w.once('message', (m: { ok: true; model: ShopModel } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.model);
      else reject(Object.assign(new Error(`shop model fit failed: ${m.error}`), { start: false }));
      void w.terminate();
    });
    w.once('error', (e) => fail(e, true));
    w.once('exit', (code) => fail(new Error(`fit worker exited with code ${code} before answering`), true));
  });
}

/**
 * fitShopModel(customers, config, calibrationEnd) in a worker thread, so the event loop keeps
 * serving ingest and decide meanwhile; inline if a worker cannot start (logged). A fit that
 * throws in the worker rejects as it would inline.
 * @example const { model, thread } = await fitOffThread(customers, DEFAULT_SCORING, Date.UTC(1997, 8, 30)) // thread: 'worker'
 */
export async function fitOffThread(
  customers: readonly FitCustomer[], config: ScoringConfig, calibrationEnd: number, opts: ThreadOptions = {},
): Promise<{ model: ShopModel; thread: FitThread }> {
  if (opts.thread === 'inline') return { model: fitShopModel(customers, config, calibrationEnd), thread: 'inline' };
  const entry = opts.entry ?? defaultWorkerEntry();
  try {
    const job: FitJob = { customers: packFitCustomers(customers), config, calibrationEnd };
    return { model: await runInWorker(entry, job), thread: 'worker' };
  } catch (e) {
    if (!(e as { start?: boolean }).start) throw e;
    (opts.log ?? defaultLog)({ level: 'warn', msg: 'fit worker failed before answering; fitting on the main thread', entry: entry.href, error: String((e as Error)?.message ?? e) });
    return { model: fitShopModel(customers, config, calibrationEnd), thread: 'inline' };
  }
}

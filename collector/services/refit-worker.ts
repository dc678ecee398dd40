/**
 * Worker-thread entry of the shop-model fit (started by refit-thread.ts): fitShopModel is
 * synchronous and takes a few hundred milliseconds on a large shop, which would stall every
 * ingest and decide request queued behind it on the main thread.
 *
 * Input (workerData): packed customers, the scoring config and the calibration end. Output: one
 * message, `{ ok: true, model }` or `{ ok: false, error }`. Bundled for production next to
 * dist/collector/cli.js (collector/build.mjs); loaded through tsx from the sources. No
 * top-level await and no import.meta here: from the sources it is loaded as CommonJS.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitShopModel } from '../models/fit.ts';
import type { ScoringConfig } from '../models/config.ts';
import { type PackedCustomers, unpackFitCustomers } from './refit-pack.ts';

/** What the host hands the worker. */
export interface FitJob { customers: PackedCustomers; config: ScoringConfig; calibrationEnd: number }

if (parentPort) {
  const job = workerData as FitJob;
  try {
    const model = fitShopModel(unpackFitCustomers(job.customers), job.config, job.calibrationEnd);
    parentPort.postMessage({ ok: true, model });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
}

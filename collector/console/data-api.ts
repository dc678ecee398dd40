/**
 * The Data page's API, mounted in the per-site console API. Imports run the collector's own
 * services, as the admin API and the CLI do: customers through `importCustomers` (the CSV reader
 * of identity-import-parse.ts), orders through `importAndRescore` (services/orders-import-csv.ts), then the
 * touched profiles are rescored. The answer streams as NDJSON — `{"progress":{done,total}}` lines
 * while batches commit, then one `{"report":…}` (or `{"error":…}`) — so the page can draw a
 * progress bar over one request and list bad rows by their line in the file.
 * The model: the refit service's fit description and status; "refit now" for owners.
 */
import { Hono, type Context } from 'hono';
import { HttpError } from '../http/errors.ts';
import { readCsv } from '../http/body.ts';
import type { Site } from '../store/types.ts';
import { csvRows, ImportFileError, type RawRecord } from '../services/identity-import-parse.ts';
import { importCustomers } from '../services/identity-import.ts';
import { importAndRescore, InvalidCsvError, parseShopOrders } from '../services/orders-import-csv.ts';
import { describeFit, modelFitter, type StoredModel } from '../services/refit.ts';
import { allow, type ConsoleEnv } from './auth.ts';
import type { ConsoleDeps } from './routes.ts';

type Env = ConsoleEnv & { Variables: { site: Site } };

/** Largest file taken from the browser; larger ones go through `idic import-*`. */
export const CONSOLE_IMPORT_MAX_BYTES = 32 * 1024 * 1024;

/** About this many progress lines per import, whatever its size. */
const STEPS = 20;
const batchOf = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.ceil(n / STEPS)));

const csvText = (c: Context) => readCsv(c, CONSOLE_IMPORT_MAX_BYTES, 'import larger ones with the idic CLI');

/**
 * Run `work`, streaming what it emits as NDJSON lines; a failure after the start is the last line.
 * The work runs to its end even when the reader goes away (a closed tab): stopping at the next
 * progress line would leave an import cut after some batch, its profiles not rescored.
 */
function ndjson(work: (emit: (line: object) => void) => Promise<object>): Response {
  const enc = new TextEncoder();
  let reading = true;
  const body = new ReadableStream<Uint8Array>({
    async start(ctl) {
      const emit = (line: object) => { if (reading) ctl.enqueue(enc.encode(JSON.stringify(line) + '\n')); };
      try {
        emit({ report: await work(emit) });
      } catch (e) {
        emit({ error: { code: e instanceof HttpError ? e.code : 'internal', message: e instanceof HttpError ? e.message : 'import failed; batches before this one were kept' } });
      }
      if (reading) ctl.close();
    },
    cancel() {
      reading = false;
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

export function dataApi({ svc, setModel }: ConsoleDeps) {
  const app = new Hono<Env>();
  // The collector's one fitter (shared with the admin routes and the refit loop), so its status is theirs.
  const fitter = () => modelFitter(svc, setModel ?? (() => {}));
  const editors = allow('owner', 'marketer');

  app.post('/import/customers', editors, async (c) => {
    const site = c.get('site');
    const text = await csvText(c);
    // Read the whole file first: a bad header is a 400 before anything is written, and the total is known.
    const records: RawRecord[] = [];
    try {
      for await (const r of csvRows(each([text]))) records.push(r);
    } catch (e) {
      if (e instanceof ImportFileError) throw new HttpError(400, 'invalid_file', e.message);
      throw e;
    }
    return ndjson(async (emit) => {
      const total = records.length;
      emit({ progress: { done: 0, total } });
      return importCustomers(svc, site, each(records), {
        batchSize: batchOf(total, 100, 1000),
        onProgress: (r) => emit({ progress: { done: r.rows, total } }),
      });
    });
  });

  app.post('/import/orders', editors, async (c) => {
    const site = c.get('site');
    const text = await csvText(c);
    let parsed;
    try {
      parsed = parseShopOrders(svc, site, text);
    } catch (e) {
      throw e instanceof InvalidCsvError ? new HttpError(400, 'invalid_csv', e.message) : e;
    }
    const p = parsed;
    return ndjson(async (emit) => {
      // Rejected rows are done once parsed; the rest as their transactions commit.
      emit({ progress: { done: p.errors.length, total: p.rows } });
      return importAndRescore(svc, site, p, {
        chunkOrders: batchOf(p.orders.length, 500, 20_000),
        onProgress: (done) => emit({ progress: { done: p.errors.length + done, total: p.rows } }),
      });
    });
  });

  /** The same description and status as GET /v1/admin/model. */
  app.get('/model', async (c) => {
    const site = c.get('site');
    const model = (await svc.store.getShopModel(site.id)) as StoredModel | null;
    return c.json({ model: model ? describeFit(model) : null, status: fitter().status(site.id) });
  });

  app.post('/model/refit', allow('owner'), async (c) => {
    const site = c.get('site');
    const { model } = await fitter().fit(site, { trigger: `console:${c.get('session').user.email}` });
    return c.json({ model: describeFit(model), status: fitter().status(site.id) });
  });
  return app;
}

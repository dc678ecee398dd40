/**
 * The shop model kept current: fit BG/NBD, Gamma-Gamma, cut-offs and RFM quintiles on every
 * buyer's purchase log (models/fit.ts), store it, swap it into the running collector, and
 * rescore every profile with it.
 *
 * Off the hot path: fitShopModel (≈0.2–0.6 s for 23,570 customers) runs in a worker thread
 * (refit-thread.ts); profiles are read and rescored on the main thread in pages sized to take
 * about `pageBudgetMs` each (default 10 ms), each page its own short transaction, with a turn of
 * the event loop (setImmediate) between pages, so ingest and decide interleave with a refit.
 * test/collector/refit-loop.test.ts measures the longest event-loop pause during a refit.
 */
import { DAY_MS } from '../models/customer-summary.ts';
import type { ScoringConfig } from '../models/config.ts';
import type { ShopModel } from '../models/shop-model.ts';
import type { Site } from '../store/types.ts';
import type { Services } from './context.ts';
import { fitOffThread, type FitThread } from './refit-thread.ts';
import { loadFitCustomers, PAGE_BUDGET_MS, pageSizer, rescorePaced } from './refit-pages.ts';

// Existing callers import these from here.
export { jsonColumn, pageSizer, rescoreProfiles } from './refit-pages.ts';

/** What a stored model carries about the fit that made it (beside the ShopModel itself). */
export interface FitInfo {
  /** Wall-clock time the fit finished. */
  at: number;
  /** Calibration end (orders after it were left out). */
  calibrationEnd: number;
  unit: ScoringConfig['unit'];
  trigger: string;
  /** Trusted orders stored when the fit ran: the refit loop compares against it. */
  ordersStored: number;
  loadMs: number;
  fitMs: number;
  rescoreMs: number;
  profilesRescored: number;
  /** Where fitShopModel ran: 'inline' blocks the event loop for fitMs. */
  fitThread?: FitThread;
  /** Longest page of reading or rescoring profiles: the longest the refit held the event loop. */
  maxPageMs?: number;
}

export type StoredModel = ShopModel & { fit?: FitInfo };

export interface FitOptions {
  /** Calibration end, epoch ms (default: now). */
  until?: number;
  unit?: ScoringConfig['unit'];
  /** Scores are computed as of this time (default: now). */
  asOf?: number;
  trigger?: string;
  /** Most profiles per page while loading and rescoring. @default 1000 */
  pageSize?: number;
  /** Event-loop time a page aims at: page sizes adapt to it, within [10, pageSize]. @default 10 */
  pageBudgetMs?: number;
  /** Where to run fitShopModel. @default 'worker' */
  thread?: FitThread;
  /** Where a fallback from the worker to the main thread is reported. @default JSON on stderr */
  log?: (e: Record<string, unknown>) => void;
}

/**
 * The last millisecond of a calendar date (YYYY-MM-DD) in the shop's time zone: a calibration
 * end given as a date includes that whole day. Null if the date is not one.
 * @example endOfShopDay('1997-09-30', 420) // Date.UTC(1997, 8, 30, 16, 59, 59, 999)
 */
export function endOfShopDay(date: string, utcOffsetMinutes: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(start).toISOString().slice(0, 10) !== date) return null;
  return start + DAY_MS - 1 - utcOffsetMinutes * 60_000;
}

/** Trusted orders stored for the site (completed or not): the refit loop's change counter. */
export async function ordersStored(svc: Services, siteId: string): Promise<number> {
  const { rows } = await svc.store.query('SELECT COUNT(*) AS n FROM orders WHERE site_id = ?', [siteId]);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Fit the site's model on its buyers' purchase logs up to `until`, save it, hand it to
 * `setModel`, and rescore every profile with it.
 * @example const { model, info } = await fitSite(svc, site, app.setModel, { until: Date.UTC(1997, 8, 30), unit: 'week' })
 */
export async function fitSite(svc: Services, site: Site, setModel: (siteId: string, m: ShopModel) => void, opts: FitOptions = {}): Promise<{ model: StoredModel; info: FitInfo }> {
  const now = svc.clock.now();
  const asOf = opts.asOf ?? now;
  const config: ScoringConfig = { ...site.settings.scoring, unit: opts.unit ?? site.settings.scoring.unit };
  const until = opts.until ?? now;
  const pageSize = opts.pageSize ?? 1000;
  const budget = opts.pageBudgetMs ?? PAGE_BUDGET_MS;
  const stored = await ordersStored(svc, site.id);

  let t = performance.now();
  const loadPages = pageSizer(pageSize, budget);
  const customers = await loadFitCustomers(svc, site.id, config, asOf, loadPages);
  const loadMs = performance.now() - t;
  t = performance.now();
  const { model: fitted, thread } = await fitOffThread(customers, config, until, { thread: opts.thread, log: opts.log });
  const fitMs = performance.now() - t;

  setModel(site.id, fitted);
  t = performance.now();
  // Without an explicit as-of, each page is scored at its own now, never behind what ingest wrote meanwhile.
  const rescorePages = pageSizer(pageSize, budget);
  const profilesRescored = await rescorePaced(svc, site, fitted, { asOf: opts.asOf, config }, rescorePages);
  const info: FitInfo = {
    at: svc.clock.now(), calibrationEnd: until, unit: config.unit, trigger: opts.trigger ?? 'manual', ordersStored: stored,
    loadMs, fitMs, rescoreMs: performance.now() - t, profilesRescored,
    fitThread: thread, maxPageMs: Math.max(loadPages.maxMs, rescorePages.maxMs),
  };
  const model: StoredModel = { ...fitted, fit: info };
  await svc.store.saveShopModel(site.id, model);
  setModel(site.id, model);
  return { model, info };
}

export interface RefitPolicy {
  /** Refit when this long has passed since the last fit and new orders arrived. @default 10 min */
  intervalMs: number;
  /** Refit sooner once this many new trusted orders arrived. @default 1000 */
  afterOrders: number;
  /** Refit anyway after this long: recency and P(alive) move with time alone. @default 24 h */
  maxAgeMs: number;
  /** How often the loop looks. @default 30 s */
  checkEveryMs: number;
}

export const DEFAULT_REFIT: RefitPolicy = { intervalMs: 10 * 60_000, afterOrders: 1000, maxAgeMs: 24 * 3_600_000, checkEveryMs: 30_000 };

/**
 * Why a site's model should be refitted now, or null. Pure.
 * @example refitReason({ at: 0, ordersStored: 10 }, 1500, 11 * 60_000, DEFAULT_REFIT) // 'orders'
 */
export function refitReason(last: Pick<FitInfo, 'at' | 'ordersStored'> | null, orders: number, now: number, policy: RefitPolicy): string | null {
  if (!last) return orders > 0 ? 'first' : null;
  const added = orders - last.ordersStored;
  const age = now - last.at;
  if (added >= policy.afterOrders) return 'orders';
  if (added !== 0 && age >= policy.intervalMs) return 'interval';
  if (age >= policy.maxAgeMs) return 'age';
  return null;
}

export interface FitterStatus { running: boolean; lastError: string | null; lastCheckAt: number | null }

/** One fit at a time per site, with its status; shared by the refit loop and the admin routes. */
export interface ModelFitter {
  fit(site: Site, opts?: FitOptions): Promise<{ model: StoredModel; info: FitInfo }>;
  /**
   * Refit every site whose model is due (see refitReason); returns the sites refitted. A site
   * whose fit failed is not among them: it goes to `onError` (and status().lastError), its stored
   * model is left as it was, and it is due again at the next check.
   */
  check(policy?: RefitPolicy, onError?: (siteId: string, error: unknown) => void): Promise<string[]>;
  status(siteId: string): FitterStatus;
}

const fitters = new WeakMap<Services, ModelFitter>();

/** The fitter of one running collector (created on first use). */
export function modelFitter(svc: Services, setModel: (siteId: string, m: ShopModel) => void): ModelFitter {
  let f = fitters.get(svc);
  if (f) return f;
  const running = new Map<string, Promise<{ model: StoredModel; info: FitInfo }>>();
  const errors = new Map<string, string | null>();
  let lastCheckAt: number | null = null;
  const fit = (site: Site, opts: FitOptions = {}): Promise<{ model: StoredModel; info: FitInfo }> => {
    const current = running.get(site.id);
    // A fit asked with its own calibration end, unit or as-of is not the running one: it runs next.
    if (current && (opts.until !== undefined || opts.unit !== undefined || opts.asOf !== undefined)) {
      return current.then(() => {}, () => {}).then(() => fit(site, opts));
    }
    if (current) return current;
    const p = fitSite(svc, site, setModel, opts).then(
      (r) => { errors.set(site.id, null); return r; },
      (e) => { errors.set(site.id, String((e as Error)?.message ?? e)); throw e; },
    ).finally(() => running.delete(site.id));
    running.set(site.id, p);
    return p;
  };
  f = {
    fit,
    async check(policy = DEFAULT_REFIT, onError) {
      lastCheckAt = svc.clock.now();
      const done: string[] = [];
      for (const site of await svc.store.listSites()) {
        if (running.has(site.id)) continue;
        const last = ((await svc.store.getShopModel(site.id)) as StoredModel | null)?.fit ?? null;
        const reason = refitReason(last, await ordersStored(svc, site.id), svc.clock.now(), policy);
        if (!reason) continue;
        try {
          await fit(site, { trigger: reason });
          done.push(site.id);
        } catch (e) {
          onError?.(site.id, e);
        }
      }
      return done;
    },
    status: (siteId) => ({ running: running.has(siteId), lastError: errors.get(siteId) ?? null, lastCheckAt }),
  };
  fitters.set(svc, f);
  return f;
}

/**
 * Start the background refit loop of a running collector (`idic serve`, the demo).
 * @example const refit = startRefit(app); … await refit.stop();
 */
export function startRefit(app: { services: Services; setModel(siteId: string, m: ShopModel): void }, policy: Partial<RefitPolicy> = {}, log: (e: Record<string, unknown>) => void = (e) => console.error(JSON.stringify(e))) {
  const p: RefitPolicy = { ...DEFAULT_REFIT, ...policy };
  const fitter = modelFitter(app.services, app.setModel);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let pass: Promise<unknown> = Promise.resolve();
  const tick = () => {
    const failed = (site: string, e: unknown) => log({ level: 'error', msg: 'shop model refit failed', site, error: String((e as Error)?.stack ?? e) });
    pass = fitter.check(p, failed)
      .then((sites) => { if (sites.length) log({ level: 'info', msg: 'shop model refitted', sites }); })
      .catch((e) => log({ level: 'error', msg: 'refit failed', error: String((e as Error)?.stack ?? e) }))
      .finally(() => { if (!stopped) (timer = setTimeout(tick, p.checkEveryMs)).unref(); });
  };
  // The first look waits a moment so start-up (and the first requests) come first.
  (timer = setTimeout(tick, Math.min(1000, p.checkEveryMs))).unref();
  return {
    fitter,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await pass;
    },
  };
}

/**
 * The fit as the CLI and the console show it: `{ customers, bgnbd: { r, alpha, a, b },
 * gammaGamma: { p, q, v }, … }`, null parameters when a model could not be fitted.
 */
export function describeFit(model: StoredModel) {
  const day = (ts: number) => new Date(ts).toISOString();
  return {
    customers: model.customers,
    bgnbd: model.bgnbd ? { r: model.bgnbd.r, alpha: model.bgnbd.alpha, a: model.bgnbd.a, b: model.bgnbd.b } : null,
    gammaGamma: model.gammaGamma ? { p: model.gammaGamma.p, q: model.gammaGamma.q, v: model.gammaGamma.v } : null,
    unit: model.unit ?? null,
    calibrationEnd: model.fittedAt ? day(model.fittedAt) : null,
    repeatCustomers: model.diagnostics?.repeatCustomers ?? null,
    logLikelihood: { bgnbd: model.diagnostics?.bgnbdLogLikelihood ?? null, gammaGamma: model.diagnostics?.gammaGammaLogLikelihood ?? null },
    mvcClv: model.mvcClv,
    quintiles: model.quintiles,
    priceCuts: model.priceCuts ?? null,
    fit: model.fit ? { ...model.fit, at: day(model.fit.at), calibrationEnd: day(model.fit.calibrationEnd) } : null,
  };
}

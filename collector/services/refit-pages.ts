/**
 * A refit's work on the main thread, in pages that each hold the event loop for about
 * `budgetMs` (refit.ts runs the fit itself in a worker): reading every buyer's purchase log and
 * rescoring profiles. Each page is one statement or one short transaction, with a turn of the
 * event loop (setImmediate) between pages so ingest and decide requests get in.
 */
import type { Profile } from '../profile.ts';
import { fitCustomerFromStats, type FitCustomer } from '../models/fit.ts';
import { scoreProfile } from '../models/score.ts';
import type { ScoringConfig } from '../models/config.ts';
import type { ShopModel } from '../models/shop-model.ts';
import type { Site, SqlRunner } from '../store/types.ts';
import type { Services } from './context.ts';

const MIN_PAGE = 10;
// Small first page: it also pays for compiling the scoring code.
const FIRST_PAGE = 20;
export const PAGE_BUDGET_MS = 10;

/**
 * Page sizes that keep each page near `budgetMs` of event-loop time: after each page the next
 * size is what the last page's time per profile allows, at most doubling (one fast page must not
 * make the next one huge), within [10, max]. Also keeps the count and the longest page.
 * @example const pages = pageSizer(1000, 10); pages.record(20, 4); pages.size // 40 (50 affordable, doubling caps it)
 */
export function pageSizer(max: number, budgetMs = PAGE_BUDGET_MS) {
  let size = Math.max(1, Math.min(max, FIRST_PAGE));
  let maxMs = 0;
  let count = 0;
  return {
    get size() { return size; },
    get maxMs() { return maxMs; },
    get pages() { return count; },
    record(profiles: number, ms: number) {
      count++;
      maxMs = Math.max(maxMs, ms);
      if (profiles === 0) return;
      const affordable = Math.floor((profiles * budgetMs) / Math.max(ms, 0.01));
      size = Math.max(Math.min(MIN_PAGE, max), Math.min(max, affordable, size * 2));
    },
  };
}

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A JSON column as stored: text in SQLite, possibly already parsed (jsonb) in PostgreSQL. */
export const jsonColumn = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export type PageSizer = ReturnType<typeof pageSizer>;

/** Every buyer's purchase log in fitShopModel's shape, read in paced pages by profile id. */
export async function loadFitCustomers(svc: Services, siteId: string, config: ScoringConfig, asOf: number, pages: PageSizer): Promise<FitCustomer[]> {
  const customers: FitCustomer[] = [];
  let after = '';
  for (;;) {
    const t = performance.now();
    const size = pages.size;
    const { rows } = await svc.store.query('SELECT id, stats FROM profiles WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?', [siteId, after, size]);
    for (const r of rows) {
      const stats = jsonColumn<Profile['stats']>(r.stats);
      if (stats.orders > 0) customers.push(fitCustomerFromStats(stats, config, asOf));
    }
    pages.record(rows.length, performance.now() - t);
    if (rows.length < size) return customers;
    after = rows[rows.length - 1].id as string;
    await yieldToLoop();
  }
}

/**
 * Recompute the stored scores of profiles (all of the site's, or `ids`) with `model`, a page
 * per transaction, pages sized to about `pageBudgetMs` of event-loop time (at most `pageSize`).
 * Stats are re-read inside the transaction, and a row is only updated while its stats are still
 * the ones scored, so an event ingested meanwhile is never overwritten by stale figures. Returns how many profiles were rescored.
 */
export async function rescoreProfiles(
  svc: Services, site: Site, model: ShopModel,
  opts: { ids?: readonly string[]; asOf?: number; pageSize?: number; pageBudgetMs?: number; config?: ScoringConfig } = {},
): Promise<number> {
  return rescorePaced(svc, site, model, opts, pageSizer(opts.pageSize ?? 1000, opts.pageBudgetMs ?? PAGE_BUDGET_MS));
}

export async function rescorePaced(
  svc: Services, site: Site, model: ShopModel,
  opts: { ids?: readonly string[]; asOf?: number; config?: ScoringConfig }, pages: PageSizer,
): Promise<number> {
  const config = opts.config ?? site.settings.scoring;
  let count = 0;
  const rescore = async (select: (tx: SqlRunner) => Promise<{ id: string; stats: unknown }[]>) => {
    const t = performance.now();
    let n = 0;
    await svc.store.write(async (tx) => {
      let rows = await select(tx);
      n = rows.length;
      const asOf = opts.asOf ?? svc.clock.now();
      // The read takes no row locks: on PostgreSQL (READ COMMITTED) ingest may commit a profile
      // between it and the update, with fresher stats and scores. So a row is updated only where
      // its stats are still the ones read; the others are read again (an erased one is gone and
      // stays gone) and scored from what they hold now.
      for (let attempt = 0; rows.length > 0 && attempt < 3; attempt++) {
        const moved: string[] = [];
        for (const r of rows) {
          const scores = scoreProfile(jsonColumn(r.stats), model, config, asOf);
          const { changes } = await tx.query('UPDATE profiles SET scores = ? WHERE site_id = ? AND id = ? AND stats = ?', [JSON.stringify(scores), site.id, r.id, r.stats]);
          if (changes === 0) moved.push(r.id);
        }
        if (moved.length === 0) break;
        const { rows: again } = await tx.query(`SELECT id, stats FROM profiles WHERE site_id = ? AND id IN (${moved.map(() => '?').join(', ')})`, [site.id, ...moved]);
        rows = again as { id: string; stats: unknown }[];
      }
    });
    count += n;
    pages.record(n, performance.now() - t);
  };
  if (opts.ids) {
    for (let i = 0; i < opts.ids.length;) {
      const ids = opts.ids.slice(i, (i += pages.size));
      await rescore(async (tx) => {
        const { rows } = await tx.query(`SELECT id, stats FROM profiles WHERE site_id = ? AND id IN (${ids.map(() => '?').join(', ')})`, [site.id, ...ids]);
        return rows as { id: string; stats: unknown }[];
      });
      await yieldToLoop();
    }
    return count;
  }
  let after = '';
  for (;;) {
    let last: string | null = null;
    const size = pages.size;
    await rescore(async (tx) => {
      const { rows } = await tx.query('SELECT id, stats FROM profiles WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?', [site.id, after, size]);
      last = rows.length === size ? (rows[rows.length - 1].id as string) : null;
      return rows as { id: string; stats: unknown }[];
    });
    if (last === null) return count;
    after = last;
    await yieldToLoop();
  }
}

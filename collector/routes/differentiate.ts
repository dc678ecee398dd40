/**
 * Differentiate admin routes (site secret key): historical orders import, the shop model's
 * fit and its status, and the value pyramid.
 *   POST /v1/admin/import/orders   text/csv body → row-level report
 *   GET  /v1/admin/model           fitted parameters, fit time, diagnostics, refit status
 *   POST /v1/admin/model/refit     { until?: 'YYYY-MM-DD', unit?: 'day'|'week' } → fit now
 *   GET  /v1/admin/pyramid         count and share of value per tier
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { HttpError, invalid } from '../http/errors.ts';
import { readCsv, readJson } from '../http/body.ts';
import { keyFromHeaders, type KeyResolver } from '../http/auth.ts';
import type { Site } from '../store/types.ts';
import type { Services } from '../services/context.ts';
import type { ShopModel } from '../models/shop-model.ts';
import { describeFit, endOfShopDay, modelFitter, type StoredModel } from '../services/refit.ts';
import { sitePyramid } from '../services/pyramid.ts';
import { importAndRescore, InvalidCsvError, parseShopOrders } from '../services/orders-import-csv.ts';

type Env = { Variables: { site: Site } };

/** Largest CSV accepted over HTTP (about a million orders); larger files go through the CLI. */
const MAX_CSV_BYTES = 64 * 1024 * 1024;

const refitBody = z.object({
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional(),
  unit: z.enum(['day', 'week']).optional(),
}).strict();

function parseCsvOr400(svc: Services, site: Site, text: string) {
  try {
    return parseShopOrders(svc, site, text);
  } catch (e) {
    if (e instanceof InvalidCsvError) throw new HttpError(400, 'invalid_csv', e.message);
    throw e;
  }
}

export function differentiateRoutes(deps: { svc: Services; keys: KeyResolver; setModel: (siteId: string, m: ShopModel) => void }) {
  const { svc, keys, setModel } = deps;
  const fitter = modelFitter(svc, setModel);
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const caller = await keys.resolve(keyFromHeaders(c));
    if (!caller.trusted) throw new HttpError(403, 'forbidden', 'admin routes need the site secret key, not the public write key');
    c.set('site', caller.site);
    await next();
  });

  app.post('/import/orders', async (c) => {
    const site = c.get('site');
    const text = await readCsv(c, MAX_CSV_BYTES, 'import larger files with `idic import-orders`');
    return c.json(await importAndRescore(svc, site, parseCsvOr400(svc, site, text)));
  });

  app.get('/model', async (c) => {
    const site = c.get('site');
    const model = (await svc.store.getShopModel(site.id)) as StoredModel | null;
    return c.json({ model: model ? describeFit(model) : null, status: fitter.status(site.id) });
  });

  app.post('/model/refit', async (c) => {
    const site = c.get('site');
    const raw = c.req.header('content-length') === '0' ? {} : await readJson(c, 4096).catch((e) => { if (e instanceof HttpError && e.code === 'empty_body') return {}; throw e; });
    const body = refitBody.safeParse(raw);
    if (!body.success) throw invalid(body.error);
    const until = body.data.until ? endOfShopDay(body.data.until, site.settings.utcOffsetMinutes) : undefined;
    if (until === null) throw new HttpError(400, 'invalid_request', `until: ${body.data.until} is not a calendar date`);
    const { model } = await fitter.fit(site, { until, unit: body.data.unit, trigger: 'admin' });
    return c.json({ model: describeFit(model) });
  });

  app.get('/pyramid', async (c) => c.json(await sitePyramid(svc, c.get('site').id)));

  return app;
}

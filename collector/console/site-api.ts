/**
 * Per-site console API, mounted at /v1/console/sites/:site. Reads are open to every role;
 * each write names the roles allowed to make it.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { HttpError, invalid } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import type { Site } from '../store/types.ts';
import { allow, type ConsoleEnv } from './auth.ts';
import type { ConsoleDeps } from './routes.ts';
import { localDay, overview } from './figures.ts';
import { experiments } from './experiments.ts';
import { customer360, customerOr404, tierMembers } from './customers.ts';
import { VALUE_TIERS } from '../offers/schema.ts';
import { csv } from './csv.ts';
import { loyaltyApi } from './loyalty-api.ts';
import { eraseCustomer, exportCustomer } from '../services/privacy.ts';
import { findCustomer } from '../services/identity.ts';
import { dataApi } from './data-api.ts';
import { retiringKeys, rotateKey } from './keys.ts';
import { offersApi } from './offers-api.ts';
import { patchSettings } from '../routes/admin.ts';

type Env = ConsoleEnv & { Variables: { site: Site } };
const DAY = 86_400_000;

export function siteApi(deps: ConsoleDeps) {
  const { svc, keys } = deps;
  const app = new Hono<Env>();
  app.use('*', async (c, next) => {
    const site = await svc.store.getSite(c.req.param('site') ?? '');
    if (!site) throw new HttpError(404, 'not_found', 'no such site');
    c.set('site', site);
    await next();
  });
  const profileOr404 = (site: Site, id: string) => customerOr404(svc.store, site, id);

  app.get('/overview', async (c) => c.json(await overview(svc.store, c.get('site'), svc.clock.now())));
  app.route('/offers', offersApi(deps));
  app.route('/', loyaltyApi(deps));

  app.get('/customers', async (c) => {
    const q = (c.req.query('q') ?? '').trim();
    if (!q) throw new HttpError(400, 'invalid_request', 'q: type an id, e-mail or external key');
    const site = c.get('site');
    // Any id the identity graph knows, or an e-mail / phone as typed (stored hashed / normalised).
    const p = await findCustomer(svc.store, site.id, q);
    return c.json({ results: p ? [{ id: p.id, userId: p.userId, tier: p.scores.tier, email: p.traits.email ?? null, lastSeen: p.stats.lastSeen }] : [] });
  });
  const tierQuery = z.object({ tier: z.enum(VALUE_TIERS), limit: z.coerce.number().int().min(1).max(500).default(50) });
  app.get('/tiers/:tier/customers', async (c) => {
    const q = tierQuery.safeParse({ tier: c.req.param('tier'), limit: c.req.query('limit') });
    if (!q.success) throw invalid(q.error);
    return c.json({ tier: q.data.tier, ...(await tierMembers(svc.store, c.get('site').id, q.data.tier, q.data.limit)) });
  });
  // The whole tier for a campaign elsewhere (e-mail, ads): owners and marketers, as the JSON export.
  app.get('/tiers/:tier/customers.csv', allow('owner', 'marketer'), async (c) => {
    const q = tierQuery.safeParse({ tier: c.req.param('tier') });
    if (!q.success) throw invalid(q.error);
    const site = c.get('site');
    const { rows } = await tierMembers(svc.store, site.id, q.data.tier, Infinity);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="customers-${q.data.tier}.csv"`);
    return c.body(csv(['profile_id', 'user_id', 'name', 'email', 'clv', 'orders', 'revenue', 'last_order', 'needs'],
      rows.map((m) => [m.id, m.userId, m.name, m.email, m.clv, m.orders, m.revenue, m.lastOrderAt === null ? null : localDay(m.lastOrderAt, site.settings.utcOffsetMinutes).day, m.needs.join(' ')])));
  });
  app.get('/customers/:id', async (c) => {
    const site = c.get('site');
    const cursor = c.req.query('before');
    if (cursor !== undefined && !/^\d{1,15}\.\d{1,15}$/.test(cursor)) throw new HttpError(400, 'invalid_request', 'before: must be the "next" cursor of the previous page');
    const [before, beforeSeq] = cursor ? cursor.split('.').map(Number) : [undefined, undefined];
    return c.json(await customer360(svc.store, site.id, await profileOr404(site, c.req.param('id')), { before, beforeSeq, limit: 100 }));
  });
  app.get('/customers/:id/export', allow('owner', 'marketer'), async (c) => {
    const site = c.get('site');
    const p = await profileOr404(site, c.req.param('id'));
    // The same service as GET /v1/admin/profiles/:id/export.
    const data = await exportCustomer(svc.store, site, p, svc.clock.now());
    c.header('content-disposition', `attachment; filename="customer-${p.id}.json"`);
    return c.json(data);
  });
  app.delete('/customers/:id', allow('owner'), async (c) => {
    const site = c.get('site');
    // The same service as DELETE /v1/admin/profiles/:id.
    return c.json(await eraseCustomer(svc.store, site, (await profileOr404(site, c.req.param('id'))).id));
  });

  app.get('/experiments', async (c) => {
    const days = z.coerce.number().int().min(1).max(365).default(90).safeParse(c.req.query('days'));
    if (!days.success) throw invalid(days.error, 'days');
    return c.json({ rows: await experiments(svc.store, c.get('site'), svc.clock.now() - days.data * DAY), days: days.data });
  });

  app.route('/', dataApi(deps));

  app.get('/settings', async (c) => {
    const site = c.get('site');
    const owner = c.get('session').user.role === 'owner';
    return c.json({
      id: site.id, name: site.name, settings: site.settings, writeKey: site.writeKey,
      // The secret signs identity hashes and opens the admin API: owners only, and masked.
      secretKey: owner ? site.secretKey.slice(0, 6) + '…' + site.secretKey.slice(-4) : null,
      retiring: await retiringKeys(svc.store, site.id, svc.clock.now()),
    });
  });
  app.patch('/settings', allow('owner'), async (c) => {
    const site = c.get('site');
    const settings = await patchSettings(svc, site, await readJson(c, 64 * 1024));
    keys.invalidate();
    return c.json({ settings });
  });
  app.post('/keys/rotate', allow('owner'), async (c) => {
    const body = z.object({ kind: z.enum(['write', 'secret']), graceDays: z.number().min(0).max(90).default(7) }).safeParse(await readJson(c, 1024));
    if (!body.success) throw invalid(body.error);
    const r = await rotateKey(svc.store, c.get('site').id, body.data.kind, svc.clock.now(), body.data.graceDays * DAY);
    keys.invalidate();
    // The new secret is shown once, in full, to the owner who rotated it.
    return c.json(r);
  });
  return app;
}

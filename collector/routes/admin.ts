/**
 * Admin API for the shop's backend, the CLI and the console: needs the site's secret key.
 * (The console adds session-based access for marketer accounts on top of the same routes.)
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { HttpError, invalid } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import { keyFromHeaders, type KeyResolver } from '../http/auth.ts';
import type { Site } from '../store/types.ts';
import type { Services } from '../services/context.ts';
import type { SiteCaches } from '../services/decide.ts';
import { findCustomer, mergeProfiles } from '../services/identity.ts';
import { upliftFor } from '../services/uplift.ts';
import { InvalidSettingsError, updateSiteSettings } from '../services/sites.ts';
import { expectedVersionOf, saveOffer } from '../services/offers.ts';
import type { Profile } from '../profile.ts';
import { offerInput } from '../offers/schema.ts';

type Env = { Variables: { site: Site; actor: string } };

/** PATCH a site's settings: 400 naming each bad field, nothing saved. */
export async function patchSettings(svc: Services, site: Site, patch: unknown) {
  try {
    return await updateSiteSettings(svc.store, site, patch);
  } catch (e) {
    if (e instanceof InvalidSettingsError) throw invalid(e.error);
    throw e;
  }
}

export function adminRoutes(deps: { svc: Services; keys: KeyResolver; caches: SiteCaches }) {
  const { svc, keys, caches } = deps;
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    const caller = await keys.resolve(keyFromHeaders(c));
    if (!caller.trusted) throw new HttpError(403, 'forbidden', 'admin routes need the site secret key, not the public write key');
    c.set('site', caller.site);
    c.set('actor', c.req.header('x-idic-actor')?.slice(0, 100) || 'api');
    await next();
  });

  const profileOr404 = async (site: Site, id: string) => {
    const p = await findCustomer(svc.store, site.id, id);
    if (!p) throw new HttpError(404, 'not_found', `no customer with id ${id.slice(0, 100)}`);
    return p;
  };

  app.get('/site', (c) => {
    const s = c.get('site');
    return c.json({ id: s.id, name: s.name, writeKey: s.writeKey, settings: s.settings });
  });
  app.patch('/site/settings', async (c) => {
    const site = c.get('site');
    const settings = await patchSettings(svc, site, await readJson(c, 64 * 1024));
    keys.invalidate();
    return c.json({ settings });
  });

  app.get('/profiles/:id', async (c) => c.json(await profileOr404(c.get('site'), c.req.param('id'))));

  app.get('/profiles/:id/timeline', async (c) => {
    const site = c.get('site');
    const p = await profileOr404(site, c.req.param('id'));
    const q = z.object({
      /** Opaque cursor from the previous page's `next`: "<ts>.<seq>". */
      before: z.string().regex(/^\d{1,15}\.\d{1,15}$/, 'before must be the "next" cursor of the previous page').optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }).safeParse(c.req.query());
    if (!q.success) throw invalid(q.error, 'query');
    const [before, beforeSeq] = q.data.before ? q.data.before.split('.').map(Number) : [undefined, undefined];
    const events = await svc.store.timeline(site.id, p.id, { before, beforeSeq, limit: q.data.limit });
    const last = events.at(-1);
    const next = events.length === q.data.limit && last ? `${last.ts}.${last.seq ?? 0}` : null;
    return c.json({ profileId: p.id, events, next });
  });

  app.post('/merge', async (c) => {
    const site = c.get('site');
    const body = z.object({ from: z.string().min(1).max(200), into: z.string().min(1).max(200) }).safeParse(await readJson(c, 4096));
    if (!body.success) throw invalid(body.error);
    const from = await profileOr404(site, body.data.from);
    const into = await profileOr404(site, body.data.into);
    if (from.id === into.id) return c.json({ profile: into, merged: false });
    const merged = await svc.store.write(async (tx) => {
      const profiles = new Map<string, Profile>();
      const p = await mergeProfiles(tx, svc, site, from.id, into.id, svc.clock.now(), profiles);
      if (p) await tx.saveProfile(p);
      return p;
    });
    return c.json({ profile: merged ?? into, merged: merged !== null });
  });

  app.get('/uplift', async (c) => {
    const q = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }).safeParse(c.req.query());
    if (!q.success) throw invalid(q.error, 'query');
    const since = svc.clock.now() - q.data.days * 86_400_000;
    return c.json({ since, rows: await upliftFor(svc.store, c.get('site'), since) });
  });

  app.get('/offers', async (c) => c.json({ offers: await svc.store.listOffers(c.get('site').id) }));
  app.get('/offers/:id/history', async (c) => {
    const id = c.req.param('id');
    // An id no offer can have has no history (and PostgreSQL cannot be asked about one with NUL).
    return c.json({ versions: offerInput.shape.id.safeParse(id).success ? await svc.store.offerHistory(c.get('site').id, id) : [] });
  });
  app.put('/offers/:id', async (c) => {
    const body = await readJson(c, 64 * 1024);
    const offer = await saveOffer(svc, caches, c.get('site'), { ...(body as object), id: c.req.param('id') }, c.get('actor'), expectedVersionOf(body));
    return c.json({ offer });
  });

  return app;
}

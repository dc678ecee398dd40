/**
 * Offer routes for the console: list with figures, one offer with its version history, save
 * (marketer and owner only), status changes along draft → active → paused → archived, and a
 * targeting check of an offer against a sample customer for the live preview.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { HttpError, invalid } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import { offerInput, OFFER_STATUSES } from '../offers/schema.ts';
import { expectedVersionOf, saveOffer } from '../services/offers.ts';
import { decideContext } from '../protocol.ts';
import { explain } from '../decide/targeting.ts';
import { decisionProfile } from '../services/decide.ts';
import type { Site } from '../store/types.ts';
import { allow, type ConsoleEnv } from './auth.ts';
import { offerFigures } from './figures.ts';
import type { ConsoleDeps } from './routes.ts';

type Env = ConsoleEnv & { Variables: { site: Site } };
type Status = (typeof OFFER_STATUSES)[number];

/** Allowed status changes; archived offers come back only as drafts. */
export const TRANSITIONS: Record<Status, Status[]> = {
  draft: ['active', 'archived'],
  active: ['paused', 'archived'],
  paused: ['active', 'archived'],
  archived: ['draft'],
};

export function offersApi({ svc, caches }: ConsoleDeps) {
  const app = new Hono<Env>();
  const editors = allow('owner', 'marketer');

  const find = async (site: Site, id: string) => {
    const o = (await svc.store.listOffers(site.id)).find((x) => x.id === id);
    if (!o) throw new HttpError(404, 'not_found', `no offer ${id.slice(0, 80)}`);
    return o;
  };

  app.get('/', async (c) => {
    const site = c.get('site');
    return c.json({ offers: await svc.store.listOffers(site.id), figures: await offerFigures(svc.store, site.id) });
  });
  app.get('/:id', async (c) => {
    const site = c.get('site');
    const offer = await find(site, c.req.param('id'));
    return c.json({ offer, history: await svc.store.offerHistory(site.id, offer.id), figures: (await offerFigures(svc.store, site.id))[offer.id] ?? null });
  });
  // The same service as PUT /v1/admin/offers/:id, with the signed-in account as the author.
  app.put('/:id', editors, async (c) => {
    const body = await readJson(c, 64 * 1024);
    const offer = await saveOffer(svc, caches, c.get('site'), { ...(body as object), id: c.req.param('id') }, c.get('session').user.email, expectedVersionOf(body));
    return c.json({ offer });
  });
  app.post('/:id/status', editors, async (c) => {
    const site = c.get('site');
    const body = z.object({ status: z.enum(OFFER_STATUSES), version: z.number().int() }).safeParse(await readJson(c, 1024));
    if (!body.success) throw invalid(body.error);
    const cur = await find(site, c.req.param('id'));
    if (!TRANSITIONS[cur.status].includes(body.data.status)) throw new HttpError(409, 'bad_transition', `an ${cur.status} offer cannot become ${body.data.status}`);
    return c.json({ offer: await saveOffer(svc, caches, site, { ...cur, status: body.data.status }, c.get('session').user.email, body.data.version) });
  });
  /** Would this customer match the offer's targeting? Pure check, nothing is stored. */
  app.post('/preview-match', async (c) => {
    const site = c.get('site');
    const body = z.object({ profile: z.string().min(1).max(200), target: z.unknown().optional(), locale: z.string().max(20).optional(), path: z.string().max(1000).optional() }).safeParse(await readJson(c, 64 * 1024));
    if (!body.success) throw invalid(body.error);
    const target = body.data.target === undefined ? undefined : offerInput.shape.target.safeParse(body.data.target);
    if (target && !target.success) throw invalid(target.error, 'target');
    const p = await svc.store.findProfile(site.id, body.data.profile);
    if (!p) throw new HttpError(404, 'not_found', 'no such customer');
    const ctx = decideContext.parse({ locale: body.data.locale, path: body.data.path });
    const r = explain(target?.data, decisionProfile(p, ctx, null), ctx);
    return c.json({ profileId: p.id, tier: p.scores.tier, affinities: p.scores.affinities, ...r });
  });
  return app;
}

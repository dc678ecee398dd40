/**
 * Loyalty routes.
 * - For the SDK (write key, verified identity only — userId with a valid userHash, whatever the
 *   site's verifyIdentity setting, because points are money): `POST /v1/loyalty/me`,
 *   `POST /v1/loyalty/redeem`.
 * - For the shop's backend (secret key): `/v1/admin/loyalty/*` — verify and consume a code at
 *   checkout, read and replace the rules, manage the rewards catalogue, adjust points, look up a
 *   customer's ledger.
 * - Around `POST /v1/decide`: loyalty prompts get the customer's figures.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { DIRTY, MAX_AMOUNT, wellFormed, type DecideResponse } from '../protocol.ts';
import { clientAddress } from '../http/client-address.ts';
import { HttpError, invalid } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import { checkOrigin, keyFromHeaders, type Caller, type KeyResolver } from '../http/auth.ts';
import { verifySiteUserHash } from '../http/hmac.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Services } from '../services/context.ts';
import type { Site } from '../store/types.ts';
import { TtlCache } from '../services/cache.ts';
import { loyaltySettings, rewardSchema, type LoyaltySettings } from '../loyalty/settings.ts';
import { changeSiteSettings, refuseUnknownKeys } from '../services/sites.ts';
import { findCustomer } from '../services/identity.ts';
import { adjustPoints, consumeCode, loyaltyMe, loyaltyRedeem, peekState, tierOf, verifyCode } from '../loyalty/service.ts';
import { entriesOf } from '../loyalty/repository.ts';
import { withLoyaltyFigures } from '../loyalty/prompts.ts';

export interface LoyaltyDeps { svc: Services; keys: KeyResolver; limiter: RateLimiter }

const identity = {
  writeKey: z.string().max(100).optional(),
  userId: z.string().trim().min(1).max(200),
  userHash: z.string().max(128),
  locale: z.string().max(20).optional(),
};
const meBody = z.object(identity);
const redeemBody = z.object({ ...identity, rewardId: z.string().min(1).max(100) });
const codeBody = z.object({
  code: z.string().trim().min(1).max(60).refine(wellFormed, DIRTY),
  orderTotal: z.number().min(0).max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`).optional(),
  orderId: z.string().min(1).max(200).optional(),
  /** When given, the code must belong to this customer. */
  userId: z.string().min(1).max(200).optional(),
});
/** A manual points adjustment (also the console's, without `customer`: it is in the path). */
export const adjustBody = z.object({
  customer: z.string().min(1).max(200),
  points: z.number().int().refine((n) => n !== 0, 'must not be 0').refine((n) => Math.abs(n) <= 1_000_000, 'at most 1,000,000'),
  reason: z.string().trim().min(1).max(200).refine(wellFormed, DIRTY),
  /** Idempotency key: a retried adjustment with the same key counts once. */
  key: z.string().min(1).max(100).refine(wellFormed, DIRTY).optional(),
});

/** `loyaltyTier(siteId, profileId)` for offer targeting (DecideInput.loyaltyTier). */
export function loyaltyTierLookup(svc: Services, ttlMs: number) {
  const sites = new TtlCache<Site | null>(ttlMs, (id) => svc.store.getSite(id), svc.clock.now);
  return async (siteId: string, profileId: string) => {
    const site = await sites.get(siteId);
    return site ? tierOf(svc.store, site, profileId, svc.clock.now()) : null;
  };
}

const localeOf = (c: Context, body: { locale?: string }, site: Site) =>
  (body.locale ?? c.req.header('accept-language')?.split(/[,;]/)[0] ?? site.settings.locale).slice(0, 2).toLowerCase();

export function loyaltyRoutes(deps: LoyaltyDeps) {
  const { svc, keys, limiter } = deps;
  const app = new Hono();

  /** Write key (or secret key) plus a userHash that verifies the userId: the customer themself. */
  const customer = async <T extends z.ZodType<{ writeKey?: string; userId: string; userHash: string }>>(c: Context, schema: T) => {
    const body = await readJson(c, 8 * 1024);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const data = parsed.data as z.infer<T>;
    const caller: Caller = await keys.resolve(keyFromHeaders(c) ?? data.writeKey);
    checkOrigin(c, caller.site);
    // A browser's calls count against its own address, so one visitor hammering the API (with
    // wrong hashes, say) never locks every other member out; the shop's backend uses the site's budget.
    const { perSecond, burst, perClientPerSecond, perClientBurst } = caller.site.settings.rateLimit;
    const r = caller.trusted
      ? limiter.take(`loyalty:${caller.site.id}`, svc.clock.now(), perSecond, burst)
      : limiter.take(`loyalty:${caller.site.id}:${clientAddress(c)}`, svc.clock.now(), perClientPerSecond, perClientBurst);
    if (!r.ok) throw new HttpError(429, 'rate_limited', `too many requests; retry after ${r.retryAfterSeconds} s`, undefined, { 'Retry-After': String(r.retryAfterSeconds) });
    if (!verifySiteUserHash(caller.site, data.userId, data.userHash, svc.clock.now())) {
      throw new HttpError(401, 'identity_not_verified', 'loyalty needs a verified customer: userHash must be HMAC-SHA256(secret key, userId) from your server');
    }
    return { site: caller.site, data };
  };

  app.post('/v1/loyalty/me', async (c) => {
    const { site, data } = await customer(c, meBody);
    return c.json(await loyaltyMe(svc, site, data.userId, localeOf(c, data, site)));
  });

  app.post('/v1/loyalty/redeem', async (c) => {
    const { site, data } = await customer(c, redeemBody);
    return c.json(await loyaltyRedeem(svc, site, data.userId, data.rewardId, localeOf(c, data, site)));
  });

  // Loyalty prompts: fill the customer's figures into decided offers of kind 'loyalty'.
  app.use('/v1/decide', async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    // The decide route leaves its answer in 'decided' and who may see a member's figures in
    // 'decidedFor': most answers hold no loyalty prompt and pass untouched.
    const decided = c.get('decided' as never) as DecideResponse | undefined;
    const decidedFor = c.get('decidedFor' as never) as { site: Site; mayShowMember(): boolean } | undefined;
    if (!decided || !decidedFor || !decided.decisions.some((d) => d.offer?.kind === 'loyalty') || !decidedFor.mayShowMember()) return;
    // The route's answer object (already serialised into c.res): filled, then sent instead.
    const filled = await withLoyaltyFigures(svc, decidedFor.site, decided);
    if (!filled) return;
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(JSON.stringify(filled), { status: 200, headers });
  });

  // Backend and admin: the site's secret key.
  const admin = new Hono<{ Variables: { site: Site } }>();
  admin.use('*', async (c, next) => {
    const caller = await keys.resolve(keyFromHeaders(c));
    if (!caller.trusted) throw new HttpError(403, 'forbidden', 'admin routes need the site secret key, not the public write key');
    c.set('site', caller.site);
    await next();
  });

  const body = async <T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> => {
    const parsed = schema.safeParse(await readJson(c, 64 * 1024));
    if (!parsed.success) throw invalid(parsed.error);
    return parsed.data;
  };
  /**
   * Replace the loyalty rules with what `input` makes of the rules as stored (not the cached site's
   * copy). A PUT replaces them whole: a misspelt field is refused, not dropped with its default saved
   * in its place — `{"enabeld": false}` re-enabling the programme.
   */
  const saveLoyalty = async (site: Site, input: (current: LoyaltySettings) => unknown) => {
    const saved = await changeSiteSettings(svc.store, site.id, (current) => {
      const next = input(current.loyalty);
      const parsed = loyaltySettings.safeParse(next);
      if (!parsed.success) throw invalid(parsed.error, 'loyalty');
      refuseUnknownKeys(next, parsed.data, 'loyalty.');
      return { ...current, loyalty: parsed.data };
    });
    keys.invalidate();
    return saved.loyalty;
  };

  admin.post('/codes/verify', async (c) => c.json(await verifyCode(svc, c.get('site'), await body(c, codeBody))));
  admin.post('/codes/consume', async (c) => c.json(await consumeCode(svc, c.get('site'), await body(c, codeBody))));

  admin.get('/rules', (c) => c.json({ loyalty: c.get('site').settings.loyalty }));
  admin.put('/rules', async (c) => {
    const input = await readJson(c, 64 * 1024);
    return c.json({ loyalty: await saveLoyalty(c.get('site'), () => input) });
  });

  admin.get('/rewards', (c) => c.json({ rewards: c.get('site').settings.loyalty.rewards }));
  admin.put('/rewards/:id', async (c) => {
    const site = c.get('site');
    const input = { ...(await readJson(c, 16 * 1024) as object), id: c.req.param('id') };
    const parsed = rewardSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error);
    refuseUnknownKeys(input, parsed.data);
    const saved = await saveLoyalty(site, (loyalty) => ({ ...loyalty, rewards: loyalty.rewards.filter((r) => r.id !== parsed.data.id).concat(parsed.data) }));
    return c.json({ reward: parsed.data, rewards: saved.rewards });
  });
  admin.delete('/rewards/:id', async (c) => {
    const id = c.req.param('id');
    // Codes already issued keep their discount: it is stored with each code.
    const saved = await saveLoyalty(c.get('site'), (loyalty) => {
      const rewards = loyalty.rewards.filter((r) => r.id !== id);
      if (rewards.length === loyalty.rewards.length) throw new HttpError(404, 'unknown_reward', 'no such reward');
      return { ...loyalty, rewards };
    });
    return c.json({ rewards: saved.rewards });
  });

  // Any id the other admin routes take: profile id, user or anonymous id, e-mail, phone.
  const profileOr404 = async (site: Site, id: string) => {
    const p = await findCustomer(svc.store, site.id, id);
    if (!p) throw new HttpError(404, 'not_found', `no customer with id ${id.slice(0, 100)}`);
    return p;
  };
  admin.post('/adjust', async (c) => {
    const site = c.get('site');
    const b = await body(c, adjustBody);
    const p = await profileOr404(site, b.customer);
    const r = await adjustPoints(svc, site, p, b.points, b.reason, b.key);
    return c.json({ profileId: p.id, added: r.added, state: r.state });
  });
  admin.get('/customers/:id', async (c) => {
    const site = c.get('site');
    const p = await profileOr404(site, c.req.param('id'));
    const now = svc.clock.now();
    return c.json({ profileId: p.id, state: await peekState(svc.store, site, p.id, site.settings.locale, now), ledger: await entriesOf(svc.store, site.id, p.id) });
  });

  app.route('/v1/admin/loyalty', admin);
  return app;
}

/**
 * The console on the collector: the built UI at `/admin`, sign-in and set-up at
 * `/v1/console/*`, and the per-site API. Every API route checks the session, the CSRF token on
 * writes, and the caller's role — here, on the server, whatever the UI shows.
 *
 * @example app.route('/', consoleRoutes({ svc, keys, caches }))
 */
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { HttpError, invalid } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import type { KeyResolver } from '../http/auth.ts';
import type { Services } from '../services/context.ts';
import type { SiteCaches } from '../services/decide.ts';
import type { ShopModel } from '../models/shop-model.ts';
import { AccountError, accountInput, authenticate, createAccount, endSession, hasAccounts, listAccounts, startSession } from './accounts.ts';
import { allow, checkSameOrigin, clearSessionCookie, clientIp, COOKIE, LoginLimiter, requireSession, setSessionCookie, type ConsoleEnv } from './auth.ts';
import { siteApi } from './site-api.ts';
import { serveConsole } from './static.ts';

export interface ConsoleDeps {
  svc: Services;
  keys: KeyResolver;
  caches: SiteCaches;
  distDir?: string;
  /**
   * Swaps a refitted model into the running collector. The console shares the collector's one
   * fitter (services/refit.ts modelFitter, made first by the admin routes), so it may be left out.
   */
  setModel?: (siteId: string, m: ShopModel) => void;
}

export function consoleRoutes(deps: ConsoleDeps) {
  const { svc } = deps;
  const app = new Hono<ConsoleEnv>();
  const limiter = new LoginLimiter();
  const login = z.object({ email: z.string().max(200), password: z.string().max(200) });
  const setupInput = accountInput.omit({ role: true }).extend({ siteSecret: z.string().max(100) });

  serveConsole(app, deps.distDir);

  const signIn = async (c: any, user: Parameters<typeof startSession>[1]) => {
    const now = svc.clock.now();
    const s = await startSession(svc.store, user, now);
    setSessionCookie(c, s.token, s.expiresAt, now);
    return c.json({ user, csrf: s.csrf, sites: await sitesList() });
  };
  const sitesList = async () => (await svc.store.listSites()).map((s) => ({ id: s.id, name: s.name, currency: s.settings.currency, locale: s.settings.locale }));

  app.get('/v1/console/setup', async (c) => c.json({ needed: !(await hasAccounts(svc.store)) }));
  /**
   * One-time set-up: creates the first owner only while no account exists (atomic, not
   * replayable), and only for someone holding a site's secret key (printed by `idic site create`):
   * a collector reachable from the internet before its owner signs in must not hand the console
   * to whoever finds the page first. Without any site, `idic user create` makes the account.
   */
  app.post('/v1/console/setup', async (c) => {
    checkSameOrigin(c);
    const body = setupInput.safeParse(await readJson(c, 4096));
    if (!body.success) throw invalid(body.error);
    limiter.check(body.data.email, clientIp(c), svc.clock.now());
    const caller = await deps.keys.resolve(body.data.siteSecret).catch(() => null);
    if (!caller?.trusted) throw new HttpError(403, 'bad_site_secret', "siteSecret must be a site's secret key (idic site create prints it)");
    try {
      const user = await createAccount(svc.store, { email: body.data.email, password: body.data.password, role: 'owner' }, { newId: svc.newId, now: svc.clock.now(), by: 'setup', firstOnly: true });
      return signIn(c, user);
    } catch (e) {
      if (e instanceof AccountError) throw new HttpError(409, e.code, e.message);
      throw e;
    }
  });

  app.post('/v1/console/login', async (c) => {
    checkSameOrigin(c);
    const body = login.safeParse(await readJson(c, 4096));
    if (!body.success) throw invalid(body.error);
    limiter.check(body.data.email, clientIp(c), svc.clock.now());
    const user = await authenticate(svc.store, body.data.email, body.data.password);
    if (!user) throw new HttpError(401, 'bad_credentials', 'wrong e-mail or password');
    limiter.succeeded(body.data.email, clientIp(c));
    return signIn(c, user);
  });

  app.post('/v1/console/logout', async (c) => {
    checkSameOrigin(c);
    await endSession(svc.store, getCookie(c, COOKIE));
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  const api = new Hono<ConsoleEnv>();
  api.use('*', requireSession(svc));
  api.get('/me', async (c) => {
    const s = c.get('session');
    return c.json({ user: s.user, csrf: s.csrf, sites: await sitesList() });
  });
  api.get('/users', allow('owner'), async (c) => c.json({ users: await listAccounts(svc.store) }));
  api.post('/users', allow('owner'), async (c) => {
    const body = accountInput.safeParse(await readJson(c, 4096));
    if (!body.success) throw invalid(body.error);
    try {
      return c.json({ user: await createAccount(svc.store, body.data, { newId: svc.newId, now: svc.clock.now(), by: c.get('session').user.email }) });
    } catch (e) {
      if (e instanceof AccountError) throw new HttpError(409, e.code, e.message);
      throw e;
    }
  });
  api.route('/sites/:site', siteApi(deps));
  app.route('/v1/console', api);
  return app;
}

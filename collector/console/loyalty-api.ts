/**
 * Loyalty in the console, mounted in the per-site API: a customer's loyalty state, ledger and
 * issued codes (every role reads), and manual points adjustments (owner and marketer; the
 * account's e-mail goes into the ledger reason, so the ledger says who gave or took points).
 * The rules themselves are part of the site settings (PATCH /settings, owner only).
 */
import { Hono, type Context } from 'hono';
import { invalid } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import type { Site } from '../store/types.ts';
import { adjustBody } from '../routes/loyalty.ts';
import { adjustPoints, peekState } from '../loyalty/service.ts';
import { codesOf, entriesOf } from '../loyalty/repository.ts';
import { allow, type ConsoleEnv } from './auth.ts';
import { customerOr404 } from './customers.ts';
import type { ConsoleDeps } from './routes.ts';

type Env = ConsoleEnv & { Variables: { site: Site } };

/** Ledger entries and codes shown per customer (newest first). */
const SHOWN = { entries: 200, codes: 50 };

export function loyaltyApi({ svc }: ConsoleDeps) {
  const app = new Hono<Env>();

  /** State (balance, tier, progress, rewards), the ledger with reasons, and every code issued. */
  const view = async (site: Site, profileId: string, locale: string) => {
    const now = svc.clock.now();
    const [state, entries, codes] = await Promise.all([
      peekState(svc.store, site, profileId, locale, now),
      entriesOf(svc.store, site.id, profileId),
      codesOf(svc.store, site.id, profileId),
    ]);
    const pick = (texts: Record<string, string> | undefined, fallback: string) => texts?.[locale] ?? Object.values(texts ?? {})[0] ?? fallback;
    return {
      enabled: site.settings.loyalty.enabled,
      profileId,
      // What the shop calls its tiers and rewards in this language: the ledger and codes name them by id.
      names: {
        tiers: Object.fromEntries(site.settings.loyalty.tiers.levels.map((l) => [l.name, pick(l.labels, l.name)])),
        rewards: Object.fromEntries(site.settings.loyalty.rewards.map((r) => [r.id, pick(r.name, r.id)])),
      },
      state,
      ledger: entries.reverse().slice(0, SHOWN.entries),
      codes: codes.slice(0, SHOWN.codes).map((c) => ({
        code: c.code, rewardId: c.rewardId, createdAt: c.createdAt, expiresAt: c.expiresAt, usedAt: c.usedAt,
        status: c.usedAt !== null ? 'used' : c.expiresAt <= now ? 'expired' : 'open',
      })),
    };
  };

  /** Tier and reward names in the console reader's language (?locale=en), else the shop's. */
  const localeOf = (c: Context, site: Site) => {
    const asked = c.req.query('locale');
    return asked && /^[a-z]{2}$/.test(asked) ? asked : site.settings.locale.slice(0, 2);
  };

  app.get('/customers/:id/loyalty', async (c) => {
    const site = c.get('site');
    return c.json(await view(site, (await customerOr404(svc.store, site, c.req.param('id'))).id, localeOf(c, site)));
  });

  app.post('/customers/:id/loyalty/adjust', allow('owner', 'marketer'), async (c) => {
    const site = c.get('site');
    const p = await customerOr404(svc.store, site, c.req.param('id'));
    const body = adjustBody.omit({ customer: true }).safeParse(await readJson(c, 4096));
    if (!body.success) throw invalid(body.error);
    const who = c.get('session').user.email;
    const r = await adjustPoints(svc, site, p, body.data.points, `${body.data.reason} — ${who}`.slice(0, 200), body.data.key);
    return c.json({ added: r.added, ...(await view(site, p.id, localeOf(c, site))) });
  });
  return app;
}

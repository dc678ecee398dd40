/**
 * Public routes: Segment-shape ingest and decide. Callers authenticate with the site's write
 * key (browser) or secret key (trusted server); every body is size-limited and validated.
 */
import { Hono } from 'hono';
import { batchRequest, decideRequest, LIMITS, message, type Message } from '../protocol.ts';
import { clientAddress } from '../http/client-address.ts';
import { HttpError, invalid, zodIssues } from '../http/errors.ts';
import { readJson } from '../http/body.ts';
import { checkOrigin, keyFromHeaders, type Caller, type KeyResolver } from '../http/auth.ts';
import { verifySiteUserHash } from '../http/hmac.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Services } from '../services/context.ts';
import { ingestMessages } from '../services/ingest.ts';
import { decide, type SiteCaches } from '../services/decide.ts';

export interface PublicDeps {
  svc: Services;
  keys: KeyResolver;
  limiter: RateLimiter;
  caches: SiteCaches;
  loyaltyTier?: (siteId: string, profileId: string) => Promise<string | null>;
}

const SINGLE = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

/** How many visitors a batch speaks for (its distinct anonymous and user ids). */
function distinctVisitors(items: unknown[]): number {
  const ids = new Set<unknown>();
  for (const m of items) if (m && typeof m === 'object') ids.add(`${(m as any).anonymousId}|${(m as any).userId}`);
  return Math.max(1, ids.size);
}

/** Size of the body as received (readJson records it). */
const bodyBytes = (c: any): number => c.get('bodyBytes') ?? Number.MAX_SAFE_INTEGER;

export function publicRoutes(deps: PublicDeps) {
  const { svc, keys, limiter } = deps;
  const app = new Hono();

  const authenticate = async (c: any, body: unknown, cost: number, visitors = 1): Promise<Caller> => {
    const bodyKey = body && typeof body === 'object' && typeof (body as any).writeKey === 'string' ? (body as any).writeKey : null;
    const caller = await keys.resolve(keyFromHeaders(c) ?? bodyKey);
    checkOrigin(c, caller.site);
    const { perSecond, burst } = caller.site.settings.rateLimit;
    // Trusted server sources (imports, backfills) get a far larger budget than browsers.
    const scale = caller.trusted ? 50 : 1;
    const now = svc.clock.now();
    const limited = (r: { ok: boolean; retryAfterSeconds: number }, who: string) => {
      if (!r.ok) throw new HttpError(429, 'rate_limited', `too many events from this ${who}; retry after ${r.retryAfterSeconds} s`, undefined, { 'Retry-After': String(r.retryAfterSeconds) });
    };
    if (!caller.trusted) {
      const { perClientPerSecond, perClientBurst } = caller.site.settings.rateLimit;
      limited(limiter.take(`client:${caller.site.id}:${clientAddress(c)}`, now, perClientPerSecond, perClientBurst, visitors), 'client');
    }
    limited(limiter.take(`${caller.kind}:${caller.site.id}`, now, perSecond * scale, burst * scale, cost), 'site');
    return caller;
  };

  /**
   * Validate each item; the batch is all or nothing, and every bad item is named: `batch.3.event`
   * under a `prefix`, plain `event` for a single-event route's one message (prefix null).
   */
  const parseMessages = (items: unknown[], caller: Caller, prefix: string | null, bodyBytes: number, defaults?: Partial<Message>): Message[] => {
    const out: Message[] = [];
    const issues: { path: string; message: string }[] = [];
    const unverified: { path: string; message: string }[] = [];
    // When the whole body fits the per-event limit, no single item can exceed it: skip measuring.
    const measure = bodyBytes > LIMITS.eventBytes;
    items.forEach((item, i) => {
      const path = prefix === null ? '' : `${prefix}${i}`;
      const size = measure ? JSON.stringify(item ?? null).length : 0;
      if (size > LIMITS.eventBytes) {
        issues.push({ path: path || '(body)', message: `event is ${size} bytes; the limit is ${LIMITS.eventBytes}` });
        return;
      }
      const filled = defaults && item && typeof item === 'object' && !Array.isArray(item) ? { ...defaults, ...item } : item;
      // Segment's batch-level context is merged with each message's own (the message's keys win), not replaced by it.
      const own = (item as { context?: unknown } | null)?.context;
      if (filled !== item && defaults?.context && own && typeof own === 'object' && !Array.isArray(own)) (filled as { context: object }).context = { ...defaults.context, ...own };
      const r = message.safeParse(filled);
      if (!r.success) {
        issues.push(...zodIssues(r.error, path));
        return;
      }
      const m = r.data;
      if (!m.anonymousId && !m.userId) issues.push({ path: path || '(body)', message: 'anonymousId or userId is required' });
      else if (m.userId && !caller.trusted && caller.site.settings.verifyIdentity && !verifySiteUserHash(caller.site, m.userId, m.userHash, svc.clock.now())) {
        unverified.push({ path: path ? `${path}.userHash` : 'userHash', message: 'does not verify userId; compute HMAC-SHA256(secret key, userId) on your server' });
      } else out.push(m);
    });
    if (issues.length) throw new HttpError(400, 'invalid_request', `${issues[0].path}: ${issues[0].message}`, issues.slice(0, 20));
    // Named, like any bad item: a browser drops these messages (their hash can never verify, e.g.
    // made with a rotated-out key) and sends the rest, instead of retrying the whole queue forever.
    if (unverified.length) throw new HttpError(401, 'identity_not_verified', `${unverified[0].path}: ${unverified[0].message}`, unverified.slice(0, 20));
    return out;
  };

  const ingest = async (c: any, caller: Caller, messages: Message[], sentAt?: number) => {
    return ingestMessages(svc, {
      site: caller.site, trusted: caller.trusted, source: caller.trusted ? 'server' : 'web',
      receivedAt: svc.clock.now(), sentAt, userAgent: caller.trusted ? undefined : c.req.header('user-agent'),
    }, messages);
  };

  app.post('/v1/batch', async (c) => {
    const body = await readJson(c, LIMITS.batchBytes);
    const parsed = batchRequest.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const caller = await authenticate(c, body, Math.max(1, parsed.data.batch.length), distinctVisitors(parsed.data.batch));
    const messages = parseMessages(parsed.data.batch, caller, 'batch.', bodyBytes(c), parsed.data.context ? { context: parsed.data.context } : undefined);
    const { profileIds: _, ...res } = await ingest(c, caller, messages, parsed.data.sentAt);
    return c.json(res);
  });

  for (const type of SINGLE) {
    app.post(`/v1/${type}`, async (c) => {
      const body = await readJson(c, LIMITS.eventBytes);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'invalid_request', 'body must be a JSON object');
      const caller = await authenticate(c, body, 1);
      const messages = parseMessages([{ ...(body as object), type }], caller, null, bodyBytes(c));
      const { profileIds: _, ...res } = await ingest(c, caller, messages);
      return c.json(res);
    });
  }

  app.post('/v1/decide', async (c) => {
    const body = await readJson(c, LIMITS.batchBytes);
    const parsed = decideRequest.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const req = parsed.data;
    const caller = await authenticate(c, body, 1 + (req.events?.length ?? 0));
    if (req.userId && !caller.trusted && caller.site.settings.verifyIdentity && !verifySiteUserHash(caller.site, req.userId, req.userHash, svc.clock.now())) {
      throw new HttpError(401, 'identity_not_verified', 'userHash does not verify userId; compute HMAC-SHA256(secret key, userId) on your server');
    }
    let ingestResult;
    if (req.events?.length) {
      const ids = { anonymousId: req.anonymousId, userId: req.userId, userHash: req.userHash };
      const { profileIds: _, ...r } = await ingest(c, caller, parseMessages(req.events, caller, 'events.', bodyBytes(c), ids as Partial<Message>));
      ingestResult = r;
    }
    const res = await decide(svc, deps.caches, caller.site, {
      anonymousId: req.anonymousId, userId: req.userId, placements: req.placements, context: req.context ?? {},
      loyaltyTier: deps.loyaltyTier,
    });
    // The answer as an object, for the middleware that fills loyalty prompts (routes/loyalty.ts):
    // it reads this instead of cloning and re-parsing every response. A member's figures are
    // theirs alone: only for the shop's backend, a userId whose userHash verifies, or a visitor
    // known by their own anonymous id — never for a userId anyone could type.
    const answer = ingestResult ? { ...res, ingest: ingestResult } : res;
    c.set('decided' as never, answer as never);
    c.set('decidedFor' as never, {
      site: caller.site,
      // Asked only when the answer holds a loyalty prompt: no HMAC on every other decide.
      mayShowMember: () => caller.trusted || !req.userId || verifySiteUserHash(caller.site, req.userId, req.userHash, svc.clock.now()),
    } as never);
    return c.json(answer);
  });

  return app;
}

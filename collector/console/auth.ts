/**
 * Console access on the server: the session cookie, CSRF and Origin checks on every
 * state-changing request, role checks per route, and login rate limits.
 *
 * Cookie: `idic_console`, HttpOnly, SameSite=Strict, Path=/, and Secure whenever the request
 * arrived over https (directly or as told by `x-forwarded-proto`). Over plain http on localhost
 * (the demo, tests) browsers drop Secure cookies, so it is left off there; any non-local http
 * deployment is refused at login.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http/errors.ts';
import { RateLimiter } from '../http/rate-limit.ts';
import { sessionOf, type Role, type Session } from './accounts.ts';
import type { Services } from '../services/context.ts';

export const COOKIE = 'idic_console';
export type ConsoleEnv = { Variables: { session: Session } };

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/** The origin the console is served from, as the browser sees it. */
export function selfOrigin(c: Context): { origin: string; https: boolean; local: boolean } {
  const url = new URL(c.req.url);
  const proto = (c.req.header('x-forwarded-proto')?.split(',')[0].trim() || url.protocol.replace(':', '')).toLowerCase();
  const host = c.req.header('host') || url.host;
  return { origin: `${proto}://${host}`, https: proto === 'https', local: LOCAL.test(host) };
}

export function setSessionCookie(c: Context, token: string, expiresAt: number, now: number) {
  const me = selfOrigin(c);
  if (!me.https && !me.local) throw new HttpError(400, 'https_required', 'the console needs https except on localhost');
  setCookie(c, COOKIE, token, { httpOnly: true, secure: me.https, sameSite: 'Strict', path: '/', maxAge: Math.floor((expiresAt - now) / 1000) });
}

export const clearSessionCookie = (c: Context) => deleteCookie(c, COOKIE, { path: '/' });

/** Browsers send Origin on every cross-site POST/PUT/DELETE; a mismatch is a forged request. */
export function checkSameOrigin(c: Context) {
  const origin = c.req.header('origin');
  if (origin && origin !== selfOrigin(c).origin) throw new HttpError(403, 'bad_origin', 'request from another origin');
  if (c.req.header('sec-fetch-site') === 'cross-site') throw new HttpError(403, 'bad_origin', 'cross-site request');
}

// Compared as bytes: a header in Latin-1 characters can match the token's length in characters, not in bytes.
const same = (a: string, b: string) => {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Loads the session (401 without one) and checks Origin + the CSRF header on writes. */
export function requireSession(svc: Services): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const s = await sessionOf(svc.store, getCookie(c, COOKIE), svc.clock.now());
    if (!s) throw new HttpError(401, 'not_signed_in', 'sign in to the console');
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      checkSameOrigin(c);
      if (!same(c.req.header('x-csrf-token') ?? '', s.csrf)) throw new HttpError(403, 'csrf', 'missing or wrong CSRF token');
    }
    c.set('session', s);
    await next();
  };
}

/** Only these roles may pass (checked after requireSession). */
export function allow(...roles: Role[]): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const role = c.get('session').user.role;
    if (!roles.includes(role)) throw new HttpError(403, 'forbidden_role', `a ${role} account cannot do this`);
    await next();
  };
}

/**
 * Login throttling: per account 5 attempts then one per 3 minutes; per client address 20 then
 * one per 30 s. Token buckets, so a legitimate user who mistypes twice is not locked out.
 */
export class LoginLimiter {
  private limiter = new RateLimiter();
  check(email: string, ip: string, now: number) {
    const a = this.limiter.take(`acct:${email.trim().toLowerCase()}`, now, 1 / 180, 5);
    const b = this.limiter.take(`ip:${ip}`, now, 1 / 30, 20);
    const wait = Math.max(a.ok ? 0 : a.retryAfterSeconds, b.ok ? 0 : b.retryAfterSeconds);
    if (wait) throw new HttpError(429, 'too_many_attempts', `too many sign-in attempts; try again in ${wait} s`, undefined, { 'Retry-After': String(wait) });
  }
  /** A sign-in that succeeded costs nothing: only failed attempts count toward the limit. */
  succeeded(email: string, ip: string) {
    this.limiter.give(`acct:${email.trim().toLowerCase()}`, 5);
    this.limiter.give(`ip:${ip}`, 20);
  }
}

/** The client address: the socket's, when served by @hono/node-server; else a constant bucket. */
export function clientIp(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}

/**
 * Offer targeting: evaluate a Condition tree against one customer and the page context.
 * Pure. `explain` also returns the words that matched, for the decision's reason.
 */
import type { Condition } from '../offers/schema.ts';
import type { DecideContext } from '../protocol.ts';
import type { DecisionProfile } from './types.ts';

type Range = { min?: number; max?: number };
const inRange = (v: number | undefined | null, r: Range | undefined): boolean =>
  r === undefined || (v != null && (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max));

const patternCache = new Map<string, RegExp>();
/**
 * Page pattern → anchored RegExp; `*` matches any run of characters, everything else is literal.
 * Cached because the same few patterns are evaluated on every decision.
 */
function pagePattern(p: string): RegExp {
  let re = patternCache.get(p);
  if (!re) {
    re = new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    if (patternCache.size > 5000) patternCache.clear();
    patternCache.set(p, re);
  }
  return re;
}

/** The path the page conditions look at: `context.path`, else the path of `context.url`. */
export function contextPath(ctx: DecideContext): string | undefined {
  if (ctx.path !== undefined) return ctx.path;
  if (ctx.url === undefined) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(ctx.url);
  return m ? m[1] || '/' : undefined;
}

/** True when `path` matches the page pattern (`*` = any run of characters, case-sensitive). */
export function matchPage(pattern: string, path: string): boolean {
  return pagePattern(pattern).test(path);
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * Evaluate `c`; when `why` is given, push a few words per leaf that matched (only from the
 * branches that decided the result: the matching branch of `any`, nothing from under `not`).
 */
function evaluate(c: Condition, p: DecisionProfile, ctx: DecideContext, why?: string[]): boolean {
  if ('all' in c) {
    for (const x of c.all) if (!evaluate(x, p, ctx, why)) return false;
    return true;
  }
  if ('any' in c) {
    for (const x of c.any) {
      const mark = why?.length ?? 0;
      if (evaluate(x, p, ctx, why)) return true;
      if (why) why.length = mark;
    }
    return false;
  }
  if ('not' in c) return !evaluate(c.not, p, ctx);
  let ok: boolean;
  let word = '';
  if ('tier' in c) {
    ok = p.tier !== null && c.tier.includes(p.tier);
    word = `${p.tier}`;
  } else if ('loyaltyTier' in c) {
    ok = p.loyaltyTier !== null && c.loyaltyTier.includes(p.loyaltyTier);
    word = `loyalty ${p.loyaltyTier}`;
  } else if ('rfm' in c) {
    const s = p.rfm;
    ok = s !== null && inRange(s.r, c.rfm.r) && inRange(s.f, c.rfm.f) && inRange(s.m, c.rfm.m);
    word = s ? `RFM ${s.r}-${s.f}-${s.m}` : '';
  } else if ('needs' in c) {
    const hit = c.needs.filter((n) => p.needs.includes(n));
    ok = hit.length > 0;
    word = `needs ${hit.join(', ')}`;
  } else if ('affinity' in c) {
    const v = p.affinities[c.affinity.category] ?? 0;
    // `min: 0` still asks for some interest: a category never browsed is no affinity.
    ok = v >= c.affinity.min && v > 0;
    word = `${c.affinity.category} affinity ${fmt(v)}`;
  } else if ('stage' in c) {
    ok = c.stage.includes(p.stage);
    word = `stage ${p.stage}`;
  } else if ('returning' in c) {
    ok = p.returning === c.returning;
    word = p.returning ? 'returning' : 'new visitor';
  } else if ('identified' in c) {
    ok = p.identified === c.identified;
    word = p.identified ? 'signed in' : 'anonymous';
  } else if ('page' in c) {
    const path = contextPath(ctx);
    const hit = path === undefined ? undefined : c.page.find((pat) => matchPage(pat, path));
    ok = hit !== undefined;
    word = `page ${hit}`;
  } else if ('productCategory' in c) {
    const cat = ctx.product?.category;
    ok = cat !== undefined && c.productCategory.includes(cat);
    word = `viewing ${cat}`;
  } else if ('cartValue' in c) {
    ok = ctx.cartValue !== undefined && inRange(ctx.cartValue, c.cartValue);
    word = `cart ${ctx.cartValue}`;
  } else if ('locale' in c) {
    // "vi" matches "vi-VN": marketers target languages, browsers send regions.
    const loc = ctx.locale;
    ok = loc !== undefined && c.locale.some((l) => loc === l || loc.startsWith(l + '-'));
    word = `locale ${loc}`;
  } else if ('device' in c) {
    ok = ctx.device !== undefined && c.device.includes(ctx.device);
    word = `${ctx.device}`;
  } else {
    // A condition kind this engine does not know never matches: fail closed, show nothing.
    return false;
  }
  if (ok && why && word) why.push(word);
  return ok;
}

/**
 * Does the customer match the condition? An absent target matches everyone.
 * @example matches({ all: [{ tier: ['MVC'] }, { affinity: { category: 'coffee', min: 0.5 } }] }, profile, { path: '/coffee/arabica' })
 */
export function matches(c: Condition | undefined, p: DecisionProfile, ctx: DecideContext): boolean {
  return c === undefined || evaluate(c, p, ctx);
}

/**
 * Like `matches`, plus the words of what matched, e.g. `{ ok: true, matched: ['MVC', 'coffee affinity 0.82'] }`.
 */
export function explain(c: Condition | undefined, p: DecisionProfile, ctx: DecideContext): { ok: boolean; matched: string[] } {
  const matched: string[] = [];
  const ok = c === undefined || evaluate(c, p, ctx, matched);
  return { ok, matched: ok ? matched : [] };
}

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

/** The path the page conditions look at: `context.path`, else the path of `context.url`. */
export function contextPath(ctx: DecideContext): string | undefined {
  if (ctx.path !== undefined) return ctx.path;
  if (ctx.url === undefined) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(ctx.url);
  return m ? m[1] || '/' : undefined;
}

/** True when `path` matches the page pattern (`*` = any run of characters, case-sensitive). */
export function matchPage(pattern: string, path: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === path;
  // The parts between stars, found left to right: linear in the path. A regular expression of
  // several `.*` backtracks polynomially on a path the visitor chooses — `/*a*a*a*b` against a
  // 1,000-character path held the event loop for over a minute.
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (path.length < first.length + last.length || !path.startsWith(first) || !path.endsWith(last)) return false;
  const end = path.length - last.length;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (!part) continue;
    const found = path.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * A compiled condition: `why`, when given, collects a few words per leaf that matched (only from
 * the branches that decided the result: the matching branch of `any`, nothing from under `not`).
 * The words are built only when asked for — the hot path (`matches`, 200 offers per decision)
 * allocates nothing.
 */
type Test = (p: DecisionProfile, ctx: DecideContext, why: string[] | undefined) => boolean;

/**
 * Compiled once per condition object: offers are parsed once per offers-cache refresh and their
 * conditions are never edited in place (a change saves a new offer version), so the same tree is
 * evaluated on every decision until the next refresh. Leaves read their operands at call time.
 */
const compiled = new WeakMap<Condition, Test>();

function compile(c: Condition): Test {
  let t = compiled.get(c);
  if (!t) {
    t = build(c);
    compiled.set(c, t);
  }
  return t;
}

function build(c: Condition): Test {
  if ('all' in c) {
    const parts = c.all.map(compile);
    return (p, ctx, why) => {
      for (const x of parts) if (!x(p, ctx, why)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const parts = c.any.map(compile);
    return (p, ctx, why) => {
      for (const x of parts) {
        const mark = why?.length ?? 0;
        if (x(p, ctx, why)) return true;
        if (why) why.length = mark;
      }
      return false;
    };
  }
  if ('not' in c) {
    const inner = compile(c.not);
    return (p, ctx) => !inner(p, ctx, undefined);
  }
  if ('tier' in c) {
    return (p, _ctx, why) => {
      const ok = p.tier !== null && c.tier.includes(p.tier);
      if (ok && why) why.push(`${p.tier}`);
      return ok;
    };
  }
  if ('loyaltyTier' in c) {
    return (p, _ctx, why) => {
      const ok = p.loyaltyTier !== null && c.loyaltyTier.includes(p.loyaltyTier);
      if (ok && why) why.push(`loyalty ${p.loyaltyTier}`);
      return ok;
    };
  }
  if ('rfm' in c) {
    return (p, _ctx, why) => {
      const s = p.rfm;
      const ok = s !== null && inRange(s.r, c.rfm.r) && inRange(s.f, c.rfm.f) && inRange(s.m, c.rfm.m);
      if (ok && why) why.push(`RFM ${s!.r}-${s!.f}-${s!.m}`);
      return ok;
    };
  }
  if ('needs' in c) {
    return (p, _ctx, why) => {
      const ok = c.needs.some((n) => p.needs.includes(n));
      if (ok && why) why.push(`needs ${c.needs.filter((n) => p.needs.includes(n)).join(', ')}`);
      return ok;
    };
  }
  if ('affinity' in c) {
    return (p, _ctx, why) => {
      const v = p.affinities[c.affinity.category] ?? 0;
      // `min: 0` still asks for some interest: a category never browsed is no affinity.
      const ok = v >= c.affinity.min && v > 0;
      if (ok && why) why.push(`${c.affinity.category} affinity ${fmt(v)}`);
      return ok;
    };
  }
  if ('stage' in c) {
    return (p, _ctx, why) => {
      const ok = c.stage.includes(p.stage);
      if (ok && why) why.push(`stage ${p.stage}`);
      return ok;
    };
  }
  if ('returning' in c) {
    return (p, _ctx, why) => {
      const ok = p.returning === c.returning;
      if (ok && why) why.push(p.returning ? 'returning' : 'new visitor');
      return ok;
    };
  }
  if ('identified' in c) {
    return (p, _ctx, why) => {
      const ok = p.identified === c.identified;
      if (ok && why) why.push(p.identified ? 'signed in' : 'anonymous');
      return ok;
    };
  }
  if ('page' in c) {
    return (_p, ctx, why) => {
      const path = contextPath(ctx);
      if (path === undefined) return false;
      for (const pat of c.page) {
        if (matchPage(pat, path)) {
          if (why) why.push(`page ${pat}`);
          return true;
        }
      }
      return false;
    };
  }
  if ('productCategory' in c) {
    return (_p, ctx, why) => {
      const cat = ctx.product?.category;
      const ok = cat !== undefined && c.productCategory.includes(cat);
      if (ok && why) why.push(`viewing ${cat}`);
      return ok;
    };
  }
  if ('cartValue' in c) {
    return (_p, ctx, why) => {
      const ok = ctx.cartValue !== undefined && inRange(ctx.cartValue, c.cartValue);
      if (ok && why) why.push(`cart ${ctx.cartValue}`);
      return ok;
    };
  }
  if ('locale' in c) {
    return (_p, ctx, why) => {
      // "vi" matches "vi-VN": marketers target languages, browsers send regions.
      const loc = ctx.locale;
      const ok = loc !== undefined && c.locale.some((l) => loc === l || loc.startsWith(l + '-'));
      if (ok && why) why.push(`locale ${loc}`);
      return ok;
    };
  }
  if ('device' in c) {
    return (_p, ctx, why) => {
      const ok = ctx.device !== undefined && c.device.includes(ctx.device);
      if (ok && why) why.push(`${ctx.device}`);
      return ok;
    };
  }
  // A condition kind this engine does not know never matches: fail closed, show nothing.
  return () => false;
}

/**
 * Does the customer match the condition? An absent target matches everyone.
 * @example matches({ all: [{ tier: ['MVC'] }, { affinity: { category: 'coffee', min: 0.5 } }] }, profile, { path: '/coffee/arabica' })
 */
export function matches(c: Condition | undefined, p: DecisionProfile, ctx: DecideContext): boolean {
  return c === undefined || compile(c)(p, ctx, undefined);
}

/** A condition compiled for repeated checks: `targetTest(c)(p, ctx)` is `matches(c, p, ctx)`. */
export type TargetTest = (p: DecisionProfile, ctx: DecideContext) => boolean;
const everyone: TargetTest = () => true;

/** Does the condition read the customer's loyalty tier? (Decide looks the tier up only when some offer does.) */
export function readsLoyaltyTier(c: Condition | undefined): boolean {
  if (c === undefined) return false;
  if ('loyaltyTier' in c) return true;
  if ('all' in c) return c.all.some(readsLoyaltyTier);
  if ('any' in c) return c.any.some(readsLoyaltyTier);
  if ('not' in c) return readsLoyaltyTier(c.not);
  return false;
}

export function targetTest(c: Condition | undefined): TargetTest {
  if (c === undefined) return everyone;
  const test = compile(c);
  return (p, ctx) => test(p, ctx, undefined);
}

/**
 * Like `matches`, plus the words of what matched, e.g. `{ ok: true, matched: ['MVC', 'coffee affinity 0.82'] }`.
 */
export function explain(c: Condition | undefined, p: DecisionProfile, ctx: DecideContext): { ok: boolean; matched: string[] } {
  const matched: string[] = [];
  const ok = c === undefined || compile(c)(p, ctx, matched);
  return { ok, matched: ok ? matched : [] };
}

/**
 * Membership tiers from the ledger: the qualifying figure (net spend or points earned over the
 * trailing window), upgrade as soon as it crosses a threshold, and downgrade only after a grace
 * period without qualifying. Pure.
 */
import { addMonths, type LedgerEntry } from './ledger.ts';
import type { LoyaltySettings, TierLevel } from './settings.ts';

type TierRules = LoyaltySettings['tiers'];

/** Net figure per qualifying source (an order and its reversal net out at the order's time). */
function contributions(entries: readonly LedgerEntry[], rules: TierRules): { at: number; value: number }[] {
  const byRef = new Map<string, { at: number; value: number }>();
  for (const e of entries) {
    if (e.kind !== 'earn' && e.kind !== 'reverse') continue;
    const value = rules.basis === 'spend' ? e.spend : e.points;
    const c = byRef.get(e.ref);
    if (!c) byRef.set(e.ref, { at: e.kind === 'earn' ? e.at : Infinity, value });
    else {
      c.value += value;
      if (e.kind === 'earn') c.at = Math.min(c.at, e.at);
    }
  }
  return [...byRef.values()].filter((c) => Number.isFinite(c.at));
}

/**
 * The qualifying figure at any time `t` — contributions in (t − window, t] — as a function over
 * contributions sorted with running sums: each figure is two binary searches, so a long history
 * (a backfill of thousands of orders) costs n log n over all the moments tierAt asks about, not n².
 */
function figures(entries: readonly LedgerEntry[], rules: TierRules) {
  const list = contributions(entries, rules).sort((a, b) => a.at - b.at);
  const sums = [0];
  for (const c of list) sums.push(sums[sums.length - 1] + c.value);
  /** How many contributions are at or before `t`. */
  const upTo = (t: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].at <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { list, at: (t: number) => Math.max(0, sums[upTo(t)] - sums[upTo(addMonths(t, -rules.windowMonths))]) };
}

/** The qualifying figure at time `t`: contributions in (t − window, t]. */
export function qualifying(entries: readonly LedgerEntry[], rules: TierRules, t: number): number {
  return figures(entries, rules).at(t);
}

function levelFor(levels: readonly TierLevel[], figure: number): number {
  let i = 0;
  while (i + 1 < levels.length && figure >= levels[i + 1].min) i++;
  return i;
}

export interface TierStatus {
  level: TierLevel;
  index: number;
  /** The qualifying figure now. */
  figure: number;
  /** Held by grace: the figure no longer reaches the tier; it is kept until `holdUntil`. */
  holdUntil: number | null;
  next: { level: TierLevel; remaining: number; progress: number } | null;
}

/**
 * The tier at `now`: the highest tier the customer qualified for at any moment of the last
 * `graceMonths`. The figure changes only when an order enters or leaves the window, so checking
 * it at those moments (and at the start of the grace window) finds every level it reached.
 * @example tierAt(entries, settings.tiers, now).level.name // 'Gold'
 */
export function tierAt(entries: readonly LedgerEntry[], rules: TierRules, now: number): TierStatus {
  const levels = rules.levels;
  const graceFrom = addMonths(now, -rules.graceMonths);
  const { list, at: figureAt } = figures(entries.filter((e) => e.at <= now), rules);
  const figure = figureAt(now);
  const current = levelFor(levels, figure);
  const changes = list.flatMap((c) => [c.at, addMonths(c.at, rules.windowMonths)]);
  const moments = [...new Set([graceFrom, ...changes.filter((t) => t > graceFrom && t < now)])].sort((a, b) => a - b);
  // For each moment, the level held from it until the next moment (or now).
  let index = current;
  let holdUntil: number | null = null;
  moments.forEach((t, i) => {
    const level = levelFor(levels, figureAt(t));
    const until = moments[i + 1] ?? now;
    // Kept until its own end of grace. Months differ in length, so `graceFrom` is not that end's
    // inverse: 28 Feb is 3 months before 28, 29, 30 and 31 May alike, and a tier lost on 28 Feb
    // at noon (kept until 28 May noon) came back on 29 May with a holdUntil in the past.
    const hold = addMonths(until, rules.graceMonths);
    if (level > current && level >= index && hold > now) {
      index = level;
      holdUntil = hold;
    }
  });
  const nextLevel = levels[index + 1];
  return {
    level: levels[index], index, figure, holdUntil,
    next: nextLevel ? { level: nextLevel, remaining: Math.max(0, nextLevel.min - figure), progress: Math.min(1, figure / nextLevel.min) } : null,
  };
}

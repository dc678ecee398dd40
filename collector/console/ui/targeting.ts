/**
 * The targeting builder's model: simple fields a marketer fills in, turned into an offer's
 * `target` condition (all of them must hold) and back. Conditions the builder has no field for
 * are kept untouched in `extra`, so editing an offer never drops rules set through the API.
 */
import type { Condition } from '../../offers/schema.ts';

export interface Builder {
  tiers: string[];
  needs: string[];
  affinity: { category: string; min: number } | null;
  pages: string[];
  extra: Condition[];
}

export const emptyBuilder = (): Builder => ({ tiers: [], needs: [], affinity: null, pages: [], extra: [] });

/** Builder → condition; undefined when nothing is set (everyone matches). */
export function toTarget(b: Builder): Condition | undefined {
  const all: Condition[] = [];
  if (b.tiers.length) all.push({ tier: b.tiers as never });
  if (b.needs.length) all.push({ needs: b.needs });
  if (b.affinity && b.affinity.category) all.push({ affinity: b.affinity });
  if (b.pages.length) all.push({ page: b.pages });
  all.push(...b.extra);
  return all.length === 0 ? undefined : all.length === 1 ? all[0] : { all };
}

/** Condition → builder; the first tier / needs / affinity / page rule at the top level fills its field. */
export function fromTarget(c: Condition | undefined): Builder {
  const b = emptyBuilder();
  if (!c) return b;
  const parts = 'all' in c ? c.all : [c];
  for (const p of parts) {
    if ('tier' in p && !b.tiers.length) b.tiers = [...p.tier];
    else if ('needs' in p && !b.needs.length) b.needs = [...p.needs];
    else if ('affinity' in p && !b.affinity) b.affinity = { ...p.affinity };
    else if ('page' in p && !b.pages.length) b.pages = [...p.page];
    else b.extra.push(p);
  }
  return b;
}

/** "a, b ,, c" → ["a", "b", "c"] */
export const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Shared by both stores: their decisions ⟕ outcomes query has the same columns. */
import type { Exposure } from './types.ts';

type Row = Record<string, any>;

/** Decisions joined with their outcomes (one row per outcome) → one exposure per decision. */
export function exposuresFromRows(rows: Row[]): Exposure[] {
  const byId = new Map<string, Exposure>();
  for (const r of rows) {
    let e = byId.get(r.id);
    if (!e) {
      e = { decisionId: r.id, offerId: r.offer_id, placement: r.placement, sessionId: r.session_id, at: r.created_at, holdout: !!r.holdout, outcomes: [] };
      byId.set(r.id, e);
    }
    if (r.kind) e.outcomes.push({ kind: r.kind, at: r.oat });
  }
  return [...byId.values()];
}

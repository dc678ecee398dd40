/**
 * Decisions recorded without a transaction of their own (SQLite: this process is the file's only
 * writer). A decide used to pay for a BEGIN/COMMIT of its own — about half its CPU — because
 * decides arrive one at a time and rarely share a group commit. Now its rows wait here and are
 * written by the next transaction that starts (every write drains them first), or by a flush at
 * most `flushMs` later.
 *
 * Why it stays exact:
 * - reads of a customer's exposures add the rows still waiting here (caps see every decision);
 * - every write transaction drains first, so ingest (outcomes, attribution), merges, erasure and
 *   export see the rows in the table, in order;
 * - a transaction that rolls back puts the rows it drained back.
 * What it gives up: a process crash loses the last ≤ `flushMs` of decisions (never an event or an
 * order) — the same trade the PostgreSQL store makes with `synchronous_commit = off` for them.
 */
import type { DecisionRow, Exposure } from '../types.ts';

export const DECISION_FLUSH_MS = 20;
/** Past this many waiting rows they are written at once (a burst, or a caller that never yields to timers). */
export const MAX_PENDING_DECISIONS = 256;

export interface PendingWriter {
  /** Insert rows inside the open transaction. */
  insert(rows: DecisionRow[]): void;
  /** Write the waiting rows in a transaction of their own, now if no transaction is open; false if one is. */
  flushNow(): boolean;
  /** Write them with the next transaction, queued behind the others. */
  flushLater(): void;
}

export class PendingDecisions {
  private rows: DecisionRow[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly writer: PendingWriter, private readonly flushMs = DECISION_FLUSH_MS) {}

  get size(): number {
    return this.rows.length;
  }

  add(rows: DecisionRow[]): void {
    if (!rows.length) return;
    this.rows.push(...rows);
    if (this.rows.length >= MAX_PENDING_DECISIONS && this.writer.flushNow()) return;
    // unref: a pending flush never keeps a CLI command alive; close() drains what is left.
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (this.rows.length) this.writer.flushLater();
    }, this.flushMs).unref();
  }

  /** Inside an open transaction: write every waiting row; returns an undo for a rollback. */
  drain(): () => void {
    if (!this.rows.length) return () => {};
    const taken = this.rows;
    this.rows = [];
    this.writer.insert(taken);
    return () => {
      this.rows = [...taken, ...this.rows];
    };
  }

  /** The waiting decisions of one customer since `since`, as exposures with no outcome yet. */
  exposures(siteId: string, profileId: string, since: number): Exposure[] {
    const out: Exposure[] = [];
    for (const d of this.rows) {
      if (d.siteId !== siteId || d.profileId !== profileId || d.createdAt < since) continue;
      out.push({ decisionId: d.id, offerId: d.offerId, placement: d.placement, sessionId: d.sessionId, at: d.createdAt, holdout: d.holdout, outcomes: [] });
    }
    return out;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * The store: the few operations the routes and services need, behind one small interface that
 * the SQLite (embedded default) and PostgreSQL (scale-out) stores both implement and one
 * contract suite (test/store/contract.ts) checks.
 *
 * Writes happen inside `write(fn)`: one atomic transaction. The service code in
 * collector/services/ is written once against `Tx`; `lock()` serialises work on the same
 * customer keys across requests and processes (a no-op where the store already has a single writer).
 */
import type { Profile, ProfileIdentity } from '../profile.ts';
import type { SiteSettings } from '../settings.ts';
import type { Offer } from '../offers/schema.ts';
import type { ShopModel } from '../models/score.ts';

export type MaybePromise<T> = T | Promise<T>;

export interface Site {
  id: string;
  name: string;
  writeKey: string;
  secretKey: string;
  /**
   * Rotated secret keys and when each stops working (`site_keys.expires_at`), newest first:
   * identity hashes made with them still verify during the grace period (http/hmac.ts
   * verifySiteUserHash). Optional: a store that does not fill it verifies the current key only.
   */
  previousSecrets?: { key: string; expiresAt: number }[];
  settings: SiteSettings;
  createdAt: number;
}

export type KeyKind = 'write' | 'secret';

export interface StoredEvent {
  siteId: string;
  messageId: string;
  profileId: string;
  type: string;
  name: string | null;
  anonymousId: string | null;
  userId: string | null;
  /** Client time corrected for clock skew, epoch ms. */
  ts: number;
  receivedAt: number;
  /** Sent with the secret key by the shop's backend (or imported by an admin). */
  trusted: boolean;
  /** 'web' | 'server' | 'import' — dedupe is per (source, messageId). */
  source: string;
  bot: boolean;
  /** The whole message as received (properties, traits, context …). */
  body: Record<string, unknown>;
  /** Insertion order, set by the store when read back; breaks ties between equal timestamps. */
  seq?: number;
}

export interface OrderRow {
  siteId: string;
  orderId: string;
  profileId: string;
  ts: number;
  amount: number;
  currency: string;
  status: 'completed' | 'refunded' | 'cancelled';
  /** Category → amount, for bonus rules and needs. */
  items: { category?: string; amount: number; quantity?: number }[];
}

/** One order of an import batch, as read from the file (services/orders-import-parse.ts adds its line number). */
export interface ImportBatchOrder {
  customerId: string;
  orderId: string;
  ts: number;
  amount: number;
  quantity: number | null;
  category: string | null;
  currency: string;
  /** The file gave a bare date: `ts` is noon of that day, and the time of day is unknown. */
  dateOnly: boolean;
}

/**
 * What an orders import stores in one go (Tx.insertImported): every order is new, as knownOrderIds
 * said. The store writes each as its `orders` row and its `Order Completed` event, exactly the rows
 * services/orders-import-rows.ts builds for the per-order path.
 */
export interface ImportBatch {
  siteId: string;
  /** When the import ran: the events' receivedAt. */
  receivedAt: number;
  orders: ImportBatchOrder[];
  /** The profile of each order: `profileIds[i]` for `orders[i]`. */
  profileIds: string[];
  profiles: Profile[];
  links: { siteId: string; id: ProfileIdentity; profileId: string; at: number }[];
}

export interface DecisionRow {
  siteId: string;
  id: string;
  profileId: string;
  placement: string;
  offerId: string | null;
  offerVersion: number | null;
  /** The value tier the bandit learned under. */
  arm: string;
  holdout: boolean;
  sessionId: string | null;
  createdAt: number;
}

export type OutcomeKind = 'impression' | 'click' | 'dismiss' | 'conversion';

export interface OutcomeRow {
  siteId: string;
  decisionId: string;
  kind: OutcomeKind;
  at: number;
  value: number;
}

/** Everything recent about a customer's offers, for frequency caps. */
export interface Exposure {
  decisionId: string;
  offerId: string | null;
  placement: string;
  sessionId: string | null;
  at: number;
  holdout: boolean;
  outcomes: { kind: OutcomeKind; at: number }[];
}

export interface BanditCounter {
  offerId: string;
  arm: string;
  trials: number;
  conversions: number;
  value: number;
}

export type SqlRow = Record<string, any>;

/**
 * Portable SQL for feature modules (loyalty, accounts, …): `?` placeholders, standard types
 * (TEXT, BIGINT, DOUBLE PRECISION, INTEGER), `INSERT … ON CONFLICT`, `RETURNING`. The SQLite
 * store runs it as is; the PostgreSQL store rewrites `?` to `$n`. Feature code is written once.
 */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): MaybePromise<{ rows: SqlRow[]; changes: number }>;
}

/** Reads and writes available inside one transaction. */
export interface Tx extends SqlRunner {
  /** Serialise on these keys until the transaction ends (sorted, to avoid deadlocks). */
  lock(keys: string[]): MaybePromise<void>;

  // Identity graph
  findProfileIds(siteId: string, ids: ProfileIdentity[]): MaybePromise<Map<string, string>>;
  getProfile(siteId: string, profileId: string): MaybePromise<Profile | null>;
  /** Insert or replace the profile row (not its identities). */
  saveProfile(profile: Profile): MaybePromise<void>;
  /**
   * Optional batch forms of getProfile / saveProfile: a networked store reads or writes many
   * profiles in one round trip (ingest of a batch from many visitors). Same semantics as the
   * single calls, including the row locks getProfile takes.
   */
  getProfiles?(siteId: string, profileIds: string[]): MaybePromise<Map<string, Profile>>;
  saveProfiles?(profiles: Profile[]): MaybePromise<void>;
  /** Point an identity at a profile (insert, or move it if it belonged to another profile). */
  linkIdentity(siteId: string, id: ProfileIdentity, profileId: string, now: number): MaybePromise<void>;
  identitiesOf(siteId: string, profileId: string): MaybePromise<ProfileIdentity[]>;
  /** Move every row of `fromId` (identities, events, orders, decisions, loyalty) to `intoId`, delete `fromId`, and remember the merge. */
  mergeInto(siteId: string, fromId: string, intoId: string, now: number): MaybePromise<void>;

  // Events and orders
  /** Insert events, skipping (source, messageId) duplicates; returns, per row, whether it was new. */
  insertEvents(rows: StoredEvent[]): MaybePromise<boolean[]>;
  /**
   * Optional, set by the metrics wrapper (ops/observe.ts): ingest reports what its messages came
   * to — new and duplicate events — so the counts hold however the store found the duplicates
   * (one query per batch, or one INSERT OR IGNORE per row). Counted once the transaction commits.
   */
  countIngested?(accepted: number, duplicates: number): void;
  /**
   * Which of these messageIds are already stored. Optional: with it a batch checks its duplicates
   * in one query (one round trip on PostgreSQL) and inserts its new events together.
   */
  storedMessageIds?(siteId: string, source: string, messageIds: string[]): MaybePromise<Set<string>>;
  /**
   * Optional, with storedMessageIds: insert events the check found new, without waiting for an
   * answer (on PostgreSQL they leave with the next statement). A row another transaction stored
   * meanwhile fails the whole transaction with a retryable error; its retry counts it a duplicate.
   */
  appendEvents?(rows: StoredEvent[]): MaybePromise<void>;
  eventsOf(siteId: string, profileId: string): MaybePromise<StoredEvent[]>;
  /** Insert a trusted order; false if the order id was already known (exactly once). */
  insertOrder(row: OrderRow): MaybePromise<boolean>;
  setOrderStatus(siteId: string, orderId: string, status: OrderRow['status']): MaybePromise<OrderRow | null>;
  /** Optional bulk path for history imports (SQLite, sqlite/bulk-import.ts): which order ids are already stored. */
  knownOrderIds?(siteId: string, orderIds: string[]): MaybePromise<Set<string>>;
  /** Optional, with knownOrderIds: store new orders, their events, the profiles and their links at once. */
  insertImported?(batch: ImportBatch): MaybePromise<void>;

  // Decisions
  insertDecisions(rows: DecisionRow[]): MaybePromise<void>;
  /** Returns false if the decision is unknown or belongs to another site. */
  insertOutcome(row: OutcomeRow): MaybePromise<DecisionRow | null>;
  bumpBandit(siteId: string, offerId: string, arm: string, delta: { trials?: number; conversions?: number; value?: number }): MaybePromise<void>;
}

export interface WriteOptions {
  /**
   * 'relaxed': the commit may return before it is flushed to disk (PostgreSQL
   * `synchronous_commit = off`): a database or OS crash can lose the last fraction of a second
   * of such transactions, never corrupt anything. Only for records the server derives itself
   * (decisions), never for what a client is told was stored (events, orders). SQLite already
   * commits without an fsync in WAL mode (synchronous = NORMAL) and ignores it.
   * @default 'full'
   */
  durability?: 'full' | 'relaxed';
}

export interface Store {
  /** Portable SQL outside a transaction (reads, or single statements). */
  query: SqlRunner['query'];
  /**
   * How many group-commit transactions may run at once (services/group-commit.ts): 1 for a
   * store with a single writer connection; a few for a networked store, whose transactions
   * spend most of their time waiting on round trips and commit flushes. @default 1
   */
  writeConcurrency?: number;
  /** Run `fn` in one atomic transaction; all of it is stored, or none. */
  write<T>(fn: (tx: Tx) => Promise<T>, options?: WriteOptions): Promise<T>;

  // Sites and keys
  createSite(site: Site): Promise<void>;
  /** Resolve a write or secret key (current or within its rotation grace period). */
  siteByKey(key: string, now: number): Promise<{ site: Site; kind: KeyKind } | null>;
  getSite(siteId: string): Promise<Site | null>;
  listSites(): Promise<Site[]>;

  // Profiles
  /** Find a profile by any id: profile id, anonymous id, user id or external key. */
  findProfile(siteId: string, anyId: string): Promise<Profile | null>;
  profileByIdentity(siteId: string, id: ProfileIdentity): Promise<Profile | null>;
  /**
   * Newest first. Page with the last event's `ts` and `seq` as `before` / `beforeSeq`:
   * events sharing a timestamp are ordered by `seq`, so no page boundary skips one.
   */
  timeline(siteId: string, profileId: string, page: { before?: number; beforeSeq?: number; limit: number }): Promise<StoredEvent[]>;

  // Offers
  listOffers(siteId: string): Promise<Offer[]>;
  /** Save a new version; fails with `version conflict` if `expectedVersion` is stale. */
  saveOffer(siteId: string, offer: Offer, expectedVersion: number | null): Promise<Offer>;
  offerHistory(siteId: string, offerId: string): Promise<Offer[]>;

  // Decisions
  /** A customer's decisions since `since` with their outcomes (including decisions still deferred). */
  exposures(siteId: string, profileId: string, since: number): Promise<Exposure[]>;
  /**
   * Optional: record decisions without a transaction of their own — for a store whose process is
   * the only writer (SQLite), where rows waiting in memory are exact. They show in `exposures()` at
   * once and are written with the next transaction, within milliseconds (sqlite/pending-decisions.ts).
   * Without it, decide records them in a group-commit transaction under the customer's lock.
   */
  deferDecisions?(rows: DecisionRow[]): void;
  /**
   * Optional, for a networked store (PostgreSQL), where a decide's latency is its round trips: one
   * transaction that locks the customer the ids name, reads the profile with its exposures since
   * `since` (one round trip), then records the rows `fn` returns and commits (the second). `fn`
   * gets null when no profile has these ids; when it returns null nothing is recorded and the
   * result is null — the caller then takes the general path (profile read, group-commit write).
   */
  decideInTransaction?<T>(
    siteId: string, ids: { userId?: string; anonymousId?: string }, since: number,
    fn: (found: { profile: Profile; exposures: Exposure[] } | null) => Promise<{ rows: DecisionRow[]; value: T } | null>,
  ): Promise<T | null>;
  banditCounters(siteId: string): Promise<BanditCounter[]>;
  redemptions(siteId: string): Promise<Map<string, number>>;

  // Models
  getShopModel(siteId: string): Promise<ShopModel | null>;
  saveShopModel(siteId: string, model: ShopModel): Promise<void>;

  close(): Promise<void>;
}

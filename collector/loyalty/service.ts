/**
 * The loyalty programme's operations against the store: earning on trusted orders (called by
 * ingest inside its transaction), reversing on refunds, the customer's state, atomic redemption,
 * codes at checkout and manual adjustments. Every balance-changing step locks the customer
 * (`tx.lock`) and reads the ledger inside the same transaction, so two tabs cannot double-spend.
 */
import { randomBytes } from 'node:crypto';
import type { LoyaltyState } from '../protocol.ts';
import type { Profile } from '../profile.ts';
import type { OrderRow, Site, SqlRunner, Tx } from '../store/types.ts';
import type { Services } from '../services/context.ts';
import { resolveProfile } from '../services/identity.ts';
import { idProblem } from '../services/identity-keys.ts';
import { HttpError } from '../http/errors.ts';
import { replay, type LedgerEntry } from './ledger.ts';
import { pointsForOrder } from './rules.ts';
import { tierAt } from './tiers.ts';
import { expiryFor, pendingEntries } from './settle.ts';
import { loyaltyState, rewardName, type CodeRow } from './state.ts';
import { discountFor, normalizeCode, rewardCode } from './codes.ts';
import * as repo from './repository.ts';

const lockKey = (siteId: string, profileId: string) => `${siteId}|loyalty:${profileId}`;
const member = (p: Profile) => ({ userId: p.userId, birthday: p.traits.birthday });

/**
 * Ledgers one ingest batch has read, by profile id: a backfill of many orders for one customer
 * reads and settles the ledger once, not once per order (2,500 orders took 14 s, then 92 s with
 * real dates). Checked against the table before each use (repository.ledgerUnchanged), so a
 * write by any other path shows; `settledFor` says for which member (id, birthday) nothing was
 * due when last settled — an earn that is already past its expiry clears it.
 */
export type LedgerMemo = Map<string, { entries: LedgerEntry[]; settledFor: string | null }>;

/** Lock the customer, write what is due (bonuses, expiries), and return the whole ledger. */
async function settled(tx: Tx, svc: Services, site: Site, profile: Profile, now: number, memo?: LedgerMemo): Promise<LedgerEntry[]> {
  await tx.lock([lockKey(site.id, profile.id)]);
  const m = member(profile);
  const who = JSON.stringify(m);
  const known = memo?.get(profile.id);
  const current = known && (await repo.ledgerUnchanged(tx, site.id, profile.id, known.entries)) ? known : null;
  const entries = current?.entries ?? await repo.entriesOf(tx, site.id, profile.id);
  if (current?.settledFor !== who) {
    for (const e of pendingEntries(entries, m, site.settings.loyalty, site.settings.utcOffsetMinutes, now, svc.newId)) {
      if (await repo.appendEntry(tx, site.id, profile.id, e)) repo.insertInOrder(entries, e);
    }
  }
  memo?.set(profile.id, { entries, settledFor: who });
  return entries;
}

/**
 * Earn points for a new trusted order, in ingest's transaction. The earn entry's ref is the
 * order, so a re-sent order finds it taken and earns nothing.
 */
export async function loyaltyOnOrder(tx: Tx, svc: Services, site: Site, profile: Profile, order: OrderRow, memo?: LedgerMemo): Promise<void> {
  const s = site.settings.loyalty;
  if (!s.enabled) return;
  const entries = await settled(tx, svc, site, profile, Math.max(order.ts, svc.clock.now()), memo);
  // The tier in force when the order was placed sets its multiplier; the order itself may upgrade.
  const tier = tierAt(entries, s.tiers, order.ts);
  const points = pointsForOrder(order, s, tier.level.multiplier);
  const earn: LedgerEntry = {
    id: svc.newId(), kind: 'earn', points, spend: order.amount, reason: `order ${order.orderId} (${tier.level.name} ×${tier.level.multiplier})`,
    ref: `order:${order.orderId}`, at: order.ts, expiresAt: expiryFor(s, order.ts),
  };
  if (await repo.appendEntry(tx, site.id, profile.id, earn)) {
    repo.insertInOrder(entries, earn);
    // An old order's points may be past their date already: the next settle writes the expiry.
    if (earn.expiresAt !== null && earn.expiresAt <= svc.clock.now()) memo?.set(profile.id, { entries, settledFor: null });
  }
}

/** Take back an order's points when it is refunded or cancelled (once, whoever owns them now). */
export async function loyaltyOnReversal(tx: Tx, svc: Services, site: Site, orderId: string, why: string, at: number): Promise<void> {
  const earn = await repo.entryByRef(tx, site.id, `order:${orderId}`, 'earn');
  if (!earn) return;
  await tx.lock([lockKey(site.id, earn.profileId)]);
  await repo.appendEntry(tx, site.id, earn.profileId, {
    id: svc.newId(), kind: 'reverse', points: -earn.points, spend: -earn.spend, reason: `${why}: order ${orderId}`,
    ref: earn.ref, at, expiresAt: null,
  });
}

/** The verified customer's profile, created if the shop's customer has not been seen yet. */
async function customer(tx: Tx, svc: Services, site: Site, userId: string, now: number): Promise<Profile> {
  const profiles = new Map<string, Profile>();
  const { profile, created } = await resolveProfile(tx, svc, site, { userId }, now, profiles);
  if (created) await tx.saveProfile(profile);
  return profile;
}

async function stateOf(db: SqlRunner, site: Site, profileId: string, entries: LedgerEntry[], locale: string, now: number): Promise<LoyaltyState> {
  const codes = await repo.codesOf(db, site.id, profileId);
  return loyaltyState(entries, codes, site.settings.loyalty, site.settings.currency, locale, now);
}

function enabled(site: Site) {
  if (!site.settings.loyalty.enabled) throw new HttpError(404, 'loyalty_disabled', 'this shop has no loyalty programme');
}

/** The customer's state; a read unless something is due (then one short write settles it). */
export async function loyaltyMe(svc: Services, site: Site, userId: string, locale: string): Promise<LoyaltyState> {
  enabled(site);
  // Refused before the lookup, as the write below would refuse it (PostgreSQL cannot be asked about a NUL).
  const problem = idProblem(userId);
  if (problem) throw new HttpError(400, 'invalid_id', `userId ${problem}`);
  const now = svc.clock.now();
  const known = await svc.store.profileByIdentity(site.id, { kind: 'user', value: userId });
  if (known) {
    const entries = await repo.entriesOf(svc.store, site.id, known.id);
    const s = site.settings;
    if (!pendingEntries(entries, member(known), s.loyalty, s.utcOffsetMinutes, now, () => '').length) return stateOf(svc.store, site, known.id, entries, locale, now);
  }
  return svc.store.write(async (tx) => {
    const p = await customer(tx, svc, site, userId, now);
    return stateOf(tx, site, p.id, await settled(tx, svc, site, p, now), locale, now);
  });
}

/**
 * Spend points on a reward: balance check, debit and a new single-use code in one transaction
 * under the customer's lock. Two simultaneous redemptions of the last affordable reward: the
 * second sees the first one's debit and gets 409.
 */
export async function loyaltyRedeem(svc: Services, site: Site, userId: string, rewardId: string, locale: string) {
  enabled(site);
  const reward = site.settings.loyalty.rewards.find((r) => r.id === rewardId && r.active);
  if (!reward) throw new HttpError(404, 'unknown_reward', `no active reward ${rewardId.slice(0, 100)}`);
  const now = svc.clock.now();
  return svc.store.write(async (tx) => {
    const p = await customer(tx, svc, site, userId, now);
    const entries = await settled(tx, svc, site, p, now);
    const balance = replay(entries, now).balance;
    if (balance < reward.cost) throw new HttpError(409, 'insufficient_points', `reward ${reward.id} costs ${reward.cost} points; the balance is ${Math.max(0, balance)}`);
    const code = rewardCode(randomBytes(12));
    const entry: LedgerEntry = { id: svc.newId(), kind: 'redeem', points: -reward.cost, spend: 0, reason: `reward ${reward.id}`, ref: `code:${code}`, at: now, expiresAt: null };
    await repo.appendEntry(tx, site.id, p.id, entry);
    const row: CodeRow = { code, rewardId: reward.id, profileId: p.id, createdAt: now, expiresAt: now + reward.validDays * 86_400_000, usedAt: null, discount: reward.discount, minOrder: reward.minOrder };
    await repo.insertCode(tx, site.id, row, entry.id);
    entries.push(entry);
    return { code, reward: { id: reward.id, name: rewardName(reward, locale), cost: reward.cost }, state: await stateOf(tx, site, p.id, entries, locale, now) };
  });
}

export interface CodeCheck { code: string; orderTotal?: number; userId?: string; orderId?: string }

type CodeProblem = { ok: false; status: 403 | 404 | 409 | 410 | 422; code: string; message: string };

/** Whether a code can be used for this order and for how much, without changing anything. */
async function judgeCode(svc: Services, site: Site, c: CodeRow | null, q: CodeCheck, now: number): Promise<CodeProblem | { ok: true; row: CodeRow; amount: number }> {
  if (!c) return { ok: false, status: 404, code: 'unknown_code', message: 'no such code' };
  if (c.usedAt !== null) return { ok: false, status: 409, code: 'code_used', message: 'this code has already been used' };
  if (c.expiresAt <= now) return { ok: false, status: 410, code: 'code_expired', message: 'this code has expired' };
  if (q.userId) {
    const owner = await svc.store.profileByIdentity(site.id, { kind: 'user', value: q.userId });
    if (owner?.id !== c.profileId) return { ok: false, status: 403, code: 'code_not_yours', message: 'this code belongs to another customer' };
  }
  const d = discountFor(c.discount, c.minOrder, q.orderTotal);
  if (!d.ok) return { ok: false, status: 422, code: 'order_too_small', message: d.reason };
  return { ok: true, row: c, amount: d.amount };
}

/** For the shop's backend at checkout: is this code good for this order, and for how much? */
export async function verifyCode(svc: Services, site: Site, q: CodeCheck) {
  const now = svc.clock.now();
  const code = normalizeCode(q.code);
  const v = await judgeCode(svc, site, await repo.getCode(svc.store, site.id, code), q, now);
  if (!v.ok) return { valid: false as const, code, error: { code: v.code, message: v.message } };
  return { valid: true as const, code, rewardId: v.row.rewardId, discount: v.row.discount, amount: v.amount, expiresAt: v.row.expiresAt };
}

/** Consume a code for an order, exactly once: a second attempt (or a racing one) gets 409. */
export async function consumeCode(svc: Services, site: Site, q: CodeCheck) {
  const now = svc.clock.now();
  const code = normalizeCode(q.code);
  return svc.store.write(async (tx) => {
    const v = await judgeCode(svc, site, await repo.getCode(tx, site.id, code), q, now);
    if (!v.ok) throw new HttpError(v.status, v.code, v.message);
    if (!(await repo.consumeCode(tx, site.id, code, now, q.orderId ? `order:${q.orderId}` : null))) {
      throw new HttpError(409, 'code_used', 'this code has already been used');
    }
    return { consumed: true as const, code, rewardId: v.row.rewardId, amount: v.amount, usedAt: now };
  });
}

/** A manual correction by the shop (goodwill, fixes); `key` makes a retried call count once. */
export async function adjustPoints(svc: Services, site: Site, profile: Profile, points: number, reason: string, key: string | undefined) {
  const now = svc.clock.now();
  return svc.store.write(async (tx) => {
    // Found before this transaction: erased or merged away meanwhile, points written now would
    // land on a profile that no longer exists (and bring an erased customer's ledger back).
    if (!(await tx.getProfile(site.id, profile.id))) {
      throw new HttpError(404, 'not_found', 'the customer was erased or merged meanwhile; send the adjustment again to apply it where they are now');
    }
    const entries = await settled(tx, svc, site, profile, now);
    // A key already used for another adjustment (another customer, another amount) is a mistake,
    // not a retry: answering "already added" would acknowledge points never given.
    const prior = key === undefined ? null : await repo.entryByRef(tx, site.id, `adjust:${key}`, 'adjust');
    if (prior && (prior.profileId !== profile.id || prior.points !== points)) {
      throw new HttpError(409, 'idempotency_key_reused', `key ${key!.slice(0, 100)} was already used for another adjustment (${prior.profileId !== profile.id ? 'another customer' : `${prior.points} points`}); use a new key`);
    }
    // A deduction can take what the customer has, not more: a hidden debt would silently eat
    // their next earnings while every screen shows a balance of 0.
    const balance = Math.max(0, replay(entries, now).balance);
    if (points < 0 && balance + points < 0 && !entries.some((e) => e.ref === `adjust:${key}`)) {
      throw new HttpError(400, 'insufficient_points', `a deduction of ${-points} points is more than the balance of ${balance}`);
    }
    const entry: LedgerEntry = {
      id: svc.newId(), kind: 'adjust', points, spend: 0, reason, ref: `adjust:${key ?? svc.newId()}`, at: now,
      expiresAt: points > 0 ? expiryFor(site.settings.loyalty, now) : null,
    };
    const added = await repo.appendEntry(tx, site.id, profile.id, entry);
    if (added) entries.push(entry);
    return { added, state: await stateOf(tx, site, profile.id, entries, site.settings.locale, now), ledger: entries };
  });
}

/** The customer's tier for offer targeting (null when they have no ledger: not a member). */
export async function tierOf(db: SqlRunner, site: Site, profileId: string, now: number): Promise<string | null> {
  if (!site.settings.loyalty.enabled) return null;
  const entries = await repo.entriesOf(db, site.id, profileId);
  return entries.length ? tierAt(entries, site.settings.loyalty.tiers, now).level.name : null;
}

/** The customer's state without writing anything (expiries due are already left out of the balance). */
export async function peekState(db: SqlRunner, site: Site, profileId: string, locale: string, now: number): Promise<LoyaltyState | null> {
  if (!site.settings.loyalty.enabled) return null;
  const entries = await repo.entriesOf(db, site.id, profileId);
  return entries.length ? stateOf(db, site, profileId, entries, locale, now) : null;
}

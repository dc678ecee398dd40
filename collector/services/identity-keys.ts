/**
 * External customer keys — email, phone, loyalty card, POS customer code — and the id checks the
 * identity graph applies. Pure functions: no I/O, no clock.
 *
 * Keys are stored as identities of kinds 'email' | 'phone' | 'loyalty' | 'pos'. Email is stored
 * only as sha256(trimmed lower-cased address), so the graph can match a customer across channels
 * without keeping the address itself in an index.
 */
import { createHash } from 'node:crypto';
import type { ProfileIdentity } from '../profile.ts';

export const EXTERNAL_KINDS = ['email', 'phone', 'loyalty', 'pos'] as const;
export type ExternalKind = (typeof EXTERNAL_KINDS)[number];

/** Limits on what the graph stores (documented in docs/identity.md). */
export const IDENTITY_LIMITS = {
  idLength: 200,
  externalIdsPerMessage: 10,
  traitKeys: 100,
  traitsBytes: 16 * 1024,
} as const;

/** Aliases a shop may use for a key type (Segment's `context.externalIds[].type`, CSV headers). */
const KIND_ALIASES: Record<string, ExternalKind> = {
  email: 'email', email_hash: 'email', phone: 'phone', phone_number: 'phone', mobile: 'phone',
  loyalty: 'loyalty', loyalty_card: 'loyalty', loyaltycard: 'loyalty', loyalty_id: 'loyalty',
  pos: 'pos', pos_code: 'pos', poscode: 'pos', pos_customer: 'pos', pos_id: 'pos',
};

export function externalKind(type: string): ExternalKind | null {
  return KIND_ALIASES[type.trim().toLowerCase().replace(/[\s-]/g, '_')] ?? null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** C0, DEL and C1 control characters: in no id the identity graph stores. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** sha256 hex of the trimmed, lower-cased email; null if it is not an email address. */
export function emailHash(raw: string): string | null {
  const e = raw.trim().toLowerCase();
  if (SHA256_HEX.test(e)) return e; // already hashed by the shop
  if (e.length > 254 || !EMAIL.test(e)) return null;
  return createHash('sha256').update(e, 'utf8').digest('hex');
}

/**
 * Phone to E.164-ish form: '+' and 8–15 digits. Spaces, dashes, dots and brackets are dropped;
 * a leading 00 means '+'; a national number with one leading 0 takes `countryCode` (Vietnam, 84,
 * by default: the first shops are Vietnamese). Null if it cannot be a phone number.
 */
export function normalizePhone(raw: string, countryCode = '84'): string | null {
  const s = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(s)) return null;
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('+')) { /* international already */ }
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = countryCode + digits.slice(1);
  else if (!digits.startsWith(countryCode) || digits.length < 10) digits = countryCode + digits;
  return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
}

/** The stored identity value for a key, or null if the value cannot be that kind of key. */
export function keyValue(kind: ExternalKind, raw: unknown): string | null {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) raw = String(raw);
  if (typeof raw !== 'string') return null;
  if (kind === 'email') return emailHash(raw);
  if (kind === 'phone') return normalizePhone(raw);
  const v = raw.trim();
  return v && idProblem(v) === null ? v : null;
}

/**
 * Why an id cannot be stored, or null if it can. Ids are opaque machine strings: control
 * characters (NUL …), unpaired surrogates (SQLite would store them as U+FFFD, so two different
 * ids would collide) and bidi overrides (they disguise one id as another in the console) are refused.
 */
export function idProblem(v: string): string | null {
  if (v.length === 0) return 'must not be empty';
  if (v.length > IDENTITY_LIMITS.idLength) return `must be at most ${IDENTITY_LIMITS.idLength} characters`;
  if (CONTROL_CHARS.test(v)) return 'must not contain control characters';
  if (/[\u202a-\u202e\u2066-\u2069]/.test(v)) return 'must not contain bidirectional override characters';
  if (LONE_SURROGATE.test(v)) return 'must not contain unpaired surrogates';
  return null;
}

/**
 * External keys named by an identify message: traits `email`, `phone`, `loyalty_card`,
 * `pos_code`, a traits `externalIds` array or object, and Segment's `context.externalIds`
 * ([{ id, type }]). Unknown types and values that are not valid keys are skipped, not fatal:
 * the traits themselves are still stored.
 */
export function externalKeysOf(m: { traits?: Record<string, unknown>; context?: Record<string, unknown> }): ProfileIdentity[] {
  const out = new Map<string, ProfileIdentity>();
  const add = (type: unknown, raw: unknown) => {
    if (typeof type !== 'string' || out.size >= IDENTITY_LIMITS.externalIdsPerMessage) return;
    const kind = externalKind(type);
    const value = kind && keyValue(kind, raw);
    if (kind && value) out.set(`${kind}:${value}`, { kind, value });
  };
  const list = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const x of v.slice(0, 50)) if (x && typeof x === 'object') add((x as any).type, (x as any).id);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v).slice(0, 50)) add(k, x);
    }
  };
  const t = m.traits ?? {};
  for (const k of ['email', 'phone', 'loyalty_card', 'loyaltyCard', 'pos_code', 'posCode']) if (k in t) add(k.replace(/([A-Z])/g, '_$1'), t[k]);
  list(t.externalIds);
  list(m.context?.externalIds);
  return [...out.values()];
}

/**
 * The identity a free-form lookup string may stand for when it is not an id itself: a raw
 * email (hashed), or a phone number (normalised).
 */
export function lookupCandidates(anyId: string): ProfileIdentity[] {
  const out: ProfileIdentity[] = [];
  const email = anyId.includes('@') ? emailHash(anyId) : null;
  if (email) out.push({ kind: 'email', value: email });
  const phone = /^\+?[\d\s().-]{8,}$/.test(anyId.trim()) ? normalizePhone(anyId) : null;
  if (phone) out.push({ kind: 'phone', value: phone });
  return out;
}

/**
 * Merge identify traits into a profile's traits, bounded: at most `traitKeys` keys and
 * `traitsBytes` of JSON, so repeated identifies cannot grow a profile without limit. Keys already
 * held are updated first; new keys past the bound are dropped (and named in `dropped`).
 */
export function mergeTraits(current: Record<string, unknown>, incoming: Record<string, unknown> | undefined): { traits: Record<string, unknown>; dropped: string[] } {
  if (!incoming) return { traits: current, dropped: [] };
  const traits = { ...current };
  const dropped: string[] = [];
  let size = JSON.stringify(traits).length;
  for (const [k, v] of Object.entries(incoming)) {
    if (k === 'externalIds' || v === undefined) continue;
    const had = k in traits;
    const delta = JSON.stringify({ [k]: v }).length - (had ? JSON.stringify({ [k]: traits[k] }).length : 0);
    if ((!had && Object.keys(traits).length >= IDENTITY_LIMITS.traitKeys) || size + delta > IDENTITY_LIMITS.traitsBytes) {
      dropped.push(k);
      continue;
    }
    traits[k] = v;
    size += delta;
  }
  return { traits, dropped };
}

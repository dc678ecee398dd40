/**
 * The wire protocol between browsers / shop backends and the collector, defined once.
 *
 * Ingest follows the Segment HTTP Tracking API shape so a shop's existing Segment or
 * RudderStack library works unchanged. The SDK imports only the *types* from this file
 * (`import type`), so zod never ships to browsers.
 */
import { z } from 'zod';

/** Limits in the spirit of Segment's spec (32 KB per event, 500 KB per batch). */
export const LIMITS = {
  eventBytes: 32 * 1024,
  batchBytes: 500 * 1024,
  batchEvents: 2500,
  idLength: 200,
  eventNameLength: 200,
  placementsPerDecide: 10,
} as const;

/**
 * Control characters (C0, DEL, C1), bidirectional overrides and lone surrogates have no place in
 * ids or names: they break logs, URLs and other stores, and overrides make one id look like
 * another. The same rule as the identity graph's (services/identity-keys.ts idProblem), checked
 * here so a refusal names the item (`batch.3.anonymousId`) and the rest of a batch can be sent.
 */
const CLEAN = /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/;
export const wellFormed = (s: string) => CLEAN.test(s) && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
export const DIRTY = 'must not contain control characters, bidirectional overrides or unpaired surrogates';
const id = z.string().trim().min(1, 'must not be empty').max(LIMITS.idLength, `must be at most ${LIMITS.idLength} characters`).refine(wellFormed, DIRTY);
const name = z.string().trim().min(1, 'must not be empty').max(LIMITS.eventNameLength).refine(wellFormed, DIRTY);
/** Epoch ms of 9999-12-31T23:59:59.999Z: later dates have no ISO-8601 form that stores and cursors share. */
const LAST_DATE = 253_402_300_799_999;
/** A date-time without Z or an offset: JavaScript would read it in the server's own time zone. */
const NO_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const isoDate = z.union([z.string().max(40), z.number()]).transform((v, ctx) => {
  // Read as UTC, the same on every server, whatever time zone the host runs in.
  const t = typeof v === 'number' ? v : Date.parse(NO_OFFSET.test(v) ? `${v}Z` : v);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date' });
    return z.NEVER;
  }
  // Before 1970 no shop had a customer, and negative times break the timeline's paging cursor.
  if (t < 0 || t > LAST_DATE) {
    ctx.addIssue({ code: 'custom', message: 'must be a date between 1970 and 9999' });
    return z.NEVER;
  }
  return t;
});
/**
 * A free-form JSON object (properties, traits, context), taken as parsed: a record schema would
 * copy every key of every message, about a third of a message's validation.
 */
const dict = z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'must be a JSON object');

const common = {
  messageId: id.optional(),
  anonymousId: id.optional(),
  userId: id.optional(),
  /** When the event happened on the client, corrected for clock skew with `sentAt`. */
  timestamp: isoDate.optional(),
  sentAt: isoDate.optional(),
  context: dict.optional(),
  integrations: dict.optional(),
  writeKey: z.string().max(100).optional(),
  /**
   * HMAC-SHA256(site secret, userId), hex. A browser message that carries a userId needs it when
   * the site enforces identity verification; the SDK adds it to every message after identify.
   */
  userHash: z.string().max(128).optional(),
};

/** Segment e-commerce event names that feed scoring directly. */
export const ECOMMERCE = {
  productViewed: 'Product Viewed',
  productAdded: 'Product Added',
  productRemoved: 'Product Removed',
  checkoutStarted: 'Checkout Started',
  orderCompleted: 'Order Completed',
  orderRefunded: 'Order Refunded',
  orderCancelled: 'Order Cancelled',
  productListViewed: 'Product List Viewed',
} as const;
const ECOMMERCE_NAMES = new Set<string>(Object.values(ECOMMERCE));

/** Money and counts of the e-commerce spec's events: revenue, loyalty points and the value models read them. */
const AMOUNT_FIELDS = ['revenue', 'total', 'subtotal', 'value', 'price', 'quantity', 'discount', 'shipping', 'tax'] as const;
/** The e-commerce spec's ids of an order. */
export const ORDER_KEYS = ['order_id', 'orderId', 'checkout_id'] as const;
/** The largest amount taken: 10^15 (a thousand billion ₫ in one order is already a typo). */
export const MAX_AMOUNT = 1e15;

/**
 * An e-commerce event's amounts, in its properties and in each of its products, must be numbers
 * (or numeric strings) from 0 to MAX_AMOUNT: a negative or endless revenue would buy unlimited
 * loyalty points and skew every shop-wide model. Other events' properties stay free-form.
 */
function checkAmounts(m: { event: string; properties?: Record<string, unknown> }, ctx: z.RefinementCtx): void {
  if (!m.properties || !ECOMMERCE_NAMES.has(m.event)) return;
  const check = (o: Record<string, unknown>, path: (string | number)[]) => {
    for (const k of AMOUNT_FIELDS) {
      const v = o[k];
      if (v === undefined || v === null) continue;
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!(n >= 0 && n <= MAX_AMOUNT)) ctx.addIssue({ code: 'custom', path: [...path, k], message: `must be a number from 0 to ${MAX_AMOUNT}` });
    }
  };
  check(m.properties, ['properties']);
  // The order's id and currency are keys the stores index and the ledger refers to: an id, not any text.
  for (const k of ORDER_KEYS) {
    const v = m.properties[k];
    if (v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v))) continue;
    if (typeof v !== 'string' || !v.trim() || v.length > LIMITS.idLength || !wellFormed(v)) {
      ctx.addIssue({ code: 'custom', path: ['properties', k], message: `must be a number or an id: 1 to ${LIMITS.idLength} characters, no control characters, bidirectional overrides or unpaired surrogates` });
    }
  }
  const currency = m.properties.currency;
  if (currency !== undefined && currency !== null && (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency.trim()))) {
    ctx.addIssue({ code: 'custom', path: ['properties', 'currency'], message: 'must be an ISO 4217 currency code such as VND' });
  }
  const products = m.properties.products;
  if (Array.isArray(products)) products.forEach((p, i) => p && typeof p === 'object' && check(p as Record<string, unknown>, ['properties', 'products', i]));
}

export const trackMessage = z.object({
  ...common,
  type: z.literal('track'),
  event: name,
  properties: dict.optional(),
}).superRefine(checkAmounts);
export const pageMessage = z.object({
  ...common,
  type: z.literal('page'),
  name: name.optional(),
  category: name.optional(),
  properties: dict.optional(),
});
export const screenMessage = pageMessage.extend({ type: z.literal('screen') });
export const identifyMessage = z.object({
  ...common,
  type: z.literal('identify'),
  traits: dict.optional(),
});
export const groupMessage = z.object({
  ...common,
  type: z.literal('group'),
  groupId: id,
  traits: dict.optional(),
});
export const aliasMessage = z.object({
  ...common,
  type: z.literal('alias'),
  previousId: id,
});

export const message = z.discriminatedUnion('type', [
  trackMessage,
  pageMessage,
  screenMessage,
  identifyMessage,
  groupMessage,
  aliasMessage,
]);

export const batchRequest = z.object({
  batch: z.array(z.unknown()).max(LIMITS.batchEvents),
  sentAt: isoDate.optional(),
  context: dict.optional(),
  writeKey: z.string().max(100).optional(),
});

export type Message = z.infer<typeof message>;
export type MessageType = Message['type'];
/** What a client sends: dates as strings or epoch ms. */
export type MessageInput = z.input<typeof message>;

/**
 * Answer to every ingest call. A batch is all or nothing: if any item is invalid the whole
 * request gets a 400 naming each bad item (`issues[].path` like "batch.3.event"), and nothing
 * is stored — so a client can retry a fixed batch without creating half-written state.
 */
export interface IngestResponse {
  success: true;
  /** Newly stored events. */
  accepted: number;
  /** Events already stored earlier (same messageId from the same source): acknowledged, not stored again. */
  duplicates: number;
}

/** Page/visitor context the decide call carries; all fields optional. */
export const decideContext = z.object({
  url: z.string().max(2000).optional(),
  path: z.string().max(1000).optional(),
  /** Product being viewed, if any. */
  product: z.object({ id: id.optional(), category: z.string().max(100).optional(), price: z.number().nonnegative().optional() }).optional(),
  cartValue: z.number().nonnegative().optional(),
  locale: z.string().max(20).optional(),
  device: z.enum(['mobile', 'tablet', 'desktop']).optional(),
  sessionId: id.optional(),
  consent: z.record(z.string(), z.enum(['granted', 'denied', 'pending'])).optional(),
});

export const decideRequest = z.object({
  anonymousId: id.optional(),
  userId: id.optional(),
  userHash: z.string().max(128).optional(),
  placements: z.array(z.string().trim().min(1).max(100).refine(wellFormed, 'must not contain control characters or unpaired surrogates')).min(1).max(LIMITS.placementsPerDecide),
  context: decideContext.optional(),
  /** Events sent in the same round trip, applied before deciding. */
  events: z.array(z.unknown()).max(100).optional(),
  writeKey: z.string().max(100).optional(),
}).refine((r) => r.anonymousId || r.userId, { message: 'anonymousId or userId is required' });

export type DecideContext = z.infer<typeof decideContext>;
export type DecideRequest = z.input<typeof decideRequest>;

/** Offer content as rendered, already resolved to one locale. Text only, never HTML. */
export interface RenderedContent {
  title: string;
  body?: string;
  cta?: string;
  /** Already checked against the link allowlist by the collector; the widget checks again. */
  link?: string;
  image?: string;
  code?: string;
  /** Loyalty prompts carry figures the widget formats with Intl. */
  figures?: Record<string, number | string>;
}

export type OfferKind = 'banner' | 'card' | 'modal' | 'toast' | 'recommendations' | 'loyalty';

export interface Decision {
  placement: string;
  decisionId: string;
  /** null when nothing fits or the visitor is in a holdout (the default experience). */
  offer: null | {
    id: string;
    version: number;
    kind: OfferKind;
    locale: string;
    content: RenderedContent;
    /** Items for a product recommendation strip. */
    items?: { id: string; title: string; price?: number; currency?: string; image?: string; link?: string }[];
  };
  /** Short explanation in words ("MVC, coffee affinity 0.82, rule 'vip-coffee'…"). */
  reason: string;
  holdout?: boolean;
}

export interface DecideResponse {
  profileId: string;
  decisions: Decision[];
  /** Signed, expiring copy the SDK keeps so a returning visitor renders with no round trip. */
  bundle?: { payload: string; signature: string; expiresAt: number };
  ingest?: IngestResponse;
}

/** Every 4xx answer has this shape. */
export interface ErrorResponse {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

/** Widget → collector interaction events on a decision, sent as `track` events. */
export const OFFER_EVENTS = {
  impression: 'Offer Viewed',
  click: 'Offer Clicked',
  dismiss: 'Offer Dismissed',
  conversion: 'Offer Converted',
} as const;



/**
 * Routes the SDK and shop backends call (all JSON, CORS-restricted to the site's origins):
 * - `POST /v1/batch|track|identify|page|screen|group|alias` — Segment shape; write key as Basic
 *   user or `writeKey` body field. Answer: IngestResponse.
 * - `POST /v1/decide` — DecideRequest → DecideResponse (public write key; only the caller's own
 *   decisions: anonymousId, or userId with a valid userHash when the site enforces verification).
 * - `POST /v1/loyalty/me` — { writeKey, userId, userHash } → LoyaltyState (verified identity only).
 * - `POST /v1/loyalty/redeem` — { writeKey, userId, userHash, rewardId } → { code, reward, state }.
 */
export interface LoyaltyState {
  balance: number;
  tier: string;
  nextTier: { name: string; remaining: number; unit: 'currency' | 'points'; progress: number } | null;
  rewards: { id: string; name: string; cost: number; available: boolean }[];
  expiring: { points: number; at: number } | null;
  currency: string;
  codes: { code: string; rewardId: string; used: boolean }[];
}

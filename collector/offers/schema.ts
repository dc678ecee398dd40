/**
 * An offer, as marketers configure it. One zod schema serves the API, the JSON config file
 * and the console's form validation.
 */
import { z } from 'zod';

export const VALUE_TIERS = ['MVC', 'MGC', 'LMC', 'BZ', 'Migrator'] as const;
export const PURCHASE_STAGES = ['browsing', 'considering', 'buying', 'lapsing'] as const;
export const OFFER_KINDS = ['banner', 'card', 'modal', 'toast', 'recommendations', 'loyalty'] as const;
export const OFFER_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;

/**
 * Links are allowlisted: https URLs and same-origin absolute paths only.
 * Anything else (javascript:, data:, vbscript:, protocol-relative //host) is refused.
 */
export function isAllowedLink(link: string): boolean {
  const s = link.trim();
  if (s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\')) return !/[\u0000-\u001f]/.test(s);
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}
const link = z.string().max(2000).refine(isAllowedLink, 'link must be https: or a same-origin path starting with /');

export const offerContent = z.object({
  title: z.string().trim().min(1, 'title is required').max(120),
  body: z.string().max(500).optional(),
  cta: z.string().max(40).optional(),
  link: link.optional(),
  image: link.optional(),
  code: z.string().max(40).optional(),
});

const range = z.object({ min: z.number().optional(), max: z.number().optional() });

/** Targeting conditions; an offer's `target` combines them with all / any / not. */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { tier: (typeof VALUE_TIERS)[number][] }
  | { loyaltyTier: string[] }
  | { rfm: { r?: z.infer<typeof range>; f?: z.infer<typeof range>; m?: z.infer<typeof range> } }
  | { needs: string[] }
  | { affinity: { category: string; min: number } }
  | { stage: (typeof PURCHASE_STAGES)[number][] }
  | { returning: boolean }
  | { identified: boolean }
  | { page: string[] }
  | { productCategory: string[] }
  | { cartValue: z.infer<typeof range> }
  | { locale: string[] }
  | { device: ('mobile' | 'tablet' | 'desktop')[] };

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(condition).max(50) }).strict(),
    z.object({ any: z.array(condition).max(50) }).strict(),
    z.object({ not: condition }).strict(),
    z.object({ tier: z.array(z.enum(VALUE_TIERS)).min(1) }).strict(),
    z.object({ loyaltyTier: z.array(z.string().max(40)).min(1) }).strict(),
    z.object({ rfm: z.object({ r: range.optional(), f: range.optional(), m: range.optional() }) }).strict(),
    z.object({ needs: z.array(z.string().max(60)).min(1) }).strict(),
    z.object({ affinity: z.object({ category: z.string().min(1).max(100), min: z.number().min(0).max(1) }) }).strict(),
    z.object({ stage: z.array(z.enum(PURCHASE_STAGES)).min(1) }).strict(),
    z.object({ returning: z.boolean() }).strict(),
    z.object({ identified: z.boolean() }).strict(),
    /** Page path patterns; `*` matches any run of characters. */
    z.object({ page: z.array(z.string().max(200)).min(1) }).strict(),
    z.object({ productCategory: z.array(z.string().max(100)).min(1) }).strict(),
    z.object({ cartValue: range }).strict(),
    z.object({ locale: z.array(z.string().max(20)).min(1) }).strict(),
    z.object({ device: z.array(z.enum(['mobile', 'tablet', 'desktop'])).min(1) }).strict(),
  ]),
);

export const frequencyCaps = z.object({
  perSession: z.number().int().positive().optional(),
  perDay: z.number().int().positive().optional(),
  perWeek: z.number().int().positive().optional(),
  stopAfterConversion: z.boolean().default(true),
  stopAfterDismiss: z.boolean().default(true),
});

export const schedule = z.object({
  start: z.string().datetime({ offset: true }).optional(),
  end: z.string().datetime({ offset: true }).optional(),
  /** 0 = Sunday … 6 = Saturday, in the site's time zone. */
  days: z.array(z.number().int().min(0).max(6)).optional(),
  hours: z.object({ from: z.number().int().min(0).max(23), to: z.number().int().min(1).max(24) }).optional(),
}).refine((s) => s.start === undefined || s.end === undefined || Date.parse(s.end) > Date.parse(s.start),
  // An end at or before the start is a window no moment falls in: the offer would silently never run.
  { path: ['end'], message: 'end must be after start' });

export const offerInput = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'id: lowercase letters, digits and dashes'),
  name: z.string().trim().min(1).max(120),
  placements: z.array(z.string().trim().min(1).max(100)).min(1, 'at least one placement'),
  kind: z.enum(OFFER_KINDS),
  status: z.enum(OFFER_STATUSES).default('draft'),
  /** Content per locale, e.g. { en: {...}, vi: {...} }; the first is the fallback. */
  content: z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'locale like "en" or "vi"'), offerContent)
    .refine((c) => Object.keys(c).length > 0, 'content needs at least one locale'),
  target: condition.optional(),
  /** Marketer's priority: the cold-start order before the bandit has learned. Higher first. */
  priority: z.number().int().min(0).max(1000).default(100),
  /** Cost to the shop when the offer converts (e.g. the discount), in the site currency. */
  cost: z.number().nonnegative().default(0),
  /** Expected margin of the order the offer leads to, in the site currency. */
  expectedValue: z.number().nonnegative().optional(),
  caps: frequencyCaps.default({ stopAfterConversion: true, stopAfterDismiss: true }),
  /** Stop after N redemptions (inventory or budget cap). */
  budget: z.number().int().positive().optional(),
  /** Share of matching customers held out as this offer's control group. */
  holdoutShare: z.number().min(0).max(0.5).default(0),
  schedule: schedule.optional(),
  /** For recommendation strips: product ids to show, or a category to pick from. */
  items: z.array(z.object({
    id: z.string(), title: z.string(),
    /** The title per locale (e.g. { vi: 'Phin inox' }); `title` where a locale has none. */
    titles: z.record(z.string().max(10), z.string().max(200)).optional(),
    price: z.number().optional(), image: link.optional(), link: link.optional(),
  })).max(20).optional(),
});

export type OfferInput = z.input<typeof offerInput>;
export type Offer = z.infer<typeof offerInput> & { version: number; updatedAt: number; updatedBy: string };

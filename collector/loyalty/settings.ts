/**
 * Loyalty rules per shop, as typed data with defaults fit for a Vietnamese shop: 1 point per
 * 10,000 ₫, Member / Silver / Gold / Platinum by trailing-12-month spend, points valid 12 months.
 * The pure ledger, rule and tier modules receive the parsed object.
 */
import { z } from 'zod';

const name = z.string().trim().min(1).max(40);
/** A text per locale, e.g. { en: 'Voucher 50,000 ₫', vi: 'Phiếu 50.000 ₫' }; the first is the fallback. */
const localized = z.record(z.string().regex(/^[a-z]{2}$/, 'locale like "en" or "vi"'), z.string().trim().min(1).max(80))
  .refine((r) => Object.keys(r).length > 0, 'needs at least one locale');

export const tierLevel = z.object({
  /** The tier's id in rules and targeting (loyaltyTier), and its name where no label fits. */
  name,
  /** What customers read, per locale (e.g. { vi: 'Bạc' }). */
  labels: localized.optional(),
  /** Qualifying figure (spend in the site currency, or points) over the window. */
  min: z.number().nonnegative(),
  /** Points multiplier for orders placed while in this tier. @default 1 */
  multiplier: z.number().min(0).max(10).default(1),
});

export const rewardSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'id: lowercase letters, digits and dashes'),
  name: localized,
  /** Points it costs. */
  cost: z.number().int().positive(),
  /** What the single-use code takes off an order: a fixed amount (site currency) or a percentage. */
  discount: z.union([
    z.object({ type: z.literal('amount'), value: z.number().positive() }),
    z.object({ type: z.literal('percent'), value: z.number().positive().max(100) }),
  ]),
  /** Smallest order the code applies to. @default 0 */
  minOrder: z.number().nonnegative().default(0),
  /** Days a code stays valid after redemption. @default 90 */
  validDays: z.number().int().positive().max(3650).default(90),
  active: z.boolean().default(true),
});

const DEFAULT_REWARDS: z.input<typeof rewardSchema>[] = [
  { id: 'voucher-30k', name: { en: '30,000 ₫ voucher', vi: 'Phiếu giảm 30.000 ₫' }, cost: 60, discount: { type: 'amount', value: 30_000 }, minOrder: 150_000 },
  { id: 'voucher-100k', name: { en: '100,000 ₫ voucher', vi: 'Phiếu giảm 100.000 ₫' }, cost: 180, discount: { type: 'amount', value: 100_000 }, minOrder: 400_000 },
  { id: 'percent-15', name: { en: '15% off one order', vi: 'Giảm 15% một đơn' }, cost: 300, discount: { type: 'percent', value: 15 } },
];

export const loyaltySettings = z.object({
  /** Award points and answer the loyalty API. @default true */
  enabled: z.boolean().default(true),
  earn: z.object({
    /** `points` points for every `per` of order value (site currency). @default 1 per 10,000 */
    // Bounded so an order's points stay an exact integer a ledger can hold (see pointsForOrder).
    points: z.number().positive().max(1_000_000).default(1),
    per: z.number().min(0.01).max(1e12).default(10_000),
    /** Extra multipliers by product category, e.g. { ceramics: 2 }. @default {} */
    categoryMultipliers: z.record(z.string().max(100), z.number().min(0).max(10)).default({}),
  }).prefault({}),
  /** One-time points when a verified customer joins. @default 50 */
  signupBonus: z.number().int().nonnegative().default(50),
  /** Points once a year in the birthday month (trait `birthday`, YYYY-MM-DD or MM-DD). @default 100 */
  birthdayBonus: z.number().int().nonnegative().default(100),
  /** Earned points expire this many months after they were earned; 0 = never. @default 12 */
  expiryMonths: z.number().int().min(0).max(120).default(12),
  tiers: z.object({
    /** What qualifies: net spend or points earned, over the trailing window. @default 'spend' */
    basis: z.enum(['spend', 'points']).default('spend'),
    windowMonths: z.number().int().min(1).max(60).default(12),
    /** A tier is kept this many months after the customer last qualified for it. @default 3 */
    graceMonths: z.number().int().min(0).max(36).default(3),
    levels: z.array(tierLevel).min(1).max(10).prefault(() => DEFAULT_LEVELS),
    // Refinements run even when `levels` broke its own rules: an empty list is min(1)'s to name.
  }).prefault({}).refine((t) => t.levels.length === 0 || t.levels[0].min === 0, { message: 'the first tier must start at 0', path: ['levels', 0, 'min'] })
    .refine((t) => t.levels.every((l, i) => i === 0 || l.min > t.levels[i - 1].min), { message: 'tiers must be in ascending order of min', path: ['levels'] })
    .refine((t) => new Set(t.levels.map((l) => l.name)).size === t.levels.length, { message: 'tier names must be unique', path: ['levels'] }),
  rewards: z.array(rewardSchema).max(100).prefault(DEFAULT_REWARDS)
    .refine((r) => new Set(r.map((x) => x.id)).size === r.length, 'reward ids must be unique'),
  /** Loyalty prompts warn about points expiring within this many days. @default 30 */
  expiringWithinDays: z.number().int().min(1).max(365).default(30),
});

export type LoyaltySettings = z.infer<typeof loyaltySettings>;
export type Reward = z.infer<typeof rewardSchema>;
export type TierLevel = z.infer<typeof tierLevel>;

export function defaultLoyaltySettings(): LoyaltySettings {
  return loyaltySettings.parse({});
}

const DEFAULT_LEVELS = [
  { name: 'Member', labels: { en: 'Member', vi: 'Thành viên' }, min: 0, multiplier: 1 },
  { name: 'Silver', labels: { en: 'Silver', vi: 'Bạc' }, min: 3_000_000, multiplier: 1.25 },
  { name: 'Gold', labels: { en: 'Gold', vi: 'Vàng' }, min: 10_000_000, multiplier: 1.5 },
  { name: 'Platinum', labels: { en: 'Platinum', vi: 'Bạch kim' }, min: 30_000_000, multiplier: 2 },
];

/**
 * The defaults are a shop in ₫'s. A shop in another currency starts with the same programme, every
 * amount divided by 10,000 — 1 point per unit, Silver from 300, a 3-unit voucher on orders from 15
 * — and its vouchers named in its own money ("$3 voucher"), not in ₫.
 */
export function loyaltyDefaultsFor(currency: string): z.input<typeof loyaltySettings> {
  if (currency === 'VND') return {};
  const k = 10_000;
  const money = (n: number, locale: string) => {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(n);
    } catch {
      return `${n} ${currency}`; // a code Intl does not know: the settings' own check names it
    }
  };
  return {
    earn: { points: 1, per: 1 },
    tiers: { levels: DEFAULT_LEVELS.map((l) => ({ ...l, min: l.min / k })) },
    rewards: DEFAULT_REWARDS.map((r) => {
      if (r.discount.type !== 'amount') return r;
      const value = r.discount.value / k;
      return { ...r, id: `voucher-${value}`, name: { en: `${money(value, 'en')} voucher`, vi: `Phiếu giảm ${money(value, 'vi')}` }, discount: { type: 'amount', value }, minOrder: (r.minOrder ?? 0) / k };
    }),
  };
}

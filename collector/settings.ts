/** Per-site settings, validated once here and stored as JSON with the site. */
import { z } from 'zod';
import { DEFAULT_SCORING } from './models/config.ts';
import { decideSettingsSchema } from './decide/settings.ts';
import { loyaltySettings } from './loyalty/settings.ts';

const origin = z.string().max(300).refine((o) => {
  try { const u = new URL(o); return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o.replace(/\/$/, ''); } catch { return false; }
}, 'origin must look like https://shop.example (scheme, host and optional port, no path)').transform((o) => o.replace(/\/$/, ''));

export const siteSettings = z.object({
  /** Browser origins allowed to call the public routes (CORS). */
  origins: z.array(origin).max(50).default([]),
  /** Reject identify / decide for a userId without a valid HMAC userHash. On by default. */
  verifyIdentity: z.boolean().default(true),
  consentMode: z.enum(['opt-in', 'opt-out']).default('opt-out'),
  honorGlobalPrivacyControl: z.boolean().default(true),
  currency: z.string().length(3).default('VND'),
  locale: z.string().max(20).default('vi'),
  /** Minutes east of UTC for schedules and "time of day" needs (Vietnam: +420). */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(420),
  /** Decision engine: holdouts, global caps, exploration, attribution window, time zone. */
  decide: decideSettingsSchema.prefault({}),
  /** Per write key: sustained events per second and burst. */
  rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().positive() }).default({ perSecond: 200, burst: 2000 }),
  /** Loyalty programme: earning rules, tiers, rewards catalogue (collector/loyalty/settings.ts). */
  loyalty: loyaltySettings.prefault({}),
  scoring: z.object({
    affinityHalfLifeDays: z.number().positive().default(DEFAULT_SCORING.affinityHalfLifeDays),
    unit: z.enum(['day', 'week']).default(DEFAULT_SCORING.unit),
    clvHorizonDays: z.number().positive().default(DEFAULT_SCORING.clvHorizonDays),
    annualDiscountRate: z.number().min(0).max(1).default(DEFAULT_SCORING.annualDiscountRate),
    margin: z.number().min(0).max(1).default(DEFAULT_SCORING.margin),
    tiers: z.object({
      mvcTopShare: z.number().min(0).max(1).default(DEFAULT_SCORING.tiers.mvcTopShare),
      mgcGapRatio: z.number().min(1).default(DEFAULT_SCORING.tiers.mgcGapRatio),
      migratorDrop: z.number().min(0).max(1).default(DEFAULT_SCORING.tiers.migratorDrop),
    }).prefault({}),
  }).prefault({}),
});

export type SiteSettings = z.infer<typeof siteSettings>;
export type SiteSettingsInput = z.input<typeof siteSettings>;

export function defaultSettings(): SiteSettings {
  return siteSettings.parse({});
}

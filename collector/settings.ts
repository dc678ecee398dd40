/** Per-site settings, validated once here and stored as JSON with the site. */
import { z } from 'zod';
import { DEFAULT_NEEDS, DEFAULT_SCORING, type NeedsThresholds, type ScoringConfig } from './models/config.ts';
import { decideSettingsSchema } from './decide/settings.ts';
import { loyaltySettings } from './loyalty/settings.ts';

const origin = z.string().max(300).refine((o) => {
  try { const u = new URL(o); return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === o.replace(/\/$/, ''); } catch { return false; }
}, 'origin must look like https://shop.example (scheme, host and optional port, no path)').transform((o) => o.replace(/\/$/, ''));

const D = DEFAULT_SCORING;
const share = (v: number) => z.number().min(0).max(1).default(v);
const days = (v: number) => z.number().positive().default(v);

/** Every ScoringConfig field, each defaulting to DEFAULT_SCORING (the `satisfies` keeps the two in step). */
const needsSchema = z.object({
  dealSeekerShare: share(DEFAULT_NEEDS.dealSeekerShare),
  loverShare: share(DEFAULT_NEEDS.loverShare),
  timeOfDayShare: share(DEFAULT_NEEDS.timeOfDayShare),
  buyingDays: days(DEFAULT_NEEDS.buyingDays),
  consideringViews: z.number().min(0).default(DEFAULT_NEEDS.consideringViews),
  recentHalfLifeDays: days(DEFAULT_NEEDS.recentHalfLifeDays),
  lapsingPAlive: share(DEFAULT_NEEDS.lapsingPAlive),
  lapsingDays: days(DEFAULT_NEEDS.lapsingDays),
} satisfies { [K in keyof NeedsThresholds]-?: z.ZodType });

const weight = (v: number) => z.number().min(0).default(v);
export const scoringSchema = z.object({
  affinityHalfLifeDays: days(D.affinityHalfLifeDays),
  unit: z.enum(['day', 'week']).default(D.unit),
  clvHorizonDays: days(D.clvHorizonDays),
  annualDiscountRate: share(D.annualDiscountRate),
  margin: share(D.margin),
  tiers: z.object({
    mvcTopShare: share(D.tiers.mvcTopShare),
    mgcGapRatio: z.number().min(1).default(D.tiers.mgcGapRatio),
    migratorDrop: share(D.tiers.migratorDrop),
    mgcPeerQuantile: share(D.tiers.mgcPeerQuantile!),
    mgcActiveDays: days(D.tiers.mgcActiveDays!),
    mgcMinPeers: z.number().int().min(1).default(D.tiers.mgcMinPeers!),
  } satisfies { [K in keyof ScoringConfig['tiers']]-?: z.ZodType }).prefault({}),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as VND').default(D.currency!),
  locale: z.string().min(2).max(35).refine((l) => { try { return Intl.NumberFormat.supportedLocalesOf([l]).length > 0; } catch { return false; } }, 'a BCP 47 locale such as vi-VN').default(D.locale!),
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(D.utcOffsetMinutes!),
  signalWeights: z.object({
    view: weight(D.signalWeights!.view), listView: weight(D.signalWeights!.listView),
    cartAdd: weight(D.signalWeights!.cartAdd), purchase: weight(D.signalWeights!.purchase),
  }).prefault({}),
  needs: needsSchema.prefault({}),
} satisfies { [K in keyof ScoringConfig]-?: z.ZodType });

export const siteSettings = z.object({
  /** Browser origins allowed to call the public routes (CORS). */
  origins: z.array(origin).max(50).default([]),
  /** Reject identify / decide for a userId without a valid HMAC userHash. On by default. */
  verifyIdentity: z.boolean().default(true),
  consentMode: z.enum(['opt-in', 'opt-out']).default('opt-out'),
  honorGlobalPrivacyControl: z.boolean().default(true),
  /**
   * The shop's currency, locale and time zone: the one source of truth. The scoring and decide
   * sections carry copies for their pure modules; parsing always overwrites those copies from here.
   */
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as VND').default('VND'),
  locale: z.string().min(2).max(35).refine((l) => { try { return Intl.NumberFormat.supportedLocalesOf([l]).length > 0; } catch { return false; } }, 'a BCP 47 locale such as vi-VN').default('vi-VN'),
  /** Minutes east of UTC for schedules, purchase days and "time of day" needs (Vietnam: +420). */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(420),
  /** Decision engine: holdouts, global caps, exploration, attribution window, time zone. */
  decide: decideSettingsSchema.prefault({}),
  /** Per write key: sustained events per second and burst. */
  rateLimit: z.object({
    perSecond: z.number().positive().default(200),
    burst: z.number().positive().default(2000),
    /**
     * Per browser client (IP address), counted in distinct visitor ids per request: a visitor's own
     * traffic costs 1 per request, a client inventing new ids costs one per id.
     */
    perClientPerSecond: z.number().positive().default(100),
    perClientBurst: z.number().positive().default(1000),
  }).prefault({}),
  /** Loyalty programme: earning rules, tiers, rewards catalogue (collector/loyalty/settings.ts). */
  loyalty: loyaltySettings.prefault({}),
  /** Value and needs models (collector/models/config.ts); every field defaults to DEFAULT_SCORING. */
  scoring: scoringSchema.prefault({}),
}).transform((s) => ({
  ...s,
  scoring: { ...s.scoring, currency: s.currency, locale: s.locale, utcOffsetMinutes: s.utcOffsetMinutes },
  decide: { ...s.decide, timeZoneOffsetMinutes: s.utcOffsetMinutes },
}));

export type SiteSettings = z.infer<typeof siteSettings>;
export type SiteSettingsInput = z.input<typeof siteSettings>;

export function defaultSettings(): SiteSettings {
  return siteSettings.parse({});
}

/** The site's scoring settings as the models take them (this line also proves the schema's output fits ScoringConfig). */
export function scoringConfig(settings: SiteSettings): ScoringConfig {
  return settings.scoring;
}

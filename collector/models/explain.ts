/**
 * Reasons in words and numbers for every score, so a shop owner can check each one:
 * "5 purchases in 9 months, last 4 days ago, P(alive) 0.93, expected 2.1 purchases in 90 days
 *  × 420.000 ₫ × 30 % margin → CLV 264.600 ₫, top 7 % → MVC".
 */
import type { PurchaseStage, ValueTier } from '../profile.ts';
import type { NeedsProfile } from './needs.ts';
import type { RfmScores } from './rfm.ts';
import type { TierDecision } from './tiers.ts';

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Money in the shop's currency with Intl; formatters are cached (building one costs ~50 µs).
 * @example formatMoney(880000) // "880.000 ₫"
 * @example formatMoney(12.5, 'USD', 'en-US') // "$12.50"
 */
export function formatMoney(amount: number, currency = 'VND', locale = 'vi-VN'): string {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, f);
  }
  return f.format(amount);
}

/** "today", "4 days", "9 months", "2.5 years". */
export function formatSpan(days: number): string {
  const d = Math.max(0, Math.round(days));
  if (d === 0) return 'today';
  if (d < 60) return d === 1 ? '1 day' : `${d} days`;
  const months = days / 30.44;
  if (months < 24) return `${Math.round(months)} months`;
  return `${Math.round((days / 365.25) * 10) / 10} years`;
}

/** "top 7 %", "top 0.4 %". */
export function formatTop(share: number): string {
  const pct = share * 100;
  return `top ${pct >= 1 ? Math.max(1, Math.round(pct)) : Math.max(0.1, Math.round(pct * 10) / 10)} %`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * A plain number in the explanations' English, with Intl: grouped thousands, at most `digits`
 * decimals, and from 10,000 up in compact form, so a ratio reads "1.6M×", never "1555618.7×".
 * @example formatNumber(2.14) // "2.1"
 * @example formatNumber(1555618.7) // "1.6M"
 */
export function formatNumber(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return '—';
  const compact = Math.abs(v) >= 10_000;
  const key = compact ? 'compact' : String(digits);
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', compact ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(v);
}

const num = formatNumber;
const plural = (n: number, word: string) => `${formatNumber(n, 0)} ${word}${n === 1 ? '' : 's'}`;

export interface ValueFigures {
  orders: number;
  /** Days from first purchase to now. */
  ageDays: number | null;
  daysSinceLastOrder: number | null;
  pAlive: number | null;
  expectedPurchases: number | null;
  horizonDays: number;
  expectedSpend: number | null;
  margin: number;
  clv: number | null;
  topShare: number | null;
  potential: number | null;
  potentialGroup: string | null;
  contribution: number | null;
  gaps: { mean: number } | null;
  tier: TierDecision | null;
  rfm: { recencyDays: number | null; frequency: number; monetary: number } | null;
  rfmScores: RfmScores | null;
  currency: string;
  locale: string;
}

/** The headline value sentence followed by the reason for the tier and the RFM line. */
export function explainValue(v: ValueFigures): string[] {
  const money = (n: number) => formatMoney(n, v.currency, v.locale);
  if (v.orders === 0) return ['no purchases yet → no value tier'];
  const parts: string[] = [];
  const history = `${plural(v.orders, 'purchase')}${v.ageDays !== null && v.ageDays > 0 ? ` in ${formatSpan(v.ageDays)}` : ''}`;
  parts.push(v.daysSinceLastOrder !== null ? `${history}, last ${v.daysSinceLastOrder === 0 ? 'today' : `${formatSpan(v.daysSinceLastOrder)} ago`}` : history);
  if (v.pAlive !== null) parts.push(`P(alive) ${v.pAlive.toFixed(2)}`);
  if (v.clv !== null && v.expectedPurchases !== null && v.expectedSpend !== null) {
    parts.push(`expected ${num(v.expectedPurchases)} purchases in ${plural(Math.round(v.horizonDays), 'day')} × ${money(v.expectedSpend)} × ${Math.round(v.margin * 100)} % margin → CLV ${money(v.clv)}`);
  } else {
    parts.push('value models not fitted yet');
  }
  if (v.topShare !== null && v.clv !== null) parts.push(formatTop(v.topShare));
  const lines = [`${parts.join(', ')}${v.tier ? ` → ${v.tier.tier}` : ''}`];
  const why = v.tier ? tierReason(v, money) : null;
  if (why) lines.push(why);
  if (v.rfm && v.rfmScores && v.rfmScores.r > 0) {
    lines.push(`RFM ${v.rfmScores.r}-${v.rfmScores.f}-${v.rfmScores.m}: last purchase ${v.rfm.recencyDays} days ago, ${plural(v.rfm.frequency, 'order')}, average ${money(v.rfm.monetary)}`);
  }
  return lines;
}

function tierReason(v: ValueFigures, money: (n: number) => string): string | null {
  const t: ValueTier = v.tier!.tier;
  switch (v.tier!.rule) {
    case 'below-zero':
      return `costs exceed margin: net contribution ${money(v.contribution ?? 0)} after refunds, discounts and service cost → ${t}`;
    case 'p-alive-drop':
      return `P(alive) fell to ${num(v.pAlive ?? 0, 2)} from 1.00 at their last purchase → ${t}`;
    case 'rate-drop':
      return `${num(v.daysSinceLastOrder ?? 0, 0)} days since the last purchase against a usual gap of ${num(v.gaps?.mean ?? 0)} days → ${t}`;
    case 'top-clv':
      return `CLV ${money(v.clv ?? 0)} is in the ${formatTop(v.topShare ?? 0)} of customers → ${t}`;
    case 'growth-gap':
      return `customers with similar needs${v.potentialGroup && v.potentialGroup !== '*' ? ` (${v.potentialGroup})` : ''} bring ${money(v.potential ?? 0)}, ${growth(v.potential ?? 0, v.clv ?? 0, money)} → ${t}`;
    default:
      return v.clv !== null ? `CLV ${money(v.clv)}, neither top value nor a large growth gap → ${t}` : null;
  }
}

/** "4.2× their CLV 120.000 ₫"; with no CLV to divide by, the two amounts side by side. */
function growth(potential: number, clv: number, money: (n: number) => string): string {
  return clv > 0 ? `${num(potential / clv)}× their CLV ${money(clv)}` : `against their CLV of ${money(clv)}`;
}

const STAGE_WHY: Record<PurchaseStage, string> = {
  buying: 'item in cart, not yet bought',
  considering: 'several product views in the last days',
  lapsing: 'a buyer who has gone quiet',
  browsing: 'looking around',
};

/** One line on needs (interests, price, channel, time) and one on the purchase stage. */
export function explainNeeds(n: NeedsProfile, orders: number, discountedOrders: number, currency: string, locale: string): string[] {
  const bits: string[] = [];
  const top = Object.entries(n.affinities).slice(0, 3);
  if (top.length) bits.push(`interests ${top.map(([k, v]) => `${k} ${Math.round(v * 100)} %`).join(', ')}`);
  if (n.discountShare !== null && orders > 0) bits.push(`${discountedOrders} of ${plural(orders, 'order')} discounted (${Math.round(n.discountShare * 100)} %)`);
  if (n.typicalPrice !== null) bits.push(`typical price ${formatMoney(n.typicalPrice, currency, locale)}${n.priceBand ? ` (${n.priceBand})` : ''}`);
  if (n.channel) bits.push(`${Math.round(n.channel.share * 100)} % on ${n.channel.key}`);
  if (n.dayPart) bits.push(`${Math.round(n.dayPart.share * 100)} % in the ${n.dayPart.key}`);
  const lines: string[] = [];
  if (bits.length) lines.push(`${bits.join('; ')}${n.labels.length ? ` → ${n.labels.join(', ')}` : ''}`);
  lines.push(`stage ${n.stage}: ${STAGE_WHY[n.stage]}`);
  return lines;
}

/**
 * Reasons in words and numbers for every score, so a shop owner can check each one, in the shop's
 * language (its locale: Vietnamese for vi-*, else English):
 * "5 purchases in 9 months, last 4 days ago, P(alive) 0.93, expected 2.1 purchases in 90 days
 *  × $420.00 × 30 % margin → CLV $264.60, top 7 % → MVC";
 * "5 lần mua trong 9 tháng, lần cuối 4 ngày trước, P(còn mua) 0,93, dự kiến 2,1 lần mua trong
 *  90 ngày × 420.000 ₫ × biên lợi nhuận 30 % → CLV 264.600 ₫, nhóm 7 % cao nhất → MVC".
 */
import type { PurchaseStage, ValueTier } from '../profile.ts';
import type { DayPart, NeedsProfile, PriceBand } from './needs.ts';
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

/** The language of the explanations: the shop's own (its locale), Vietnamese or English. */
export type ExplainLanguage = 'en' | 'vi';
export const explainLanguage = (locale: string): ExplainLanguage => (/^vi\b/i.test(locale) ? 'vi' : 'en');

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * A plain number with Intl: grouped thousands, at most `digits` decimals, and from 10,000 up in
 * compact form, so a ratio reads "1.6M×", never "1555618.7×". English separators unless `lang`.
 * @example formatNumber(2.14) // "2.1"
 * @example formatNumber(1555618.7) // "1.6M"
 * @example formatNumber(2.14, 1, 'vi') // "2,1"
 */
export function formatNumber(v: number, digits = 1, lang: ExplainLanguage = 'en'): string {
  if (!Number.isFinite(v)) return '—';
  const compact = Math.abs(v) >= 10_000;
  const key = `${lang}|${compact ? 'compact' : digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', compact ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(v);
}

/** A share as "7 %", "0.4 %": whole percents from 1 % up. */
const topPercent = (share: number, lang: ExplainLanguage) => {
  const pct = share * 100;
  return `${formatNumber(pct >= 1 ? Math.max(1, Math.round(pct)) : Math.max(0.1, Math.round(pct * 10) / 10), 1, lang)} %`;
};

/**
 * Every phrase of the explanations, per language. Sentences are built from whole phrases, never
 * from word order that only one language has; a category, channel or needs label is a shop's
 * own key and stays as it is.
 */
interface Words {
  today: string;
  days(n: number): string;
  months(n: number): string;
  years(n: string): string;
  top(pct: string): string;
  purchases(n: string, one: boolean): string;
  orders(n: string, one: boolean): string;
  noPurchases: string;
  history(purchases: string, span: string | null): string;
  last(span: string): string;
  lastToday: string;
  pAlive: string;
  expected(purchases: string, days: string, spend: string, marginPct: number, clv: string): string;
  notFitted: string;
  belowZero(net: string): string;
  pAliveDrop(p: string, one: string): string;
  rateDrop(days: string, gap: string): string;
  topClv(clv: string, pct: string): string;
  growthGap(group: string | null, potential: string, growth: string): string;
  growth(ratio: string, clv: string): string;
  growthNoClv(clv: string): string;
  middle(clv: string): string;
  rfm(scores: string, recencyDays: string, orders: string, average: string): string;
  interests(list: string): string;
  discounted(discounted: string, orders: string, pct: number): string;
  typicalPrice(price: string, band: PriceBand | null): string;
  channel(pct: number, key: string): string;
  dayPart(pct: number, part: DayPart): string;
  stage(stage: PurchaseStage): string;
}

const EN: Words = {
  today: 'today',
  days: (n) => (n === 1 ? '1 day' : `${n} days`),
  months: (n) => `${n} months`,
  years: (n) => `${n} years`,
  top: (pct) => `top ${pct}`,
  purchases: (n, one) => `${n} purchase${one ? '' : 's'}`,
  orders: (n, one) => `${n} order${one ? '' : 's'}`,
  noPurchases: 'no purchases yet → no value tier',
  history: (purchases, span) => (span ? `${purchases} in ${span}` : purchases),
  last: (span) => `last ${span} ago`,
  lastToday: 'last today',
  pAlive: 'P(alive)',
  expected: (purchases, days, spend, m, clv) => `expected ${purchases} purchase${purchases === '1' ? '' : 's'} in ${days} × ${spend} × ${m} % margin → CLV ${clv}`,
  notFitted: 'value models not fitted yet',
  belowZero: (net) => `costs exceed margin: net contribution ${net} after refunds, discounts and service cost`,
  pAliveDrop: (p, one) => `P(alive) fell to ${p} from ${one} at their last purchase`,
  rateDrop: (days, gap) => `${days} day${days === '1' ? '' : 's'} since the last purchase against a usual gap of ${gap} day${gap === '1' ? '' : 's'}`,
  topClv: (clv, pct) => `CLV ${clv} is in the top ${pct} of customers`,
  growthGap: (group, potential, growth) => `customers with similar needs${group ? ` (${group})` : ''} bring ${potential}, ${growth}`,
  growth: (ratio, clv) => `${ratio}× their CLV ${clv}`,
  growthNoClv: (clv) => `against their CLV of ${clv}`,
  middle: (clv) => `CLV ${clv}, neither top value nor a large growth gap`,
  rfm: (scores, r, orders, average) => `RFM ${scores}: last purchase ${r} day${r === '1' ? '' : 's'} ago, ${orders}, average ${average}`,
  interests: (list) => `interests ${list}`,
  discounted: (d, orders, pct) => `${d} of ${orders} discounted (${pct} %)`,
  typicalPrice: (price, band) => `typical price ${price}${band ? ` (${band})` : ''}`,
  channel: (pct, key) => `${pct} % on ${key}`,
  dayPart: (pct, part) => `${pct} % in the ${part}`,
  stage: (stage) => `stage ${stage}: ${{ buying: 'item in cart, not yet bought', considering: 'several product views in the last days', lapsing: 'a buyer who has gone quiet', browsing: 'looking around' }[stage]}`,
};

const VI: Words = {
  today: 'hôm nay',
  days: (n) => `${n} ngày`,
  months: (n) => `${n} tháng`,
  years: (n) => `${n} năm`,
  top: (pct) => `nhóm ${pct} cao nhất`,
  purchases: (n) => `${n} lần mua`,
  orders: (n) => `${n} đơn`,
  noPurchases: 'chưa mua lần nào → chưa xếp nhóm giá trị',
  history: (purchases, span) => (span ? `${purchases} trong ${span}` : purchases),
  last: (span) => `lần cuối ${span} trước`,
  lastToday: 'lần cuối hôm nay',
  pAlive: 'P(còn mua)',
  expected: (purchases, days, spend, m, clv) => `dự kiến ${purchases} lần mua trong ${days} × ${spend} × biên lợi nhuận ${m} % → CLV ${clv}`,
  notFitted: 'chưa khớp mô hình giá trị',
  belowZero: (net) => `chi phí vượt biên lợi nhuận: đóng góp ròng ${net} sau hoàn tiền, giảm giá và chi phí phục vụ`,
  pAliveDrop: (p, one) => `P(còn mua) giảm còn ${p} từ ${one} ở lần mua cuối`,
  rateDrop: (days, gap) => `${days} ngày từ lần mua cuối, trong khi thường cách nhau ${gap} ngày`,
  topClv: (clv, pct) => `CLV ${clv} thuộc nhóm ${pct} khách hàng cao nhất`,
  growthGap: (group, potential, growth) => `khách có nhu cầu tương tự${group ? ` (${group})` : ''} mang lại ${potential}, ${growth}`,
  growth: (ratio, clv) => `gấp ${ratio} lần CLV ${clv} của khách này`,
  growthNoClv: (clv) => `so với CLV ${clv} của khách này`,
  middle: (clv) => `CLV ${clv}, không thuộc nhóm giá trị cao nhất, khoảng cách tăng trưởng không lớn`,
  rfm: (scores, r, orders, average) => `RFM ${scores}: lần mua cuối ${r} ngày trước, ${orders}, trung bình ${average}`,
  interests: (list) => `quan tâm ${list}`,
  discounted: (d, orders, pct) => `${d}/${orders} có giảm giá (${pct} %)`,
  typicalPrice: (price, band) => `giá thường mua ${price}${band ? ` (${{ budget: 'bình dân', mid: 'trung bình', premium: 'cao cấp' }[band]})` : ''}`,
  channel: (pct, key) => `${pct} % qua ${key}`,
  dayPart: (pct, part) => `${pct} % vào ${{ night: 'ban đêm', morning: 'buổi sáng', afternoon: 'buổi chiều', evening: 'buổi tối' }[part]}`,
  stage: (stage) => `giai đoạn ${{ buying: 'đang mua: có hàng trong giỏ, chưa thanh toán', considering: 'cân nhắc: xem nhiều sản phẩm mấy ngày qua', lapsing: 'rời bỏ: từng mua nhưng đã im lặng', browsing: 'xem qua: đang tìm hiểu' }[stage]}`,
};

const WORDS: Record<ExplainLanguage, Words> = { en: EN, vi: VI };

/** "today", "4 days", "9 months", "2.5 years" (or in Vietnamese). */
export function formatSpan(days: number, lang: ExplainLanguage = 'en'): string {
  const w = WORDS[lang];
  const d = Math.max(0, Math.round(days));
  if (d === 0) return w.today;
  if (d < 60) return w.days(d);
  const months = days / 30.44;
  if (months < 24) return w.months(Math.round(months));
  return w.years(formatNumber(Math.round((days / 365.25) * 10) / 10, 1, lang));
}

/** "top 7 %", "top 0.4 %" (or in Vietnamese). */
export function formatTop(share: number, lang: ExplainLanguage = 'en'): string {
  return WORDS[lang].top(topPercent(share, lang));
}

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
  /** Money is formatted for it, and it picks the language (vi-* → Vietnamese, else English). */
  locale: string;
}

/** The headline value sentence followed by the reason for the tier and the RFM line, in the shop's language. */
export function explainValue(v: ValueFigures): string[] {
  const lang = explainLanguage(v.locale);
  const w = WORDS[lang];
  const money = (n: number) => formatMoney(n, v.currency, v.locale);
  const num = (n: number, digits = 1) => formatNumber(n, digits, lang);
  const count = (n: number, word: 'purchases' | 'orders') => w[word](num(n, 0), n === 1);
  if (v.orders === 0) return [w.noPurchases];
  const parts: string[] = [];
  const history = w.history(count(v.orders, 'purchases'), v.ageDays !== null && v.ageDays > 0 ? formatSpan(v.ageDays, lang) : null);
  parts.push(v.daysSinceLastOrder !== null ? `${history}, ${v.daysSinceLastOrder <= 0 ? w.lastToday : w.last(formatSpan(v.daysSinceLastOrder, lang))}` : history);
  if (v.pAlive !== null) parts.push(`${w.pAlive} ${fixed2(v.pAlive, lang)}`);
  if (v.clv !== null && v.expectedPurchases !== null && v.expectedSpend !== null) {
    parts.push(w.expected(num(v.expectedPurchases), w.days(Math.round(v.horizonDays)), money(v.expectedSpend), Math.round(v.margin * 100), money(v.clv)));
  } else {
    parts.push(w.notFitted);
  }
  if (v.topShare !== null && v.clv !== null) parts.push(formatTop(v.topShare, lang));
  const lines = [`${parts.join(', ')}${v.tier ? ` → ${v.tier.tier}` : ''}`];
  const why = v.tier ? tierReason(v, w, money, lang) : null;
  if (why) lines.push(`${why} → ${v.tier!.tier}`);
  if (v.rfm && v.rfmScores && v.rfmScores.r > 0) {
    const { r, f, m } = v.rfmScores;
    lines.push(w.rfm(`${r}-${f}-${m}`, String(Math.max(0, v.rfm.recencyDays ?? 0)), count(v.rfm.frequency, 'orders'), money(v.rfm.monetary)));
  }
  return lines;
}

/** "0.93" / "0,93": P(alive) always with two decimals. */
const fixed2 = (p: number, lang: ExplainLanguage) => (lang === 'vi' ? p.toFixed(2).replace('.', ',') : p.toFixed(2));

function tierReason(v: ValueFigures, w: Words, money: (n: number) => string, lang: ExplainLanguage): string | null {
  const num = (n: number, digits = 1) => formatNumber(n, digits, lang);
  switch (v.tier!.rule) {
    case 'below-zero':
      return w.belowZero(money(v.contribution ?? 0));
    case 'p-alive-drop':
      return w.pAliveDrop(num(v.pAlive ?? 0, 2), fixed2(1, lang));
    case 'rate-drop':
      return w.rateDrop(num(v.daysSinceLastOrder ?? 0, 0), num(v.gaps?.mean ?? 0));
    case 'top-clv':
      return w.topClv(money(v.clv ?? 0), topPercent(v.topShare ?? 0, lang));
    case 'growth-gap': {
      const potential = v.potential ?? 0, clv = v.clv ?? 0;
      const growth = clv > 0 ? w.growth(num(potential / clv), money(clv)) : w.growthNoClv(money(clv));
      return w.growthGap(v.potentialGroup && v.potentialGroup !== '*' ? v.potentialGroup : null, money(potential), growth);
    }
    default:
      return v.clv !== null ? w.middle(money(v.clv)) : null;
  }
}

/** One line on needs (interests, price, channel, time) and one on the purchase stage, in the shop's language. */
export function explainNeeds(n: NeedsProfile, orders: number, discountedOrders: number, currency: string, locale: string): string[] {
  const lang = explainLanguage(locale);
  const w = WORDS[lang];
  const bits: string[] = [];
  const top = Object.entries(n.affinities).slice(0, 3);
  if (top.length) bits.push(w.interests(top.map(([k, v]) => `${k} ${Math.round(v * 100)} %`).join(', ')));
  if (n.discountShare !== null && orders > 0) bits.push(w.discounted(formatNumber(discountedOrders, 0, lang), w.orders(formatNumber(orders, 0, lang), orders === 1), Math.round(n.discountShare * 100)));
  if (n.typicalPrice !== null) bits.push(w.typicalPrice(formatMoney(n.typicalPrice, currency, locale), n.priceBand));
  if (n.channel) bits.push(w.channel(Math.round(n.channel.share * 100), n.channel.key));
  if (n.dayPart) bits.push(w.dayPart(Math.round(n.dayPart.share * 100), n.dayPart.key));
  const lines: string[] = [];
  if (bits.length) lines.push(`${bits.join('; ')}${n.labels.length ? ` → ${n.labels.join(', ')}` : ''}`);
  lines.push(w.stage(n.stage));
  return lines;
}

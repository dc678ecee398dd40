/**
 * Loyalty ledger entries in the console's language. The collector writes each entry's kind and
 * reason in English words of its own (loyalty/service.ts, loyalty/settle.ts); a Vietnamese console
 * reads them translated. A staff member's own adjustment reason is shown as typed.
 */
import { lang } from './i18n.ts';
import { inReaderLanguage, type Phrasebook } from './translate.ts';

const KINDS_VI: Record<string, string> = { earn: 'tích điểm', redeem: 'đổi quà', expire: 'hết hạn', adjust: 'điều chỉnh', reverse: 'thu hồi' };

/** What the shop calls its tiers and rewards in the reader's language, by id (the console's loyalty API sends them). */
export interface LoyaltyNames { tiers: Record<string, string>; rewards: Record<string, string> }

/** The collector's reasons, each with its Vietnamese; tiers and rewards by the shop's own names. */
const reasonsVi = (n?: LoyaltyNames): Phrasebook => [
  [/^sign-up bonus$/, () => 'thưởng đăng ký'],
  [/^birthday bonus (\d{4})$/, (year) => `thưởng sinh nhật ${year}`],
  [/^order (.+) \((.+) ×([\d.]+)\)$/s, (order, tier, times) => `đơn hàng ${order} (${n?.tiers[tier] ?? tier} ×${times.replace('.', ',')})`],
  [/^Order Refunded: order (.+)$/s, (order) => `hoàn tiền: đơn hàng ${order}`],
  [/^Order Cancelled: order (.+)$/s, (order) => `huỷ: đơn hàng ${order}`],
  [/^reward (.+)$/s, (reward) => `đổi quà ${n?.rewards[reward] ?? reward}`],
  [/^points expired$/, () => 'điểm hết hạn'],
];

export function entryKind(kind: string): string {
  return lang() === 'vi' ? KINDS_VI[kind] ?? kind : kind;
}

export function entryReason(kind: string, reason: string, names?: LoyaltyNames): string {
  return kind === 'adjust' ? reason : inReaderLanguage(reasonsVi(names), reason);
}

/**
 * Built-in UI strings (English, Vietnamese) and Intl formatting. Offer text itself always comes
 * from the offer's content; only the widget's own chrome is translated here.
 */

const EN = {
  close: 'Close',
  points: 'points',
  redeem: 'Redeem',
  view: 'View offer',
  /** {0} amount, {1} tier */
  more: '{0} more to {1}',
  /** {0} points, {1} date */
  expire: '{0} expire on {1}',
  unlocked: 'Reward unlocked: {0}',
  balance: 'Balance',
  member: 'Member rewards',
  top: 'Top tier reached',
  codes: 'Your codes',
  used: 'used',
  failed: 'Could not redeem',
};
export type Strings = typeof EN;

const VI: Strings = {
  close: 'Đóng',
  points: 'điểm',
  redeem: 'Đổi quà',
  view: 'Xem ưu đãi',
  more: 'Còn {0} nữa để lên hạng {1}',
  expire: '{0} hết hạn vào {1}',
  unlocked: 'Đã mở khoá quà: {0}',
  balance: 'Số dư',
  member: 'Ưu đãi thành viên',
  top: 'Bạn đã ở hạng cao nhất',
  codes: 'Mã của bạn',
  used: 'đã dùng',
  failed: 'Không đổi được quà',
};

/** Everything a component needs to speak the visitor's language. */
export interface Fmt {
  t: Strings;
  /** "120.000 ₫" (vi, VND); falls back to "120000 XYZ" when Intl rejects the currency. */
  money(n: number, currency?: string): string;
  /** "1.250 điểm" */
  points(n: number): string;
  date(ms: number): string;
}

/**
 * Strings and formatters for a locale ('vi', 'vi-VN', 'en', …; unknown ones get English) and a
 * default ISO 4217 currency (VND when empty).
 * @example formatter('vi', 'VND').money(120000) // '120.000 ₫'
 */
export function formatter(locale: string, currency: string): Fmt {
  const vi = /^vi(?![a-z])/i.test(locale);
  // Intl throws RangeError on malformed tags; a bad locale must not blank the offer.
  let loc = vi ? 'vi' : 'en';
  try {
    loc = Intl.NumberFormat.supportedLocalesOf(locale)[0] || loc;
  } catch {}
  const t = vi ? VI : EN;
  const num = (n: number) => new Intl.NumberFormat(loc).format(n);
  return {
    t,
    money(n, c = currency || 'VND') {
      try {
        return new Intl.NumberFormat(loc, { style: 'currency', currency: c }).format(n);
      } catch {
        return num(n) + ' ' + c;
      }
    },
    points: (n) => num(n) + ' ' + t.points,
    date: (ms) => new Intl.DateTimeFormat(loc, { dateStyle: 'medium' }).format(ms),
  };
}

/** Fills {0}, {1}… placeholders. */
export const fill = (s: string, ...a: string[]) => s.replace(/\{(\d)\}/g, (_, i) => a[i]);

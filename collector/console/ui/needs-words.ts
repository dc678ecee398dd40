/**
 * Needs labels in the reader's words. The collector derives labels such as `deal-seeker` or
 * `coffee-lover` (models/needs.ts) and offers target them by that code; customer pages show
 * each in words ("Săn ưu đãi", "Loves coffee") and keep the code as its tooltip, so a marketer
 * can read a customer and still copy the code into an offer's targeting.
 */
import { lang } from './i18n.ts';

const FIXED: Record<'en' | 'vi', Record<string, string>> = {
  en: {
    'deal-seeker': 'Deal seeker', premium: 'Premium buyer', budget: 'Budget buyer',
    'night-owl': 'Shops at night', 'early-bird': 'Shops in the morning', 'daytime-shopper': 'Shops in the afternoon', 'evening-shopper': 'Shops in the evening',
  },
  vi: {
    'deal-seeker': 'Săn ưu đãi', premium: 'Chuộng hàng cao cấp', budget: 'Chuộng giá tiết kiệm',
    'night-owl': 'Mua sắm đêm khuya', 'early-bird': 'Mua sắm buổi sáng', 'daytime-shopper': 'Mua sắm buổi chiều', 'evening-shopper': 'Mua sắm buổi tối',
  },
};

/** A label's words; a code no rule knows (a newer collector's) shows as it is. */
export function needsLabel(code: string): string {
  const vi = lang() === 'vi';
  const fixed = FIXED[vi ? 'vi' : 'en'][code];
  if (fixed) return fixed;
  // The category or channel part is a slug of the shop's own name ("ca-phe"): shown with spaces.
  const words = (slug: string) => slug.replace(/-/g, ' ');
  let m = /^(.+)-lover$/.exec(code);
  if (m) return vi ? `Mê ${words(m[1])}` : `Loves ${words(m[1])}`;
  m = /^prefers-(.+)$/.exec(code);
  if (m) return vi ? `Hay đến qua ${words(m[1])}` : `Comes via ${words(m[1])}`;
  return code;
}

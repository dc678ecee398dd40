/**
 * Needs labels in the reader's words. The collector derives labels such as `deal-seeker` or
 * `coffee-lover` (models/needs.ts) and offers target them by that code; customer pages show
 * each in words ("Săn ưu đãi", "Loves coffee") and keep the code as its tooltip, so a marketer
 * can read a customer and still copy the code into an offer's targeting. The words live in the
 * console's dictionary (i18n.ts) with the rest.
 */
import { fill, t } from './i18n.ts';

/**
 * A label's words; a code no rule knows (a newer collector's) shows as it is. `names` maps a
 * label to the shop's own category or channel name it was made from ("ca-phe-lover" → "Cà phê",
 * sent by the collector): the code's slug has lost its accents.
 */
export function needsLabel(code: string, names: Record<string, string> = {}): string {
  const fixed = t(`need_${code}` as 'need_premium') as string | undefined;
  if (fixed) return fixed;
  // Without the shop's name, the slug ("ca-phe") is shown with spaces.
  const words = (slug: string) => names[code] ?? slug.replace(/-/g, ' ');
  let m = /^(.+)-lover$/.exec(code);
  if (m) return fill(t('needLover'), words(m[1]));
  m = /^prefers-(.+)$/.exec(code);
  if (m) return fill(t('needPrefers'), words(m[1]));
  return code;
}

/**
 * The collector speaks English in the texts it stores and reports (ledger reasons, import row
 * errors); the Vietnamese console reads them through tables of the collector's phrasings. A text
 * no pattern knows shows as it is: better English than nothing.
 */
import { lang } from './i18n.ts';

export type Phrasebook = [RegExp, (...parts: string[]) => string][];

export function inReaderLanguage(vi: Phrasebook, text: string): string {
  if (lang() !== 'vi') return text;
  for (const [pattern, say] of vi) {
    const m = pattern.exec(text);
    if (m) return say(...m.slice(1));
  }
  return text;
}

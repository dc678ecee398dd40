/**
 * CSV for spreadsheets: RFC 4180 quoting, a byte-order mark so Excel reads Vietnamese names as
 * UTF-8, and text that a spreadsheet would run as a formula (=, +, -, @ first) defused with a
 * leading apostrophe — a customer named "=HYPERLINK(…)" must stay a name (CSV injection).
 */
export type Cell = string | number | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = FORMULA.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(header: string[], rows: Cell[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

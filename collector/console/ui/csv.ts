/**
 * A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, a BOM. Returns rows
 * as objects keyed by the (trimmed, lower-cased) header, each with its 1-based line number.
 */
export function parseCsv(text: string): { header: string[]; rows: { line: number; values: Record<string, string> }[] } {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [], cell = '', quoted = false, line = 1, start = 1;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; cell += ch; }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length) endRecord();
  const [head, ...body] = records;
  const header = (head?.cells ?? []).map((h) => h.trim().toLowerCase());
  return { header, rows: body.map((r) => ({ line: r.line, values: Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? '').trim()]).filter(([, v]) => v !== '')) })) };
}

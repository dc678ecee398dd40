/**
 * Reading customer files for bulk import: CSV (RFC 4180: quoted fields, "" escapes, CRLF,
 * line breaks inside quotes) and NDJSON, streamed chunk by chunk, each record tagged with the
 * line it starts on so a bad row can be reported by line number. Then row validation: one
 * customer per row, `user_id` required, known columns become keys, the rest become traits.
 */
import { jsonShapeProblem, MAX_JSON_DEPTH } from '../json-shape.ts';
import type { ProfileIdentity } from '../profile.ts';
import { IDENTITY_LIMITS, emailHash, externalKeysOf, idProblem, keyValue, normalizePhone } from './identity-keys.ts';

export type ImportFormat = 'csv' | 'ndjson';

/** A record read from the file, or why the line could not be read. */
export type RawRecord = { line: number; row: Record<string, unknown> } | { line: number; error: string };

/** Bytes of one record beyond which it is refused (a runaway quote would otherwise swallow the file). */
const MAX_RECORD_CHARS = 64 * 1024;

/** Split CSV text into records of fields, streaming; `line` is where each record starts (1-based). */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; fields: string[] } | { line: number; error: string }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let start = 1;
  let size = 0;
  let first = true;
  let broken: string | null = null;
  const end = () => {
    fields.push(field);
    const rec = broken ? { line: start, error: broken } : { line: start, fields };
    fields = []; field = ''; afterQuote = false; size = 0; broken = null;
    return rec;
  };
  for await (let chunk of chunks) {
    if (first) { chunk = chunk.replace(/^\ufeff/, ''); first = false; }
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (++size > MAX_RECORD_CHARS && !broken) broken = `record is longer than ${MAX_RECORD_CHARS} characters (unclosed quote?)`;
      if (quoted) {
        if (ch === '"') { quoted = false; afterQuote = true; }
        else { if (ch === '\n') line++; if (!broken) field += ch; }
        continue;
      }
      if (ch === '"') {
        if (afterQuote) { field += '"'; quoted = true; afterQuote = false; } // "" inside quotes
        else if (field === '') quoted = true;
        else field += ch;
        continue;
      }
      afterQuote = false;
      if (ch === ',') { fields.push(field); field = ''; continue; }
      if (ch === '\r') continue;
      if (ch === '\n') {
        const rec = end();
        line++;
        start = line;
        if ('error' in rec || rec.fields.length > 1 || rec.fields[0] !== '') yield rec;
        continue;
      }
      if (!broken) field += ch;
    }
  }
  if (quoted) broken ??= 'a quoted field is never closed';
  const rec = end();
  if ('error' in rec || rec.fields.length > 1 || rec.fields[0] !== '') yield rec;
}

/** CSV with a header row → records keyed by column name (header names trimmed, lower-cased). */
export async function* csvRows(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  let header: string[] | null = null;
  for await (const rec of csvRecords(chunks)) {
    if ('error' in rec) { yield rec; continue; }
    if (!header) {
      header = rec.fields.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
      if (!header.includes('user_id')) throw new ImportFileError(`line ${rec.line}: the header has no user_id column (columns: ${header.join(', ').slice(0, 200)})`);
      continue;
    }
    if (rec.fields.length !== header.length) {
      yield { line: rec.line, error: `has ${rec.fields.length} fields; the header has ${header.length}` };
      continue;
    }
    const row: Record<string, unknown> = {};
    header.forEach((h, i) => { if (rec.fields[i] !== '') row[h] = rec.fields[i]; });
    yield { line: rec.line, row };
  }
}

/** NDJSON: one JSON object per line; blank lines are skipped. */

export async function* ndjsonRows(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  let buf = '';
  let line = 0;
  const parse = (text: string, n: number): RawRecord | null => {
    if (text.trim() === '') return null;
    if (text.length > MAX_RECORD_CHARS) return { line: n, error: `line is longer than ${MAX_RECORD_CHARS} characters` };
    try {
      const v = JSON.parse(text);
      if (!v || typeof v !== 'object' || Array.isArray(v)) return { line: n, error: 'is not a JSON object' };
      const shape = jsonShapeProblem(v);
      if (shape) return { line: n, error: shape === 'deep' ? `is nested deeper than ${MAX_JSON_DEPTH} levels` : 'holds a number too large for a double' };
      return { line: n, row: v };
    } catch (e) {
      return { line: n, error: `is not valid JSON: ${(e as Error).message.slice(0, 80)}` };
    }
  };
  for await (const chunk of chunks) {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const r = parse(buf.slice(0, nl), ++line);
      buf = buf.slice(nl + 1);
      if (r) yield r;
    }
    if (buf.length > MAX_RECORD_CHARS * 2) { yield { line: line + 1, error: 'line is too long' }; buf = ''; }
  }
  const r = parse(buf, ++line);
  if (r) yield r;
}

export class ImportFileError extends Error {}

export interface CustomerRow {
  userId: string;
  traits: Record<string, unknown>;
  external: ProfileIdentity[];
}

const KNOWN = new Set(['user_id', 'userid', 'email', 'phone', 'name', 'loyalty_card', 'pos_code', 'traits', 'externalids']);

/** Validate one row; the reason names the field, so the line report says what to fix. */
export function validateCustomer(row: Record<string, unknown>): { customer: CustomerRow } | { error: string } {
  const rawId = row.user_id ?? row.userId;
  const userId = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? String(rawId) : typeof rawId === 'string' ? rawId.trim() : null;
  if (userId === null || userId === '') return { error: 'user_id: is required' };
  const idErr = idProblem(userId);
  if (idErr) return { error: `user_id: ${idErr}` };
  const traits: Record<string, unknown> = {};
  const external: ProfileIdentity[] = [];
  const str = (field: string, max: number): string | { error: string } | null => {
    const v = row[field];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string' && typeof v !== 'number') return { error: `${field}: must be a string` };
    const s = String(v).trim();
    return s.length > max ? { error: `${field}: must be at most ${max} characters` } : s;
  };
  const email = str('email', 254);
  if (email && typeof email === 'object') return email;
  if (email) {
    const h = emailHash(email);
    if (!h) return { error: `email: "${email.slice(0, 60)}" is not an email address` };
    traits.email = email;
    external.push({ kind: 'email', value: h });
  }
  const phone = str('phone', 40);
  if (phone && typeof phone === 'object') return phone;
  if (phone) {
    const p = normalizePhone(phone);
    if (!p) return { error: `phone: "${phone.slice(0, 40)}" is not a phone number` };
    traits.phone = phone;
    external.push({ kind: 'phone', value: p });
  }
  const name = str('name', 200);
  if (name && typeof name === 'object') return name;
  if (name) traits.name = name;
  for (const [field, kind] of [['loyalty_card', 'loyalty'], ['pos_code', 'pos']] as const) {
    const v = str(field, IDENTITY_LIMITS.idLength);
    if (v && typeof v === 'object') return v;
    if (v) {
      const value = keyValue(kind, v);
      if (!value) return { error: `${field}: ${idProblem(v) ?? 'is not a valid key'}` };
      external.push({ kind, value });
    }
  }
  if (row.traits !== undefined && (typeof row.traits !== 'object' || row.traits === null || Array.isArray(row.traits))) return { error: 'traits: must be an object' };
  const extra = { ...(row.traits as Record<string, unknown> | undefined), ...Object.fromEntries(Object.entries(row).filter(([k]) => !KNOWN.has(k.toLowerCase()))) };
  for (const [k, v] of Object.entries(extra)) {
    if (v === null || v === undefined || v === '') continue;
    if (k.length > 100 || idProblem(k)) return { error: `column "${k.slice(0, 40)}": names must be 1–100 printable characters` };
    traits[k] = v;
  }
  if (Object.keys(traits).length > IDENTITY_LIMITS.traitKeys) return { error: `has more than ${IDENTITY_LIMITS.traitKeys} traits` };
  if (JSON.stringify(traits).length > IDENTITY_LIMITS.traitsBytes) return { error: `traits are larger than ${IDENTITY_LIMITS.traitsBytes} bytes` };
  for (const k of externalKeysOf({ traits: { externalIds: row.externalIds ?? row.externalids } })) {
    if (!external.some((e) => e.kind === k.kind && e.value === k.value)) external.push(k);
  }
  return { customer: { userId, traits, external } };
}

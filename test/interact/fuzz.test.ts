/**
 * Thousands of malformed, truncated, oversized and type-confused payloads to every ingest route:
 * every answer is a 4xx with a JSON error, nothing throws, and the store is unchanged.
 */
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { setup } from '../collector/helpers.ts';

function rng(seed: number) {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

const ROUTES = ['/v1/batch', '/v1/track', '/v1/identify', '/v1/page', '/v1/screen', '/v1/group', '/v1/alias', '/v1/decide'];

function payloads(writeKey: string, random: () => number): { body: string | Uint8Array; headers?: Record<string, string> }[] {
  const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const weird: unknown[] = [null, true, 0, -1, 1e308, NaN, '', ' ', '\u0000', '\ud800', 'x'.repeat(300), [], {}, [[]], { a: { b: {} } }, '<script>', '../../etc/passwd', '__proto__', { __proto__: { polluted: 1 } }];
  const valid = {
    batch: [{ type: 'track', event: 'Product Viewed', anonymousId: 'fz', messageId: 'fz-1', properties: { category: 'coffee' } }],
    type: 'track', event: 'Product Viewed', anonymousId: 'fz', userId: 'u', previousId: 'p', groupId: 'g', placements: ['home'],
    writeKey,
  };
  const out: { body: string | Uint8Array; headers?: Record<string, string> }[] = [];
  const text = JSON.stringify(valid);
  // Truncations of a valid-looking payload.
  for (let i = 1; i < text.length; i += 3) out.push({ body: text.slice(0, i) });
  // Type confusion: every field of the message and of the batch item replaced by weird values.
  for (const key of ['type', 'event', 'anonymousId', 'userId', 'messageId', 'properties', 'timestamp', 'sentAt', 'context', 'traits', 'previousId', 'groupId', 'placements', 'name']) {
    for (const w of weird) {
      // The weird value, plus a broken type, so every item is invalid whatever the value.
      const item = { ...valid.batch[0], [key]: w, type: key === 'type' ? w : pick([undefined, 'nope', 5]) };
      out.push({ body: JSON.stringify({ ...valid, batch: [item], [key]: w, type: pick(['nope', 7, null]) , event: pick([null, 5, '']) }) });
    }
  }
  // Random junk, deep nesting, oversized, wrong encodings.
  for (let i = 0; i < 400; i++) {
    const len = Math.floor(random() * 200);
    out.push({ body: Array.from({ length: len }, () => String.fromCharCode(Math.floor(random() * 0xffff))).join('') });
  }
  out.push({ body: '['.repeat(100_000) + ']'.repeat(100_000) });
  out.push({ body: '{"batch":' + '['.repeat(5000) + ']'.repeat(5000) + ',"writeKey":"' + writeKey + '"}' });
  out.push({ body: JSON.stringify({ ...valid, batch: Array.from({ length: 3000 }, () => ({ type: 'page' })) }) });
  out.push({ body: JSON.stringify({ ...valid, properties: { s: 'x'.repeat(40_000) }, batch: [{ ...valid.batch[0], properties: { s: 'x'.repeat(40_000) } }] }) });
  out.push({ body: JSON.stringify({ ...valid, batch: Array.from({ length: 20 }, () => ({ ...valid.batch[0], properties: { s: 'y'.repeat(30_000) } })) }) });
  out.push({ body: gzipSync(Buffer.alloc(5_000_000)), headers: { 'content-encoding': 'gzip' } });
  out.push({ body: 'not gzip', headers: { 'content-encoding': 'gzip' } });
  out.push({ body: text, headers: { 'content-encoding': 'br' } });
  out.push({ body: '' });
  out.push({ body: 'null' });
  out.push({ body: '"string"' });
  out.push({ body: JSON.stringify({ ...valid, writeKey: 'wk_' + 'z'.repeat(500) }) });
  out.push({ body: JSON.stringify({ ...valid, writeKey: 12 }) });
  return out;
}

describe('ingest fuzzing', () => {
  it('answers every malformed payload with a compact 4xx and stores nothing', async () => {
    const t = await setup({ verifyIdentity: true });
    const random = rng(20261123);
    const tables = ['events', 'profiles', 'identities', 'orders', 'decisions'];
    const count = () => tables.map((tb) => (t.store.db.prepare(`SELECT COUNT(*) AS n FROM ${tb}`).get() as { n: number }).n);
    const before = count();
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const route of ROUTES) {
      for (const p of payloads(t.site.writeKey, random)) {
        const res = await t.app.request(route, { method: 'POST', body: p.body as BodyInit, headers: { 'content-type': 'application/json', ...p.headers } });
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status < 400 || res.status >= 500) {
          throw new Error(`${route} answered ${res.status} to ${String(typeof p.body === 'string' ? p.body : '<binary>').slice(0, 200)}: ${(await res.text()).slice(0, 200)}`);
        }
        const json = await res.json();
        expect(typeof json.error.message).toBe('string');
        expect(json.error.message.length).toBeLessThan(400);
      }
    }
    expect(sent).toBeGreaterThan(2000);
    expect(count()).toEqual(before);
    console.log(`fuzz: ${sent} payloads, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 120_000);
});

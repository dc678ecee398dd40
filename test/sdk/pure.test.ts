import { describe, expect, it } from 'vitest';
import { decodeTime, isValid } from 'ulid';
import { backoff, DEFAULT_RETRY } from '../../sdk/backoff.ts';
import { appendItems, leaseItems, type Item } from '../../sdk/queue.ts';
import { decodeConsent, encodeConsent, resolveConsent } from '../../sdk/consent.ts';
import { ulid } from '../../sdk/ulid.ts';
import { attributeProperties } from '../../sdk/autotrack.ts';

const item = (id: string, t: number, l = 0): Item => ({ m: { type: 'track', event: 'E', messageId: id }, t, l });

describe('backoff', () => {
  it('grows by the factor per attempt, with jitter on top of the base', () => {
    expect([0, 1, 2, 3].map((a) => backoff(a, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoff(3, () => 0.5)).toBe(6000);
  });
  it('never exceeds maxTimeout, jitter included', () => {
    const p = { ...DEFAULT_RETRY, maxTimeout: 10_000 };
    expect(backoff(20, () => 0.99, p)).toBe(10_000);
    expect(backoff(4, () => 0.99, p)).toBe(10_000); // 8000 · 1.99 capped
  });
  it('spreads retries of different clients: jitter keeps delays within [base, 2·base)', () => {
    let seed = 7;
    const rng = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const delays = Array.from({ length: 200 }, () => backoff(2, rng));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...delays)).toBeLessThan(4000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });
});

describe('queue record', () => {
  const bounds = { maxEvents: 3, maxAge: 1000 };
  it('drops the oldest beyond maxEvents and counts them', () => {
    const r = appendItems(undefined, [item('a', 10), item('b', 11), item('c', 12), item('d', 13), item('e', 14)], 20, bounds);
    expect(r.q.map((i) => i.m.messageId)).toEqual(['c', 'd', 'e']);
    expect(r.d).toBe(2);
    const r2 = appendItems(r, [item('f', 15)], 20, bounds);
    expect(r2.q.map((i) => i.m.messageId)).toEqual(['d', 'e', 'f']);
    expect(r2.d).toBe(3);
  });
  it('drops events older than maxAge', () => {
    const r = appendItems({ q: [item('old', 0), item('new', 900)], d: 1 }, [], 1500, bounds);
    expect(r.q.map((i) => i.m.messageId)).toEqual(['new']);
    expect(r.d).toBe(2);
  });
  it('leases free items oldest first, skipping leased ones, up to max', () => {
    const rec = { q: [item('a', 1, 500), item('b', 2), item('c', 3), item('d', 4)], d: 0 };
    const got = leaseItems(rec, 100, 2, 1e6, 600);
    expect(got.map((i) => i.m.messageId)).toEqual(['b', 'c']);
    expect(rec.q.map((i) => i.l)).toEqual([500, 600, 600, 0]);
    // An expired lease is free again.
    expect(leaseItems(rec, 700, 10, 1e6, 800).map((i) => i.m.messageId)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('stops at the byte limit but always takes at least one item', () => {
    const rec = { q: [item('a', 1), item('b', 2), item('c', 3)], d: 0 };
    const one = JSON.stringify(rec.q[0].m).length;
    expect(leaseItems(rec, 0, 10, one * 2, 9).length).toBe(2);
    expect(leaseItems({ q: [item('x', 1)], d: 0 }, 0, 10, 1, 9).length).toBe(1);
  });
});

describe('consent resolution', () => {
  it('opt-in starts pending, opt-out granted', () => {
    expect(resolveConsent({ mode: 'opt-in' })).toEqual({ analytics: 'pending', personalization: 'pending' });
    expect(resolveConsent({ mode: 'opt-out' })).toEqual({ analytics: 'granted', personalization: 'granted' });
  });
  it('GPC and DNT refuse only when the site honours them', () => {
    expect(resolveConsent({}, {}, { gpc: true }).analytics).toBe('granted');
    expect(resolveConsent({ honorGlobalPrivacyControl: true }, {}, { gpc: true }).analytics).toBe('denied');
    expect(resolveConsent({ honorDoNotTrack: true }, {}, { dnt: true }).personalization).toBe('denied');
  });
  it("the visitor's stored choice wins over signals and site defaults", () => {
    const stored = decodeConsent(encodeConsent({ analytics: 'granted', personalization: 'denied' }));
    expect(resolveConsent({ mode: 'opt-in', honorGlobalPrivacyControl: true }, stored, { gpc: true })).toEqual({ analytics: 'granted', personalization: 'denied' });
  });
});

describe('ulid', () => {
  it('produces ids the reference library accepts, carrying the time', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const id = ulid(t);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(t);
  });
  it('sorts by time and does not repeat', () => {
    expect(ulid(1000) < ulid(2000)).toBe(true);
    expect(new Set(Array.from({ length: 5000 }, () => ulid(5))).size).toBe(5000);
  });
});

describe('click properties', () => {
  it('maps data-idic-* to snake_case, numbers as numbers', () => {
    const el = { attributes: [{ name: 'data-idic-event', value: 'Product Added' }, { name: 'data-idic-product-id', value: 'p-1' }, { name: 'data-idic-price', value: '120000' }, { name: 'class', value: 'x' }, { name: 'data-idic-note', value: ' ' }] } as unknown as Element;
    expect(attributeProperties(el)).toEqual({ product_id: 'p-1', price: 120000, note: ' ' });
  });
});

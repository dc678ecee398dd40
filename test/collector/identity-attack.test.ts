/** Bad input and attacks on the identity graph: clear 4xx, documented limits, nothing corrupted. */
import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';
import { count, dump, profile, web } from './identity-helpers.ts';
import { IDENTITY_LIMITS } from '../../collector/services/identity-keys.ts';

describe('identity: bad input', () => {
  it('refuses malformed ids with a 4xx naming the problem and stores nothing', async () => {
    const t = await setup();
    await web(t).view('good', 'coffee');
    const before = dump(t);
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ anonymousId: 42 }, 400, /anonymousId/],
      [{ anonymousId: '' }, 400, /anonymousId/],
      [{ anonymousId: '   ' }, 400, /anonymousId/],
      [{ anonymousId: ['a'] }, 400, /anonymousId/],
      [{ anonymousId: 'x'.repeat(10_000) }, 400, /anonymousId/],
      [{ anonymousId: 'nul\u0000byte' }, 400, /control characters/],
      [{ anonymousId: 'bell\u0007' }, 400, /control characters/],
      [{ anonymousId: 'lone\ud800surrogate' }, 400, /unpaired surrogates/],
      [{ anonymousId: 'lone\udc00low' }, 400, /unpaired surrogates/],
      [{ anonymousId: 'evil\u202etxt.exe' }, 400, /bidirectional/],
      [{ anonymousId: 'c1\u0085control' }, 400, /control characters/],
      [{ anonymousId: 'a', userId: 'u\u0000', userHash: t.hash('u\u0000') }, 400, /userId.*control/],
      [{ anonymousId: 'a', traits: 'not an object' }, 400, /traits/],
      [{ anonymousId: 'a', traits: [1, 2] }, 400, /traits/],
      [{ anonymousId: 'a', traits: { blob: 'x'.repeat(40_000) } }, 413, /limit/],
    ];
    for (const [body, status, msg] of cases) {
      const res = await t.post('/v1/identify', { ...body, writeKey: t.site.writeKey });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect((await res.json()).error.message, JSON.stringify(body).slice(0, 80)).toMatch(msg);
    }
    expect(dump(t)).toBe(before);
  });

  it('in a batch, names the item whose id is malformed, so a browser drops only that one', async () => {
    const t = await setup();
    const before = dump(t);
    const res = await t.post('/v1/batch', { writeKey: t.site.writeKey, batch: [
      { type: 'track', anonymousId: 'fine', event: 'Product Viewed' },
      { type: 'track', anonymousId: 'a\u202eb', event: 'Product Viewed' },
      { type: 'track', anonymousId: 'fine', userId: 'c1\u009bx', event: 'Product Viewed' },
    ] });
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues.map((i: any) => i.path)).toEqual(['batch.1.anonymousId', 'batch.2.userId']);
    expect(dump(t)).toBe(before);
  });

  it('accepts right-to-left scripts, emoji and other well-formed Unicode as distinct ids', async () => {
    const t = await setup();
    const ids = ['مرحبا-123', 'שלום', 'khách-hàng-Đà-Nẵng', '👩🏽‍💻', '👨🏽‍💻', 'ｆｕｌｌｗｉｄｔｈ'];
    for (const id of ids) expect((await web(t).page(id)).status, id).toBe(200);
    const found = await Promise.all(ids.map((id) => profile(t, id)));
    expect(new Set(found.map((p) => p.id)).size).toBe(ids.length);
    expect(found.map((p) => p.identities[0].value)).toEqual(ids);
  });

  it('bounds profile traits, however many identifies add new ones', async () => {
    const t = await setup();
    for (let i = 0; i < 12; i++) {
      const traits = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`t${i}_${k}`, 'v'.repeat(100)]));
      expect((await web(t).identify('grow', 'grower', traits)).status).toBe(200);
    }
    await web(t).identify('grow', 'grower', { t0_0: 'updated' });
    const p = await profile(t, 'grower');
    expect(Object.keys(p.traits).length).toBeLessThanOrEqual(IDENTITY_LIMITS.traitKeys);
    expect(JSON.stringify(p.traits).length).toBeLessThanOrEqual(IDENTITY_LIMITS.traitsBytes);
    expect(p.traits.t0_0).toBe('updated');
    expect(Object.keys(p.traits).length).toBeGreaterThan(50);
  });

  it('throttles a flood of new anonymous ids from one client with 429 and Retry-After', async () => {
    const t = await setup({ rateLimit: { perSecond: 10, burst: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) {
      const res = await web(t).page(`flood-${i}`);
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    expect(count(t, 'SELECT COUNT(*) AS n FROM profiles')).toBe(100);
    t.advance(1000);
    expect((await web(t).page('after-a-second')).status).toBe(200);
  });

  it('keeps every identity admin route behind the secret key', async () => {
    const t = await setup();
    await web(t).page('someone');
    const routes: [string, string, string?][] = [
      ['GET', '/v1/admin/profiles/someone'], ['GET', '/v1/admin/profiles/someone/export'], ['DELETE', '/v1/admin/profiles/someone'],
      ['POST', '/v1/admin/merge', JSON.stringify({ from: 'someone', into: 'someone' })], ['POST', '/v1/admin/import/customers', 'user_id\nx\n'],
    ];
    const before = dump(t);
    for (const [method, path, body] of routes) {
      const withWriteKey = await t.app.request(path, { method, body, headers: { authorization: `Bearer ${t.site.writeKey}`, 'content-type': 'text/csv' } });
      expect(withWriteKey.status, `${method} ${path}`).toBe(403);
      const noKey = await t.app.request(path, { method, body, headers: { 'content-type': 'text/csv' } });
      expect(noKey.status, `${method} ${path}`).toBe(401);
    }
    expect(dump(t)).toBe(before);
  });
});

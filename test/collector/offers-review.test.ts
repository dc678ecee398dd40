/** Review of offer validation and saving: schedules, links, versions (real HTTP app on SQLite :memory:). */
import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';
import { isAllowedLink, offerInput } from '../../collector/offers/schema.ts';

const base = { name: 'Sale', placements: ['home-hero'], kind: 'banner', status: 'active', content: { en: { title: 'Sale' } } };

describe('offer schedule', () => {
  it('refuses an end that is not after the start with a 400 naming schedule.end (the offer could never run)', async () => {
    const t = await setup();
    const put = (id: string, schedule: unknown) => t.admin(`/offers/${id}`, { method: 'PUT', body: JSON.stringify({ ...base, schedule }) });
    for (const [id, schedule] of [
      ['before', { start: '2026-12-01T00:00:00Z', end: '2026-01-01T00:00:00Z' }],
      ['same', { start: '2026-12-01T00:00:00Z', end: '2026-12-01T00:00:00Z' }],
      // Same instant written in two zones: 07:00 in Hanoi is midnight UTC.
      ['zones', { start: '2026-12-01T07:00:00+07:00', end: '2026-12-01T00:00:00Z' }],
    ] as const) {
      const r = await put(id, schedule);
      expect(r.status, id).toBe(400);
      const e = (await r.json() as any).error;
      expect(e.code).toBe('invalid_request');
      expect(e.issues.map((i: any) => i.path)).toContain('schedule.end');
    }
    expect(await t.store.listOffers(t.site.id)).toEqual([]);

    // A real window, an open-ended one and an end-only one still save.
    expect((await put('ok', { start: '2026-12-01T00:00:00Z', end: '2026-12-01T00:00:01Z' })).status).toBe(200);
    expect((await put('open', { start: '2026-12-01T00:00:00Z' })).status).toBe(200);
    expect((await put('until', { end: '2026-01-01T00:00:00Z' })).status).toBe(200);
  });

  it('the console form validates with the same schema: the error sits on the end field', () => {
    const r = offerInput.safeParse({ ...base, id: 'x', schedule: { start: '2026-12-01T00:00:00Z', end: '2026-11-01T00:00:00Z' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['schedule.end']);
  });
});

describe('offer links (server allowlist)', () => {
  it('refuses scheme, host and encoding tricks; keeps https and same-origin paths', () => {
    const refused = [
      'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', '\u0000javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'http://shop.example/',
      '//evil.example', '/\\evil.example', '\\\\evil.example', '\\/evil.example', '/\t/evil.example', '/\n/evil.example',
      ' //evil.example', '\u00a0//evil.example', '\u3000//evil.example', '\u2028//evil.example',
      'ｊavascript:alert(1)', '', '   ',
    ];
    for (const l of refused) expect(isAllowedLink(l), JSON.stringify(l)).toBe(false);
    const kept = ['https://shop.example/sale', 'HTTPS://shop.example/', '/sale?x=1#y', '/%2f/evil.example', '/'];
    for (const l of kept) expect(isAllowedLink(l), JSON.stringify(l)).toBe(true);
  });
});

describe('offer versions', () => {
  it('two saves with the same expected version: one wins, the other is a 409, history is newest first', async () => {
    const t = await setup();
    const put = (body: unknown) => t.admin('/offers/sale', { method: 'PUT', body: JSON.stringify(body) });
    expect((await put(base)).status).toBe(200);
    const rs = await Promise.all([put({ ...base, name: 'A', version: 1 }), put({ ...base, name: 'B', version: 1 })]);
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409]);
    // An id in use (archived or not) is not created again over its history.
    expect((await put({ ...base, status: 'archived', version: 2 })).status).toBe(200);
    expect((await put(base)).status).toBe(409);
    const h = (await (await t.admin('/offers/sale/history')).json() as any).versions;
    expect(h.map((o: any) => o.version)).toEqual([3, 2, 1]);
  });
});

/** Data-subject rights: export everything about one customer; erase them so no id finds them again. */
import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';
import { count, profile, server, web, type T } from './identity-helpers.ts';

/** A customer with history everywhere: two devices, a merged-away profile, keys, orders, decisions and outcomes. */
async function richCustomer(t: T) {
  const w = web(t), s = server(t);
  const offer = { name: 'Welcome', placements: ['home-hero'], kind: 'banner', status: 'active', priority: 1, content: { en: { title: 'Hello' } } };
  expect((await t.admin('/offers/welcome', { method: 'PUT', body: JSON.stringify(offer) })).status).toBe(200);
  await w.view('dev-a', 'coffee');
  await w.identify('dev-a', 'lan');
  await w.view('dev-b', 'tea');
  await w.identify('dev-b', 'lan');
  await s.identify({ userId: 'lan', traits: { email: 'lan@example.vn', phone: '0901234567', loyalty_card: 'CARD-1' } });
  await s.order({ userId: 'lan' }, 'lan-o1', 300000);
  await s.order({ userId: 'lan-old' }, 'lan-o0', 100000);
  const oldId = (await profile(t, 'lan-old')).id;
  await t.admin('/merge', { method: 'POST', body: JSON.stringify({ from: 'lan-old', into: 'lan' }) });
  const d = await (await t.post('/v1/decide', { anonymousId: 'dev-a', userId: 'lan', userHash: t.hash('lan'), placements: ['home-hero'], writeKey: t.site.writeKey })).json();
  await w.send('track', { anonymousId: 'dev-a', userId: 'lan', event: 'Offer Viewed', properties: { decisionId: d.decisions[0].decisionId } });
  // Someone else, who must be left untouched.
  await w.view('other-anon', 'ceramics');
  await w.identify('other-anon', 'binh');
  await s.order({ userId: 'binh' }, 'binh-o1', 50000);
  return { p: await profile(t, 'lan'), oldId };
}

describe('privacy: export', () => {
  it('exports everything held about one customer, found by any id', async () => {
    const t = await setup();
    const { p, oldId } = await richCustomer(t);
    const res = await t.admin('/profiles/lan%40example.vn/export');
    expect(res.status).toBe(200);
    const x = await res.json();
    expect(x.profile.id).toBe(p.id);
    expect(x.identities.map((i: any) => i.kind).sort()).toEqual(['anonymous', 'anonymous', 'email', 'loyalty', 'phone', 'user', 'user']);
    expect(x.merges.map((m: any) => m.from_id)).toContain(oldId);
    expect(x.events.length).toBe(count(t, 'SELECT COUNT(*) AS n FROM events WHERE profile_id = ?', p.id));
    expect(x.events[0].body).toBeTypeOf('object');
    expect(x.orders.map((o: any) => o.order_id).sort()).toEqual(['lan-o0', 'lan-o1']);
    expect(x.decisions.length).toBeGreaterThan(0);
    expect(x.outcomes.map((o: any) => o.kind)).toContain('impression');
    expect(JSON.stringify(x)).not.toContain('binh');
    expect((await t.app.request(`/v1/admin/profiles/${p.id}/export`, { headers: { authorization: `Bearer ${t.site.writeKey}` } })).status).toBe(403);
    expect((await t.admin('/profiles/nobody/export')).status).toBe(404);
  });
});

describe('privacy: erasure', () => {
  it('erases every row and every id, so nothing of the customer can be found again', async () => {
    const t = await setup();
    const { p, oldId } = await richCustomer(t);
    const binhBefore = await profile(t, 'binh');
    const ids = ['lan', 'dev-a', 'dev-b', 'lan-old', oldId, p.id, 'lan@example.vn', '0901234567', 'CARD-1',
      ...p.identities.map((i: any) => i.value)];
    expect((await t.app.request('/v1/admin/profiles/lan', { method: 'DELETE', headers: { authorization: `Bearer ${t.site.writeKey}` } })).status).toBe(403);

    const res = await t.admin('/profiles/dev-b', { method: 'DELETE' });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r.profileId).toBe(p.id);
    expect(r.deleted.events).toBeGreaterThan(0);
    expect(r.deleted.profiles).toBe(1);
    expect(r.ids.map((i: any) => i.value)).toEqual(expect.arrayContaining(['lan', 'dev-a', 'dev-b', oldId]));

    for (const id of ids) expect(await profile(t, id), id).toBeNull();
    // No table holds a row naming the profile (or the merged-away profile): introspect them all.
    const tables = t.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    expect(tables.length).toBeGreaterThan(5);
    for (const { name } of tables) {
      const rows = t.store.db.prepare(`SELECT * FROM "${name}"`).all();
      for (const row of rows) {
        const text = JSON.stringify(row);
        for (const needle of [p.id, oldId, 'dev-a', 'dev-b', '"lan"', 'lan-old', 'CARD-1', 'lan@example.vn']) expect(text, `${name} row mentions ${needle}`).not.toContain(needle);
      }
    }
    // The other customer is untouched, and erasing again finds nobody.
    expect(await profile(t, 'binh')).toEqual(binhBefore);
    expect((await t.admin('/profiles/lan', { method: 'DELETE' })).status).toBe(404);
  });

  it('a returning browser after erasure starts a new, empty profile', async () => {
    const t = await setup();
    const { p } = await richCustomer(t);
    await t.admin(`/profiles/${p.id}`, { method: 'DELETE' });
    await web(t).page('dev-a');
    const fresh = await profile(t, 'dev-a');
    expect(fresh.id).not.toBe(p.id);
    expect(fresh.stats.orders).toBe(0);
    expect(fresh.userId).toBeNull();
  });
});

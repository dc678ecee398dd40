/** Console access: set-up once, passwords, sessions, CSRF and Origin, roles, login throttling. */
import { describe, it, expect } from 'vitest';
import { consoleSetup, coffeeOffer, PASSWORD } from './helpers.ts';
import { hashPassword, verifyPassword } from '../../collector/console/passwords.ts';
import { sha256 } from '../../collector/console/accounts.ts';

const json = { 'content-type': 'application/json', origin: 'http://localhost' };

describe('console access', () => {
  it('hashes passwords with scrypt N=2^15 and a per-user salt', async () => {
    const a = await hashPassword('secret password 1');
    const b = await hashPassword('secret password 1');
    expect(a.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(a).not.toBe(b);
    expect(await verifyPassword('secret password 1', a)).toBe(true);
    expect(await verifyPassword('secret password 2', a)).toBe(false);
  });

  it('set-up creates the first owner once, atomically, and can never be replayed', async () => {
    const t = await consoleSetup();
    const setup = (email: string, siteSecret: string | null = t.site.secretKey) => t.app.request('http://localhost/v1/console/setup', { method: 'POST', headers: json, body: JSON.stringify({ email, password: PASSWORD, siteSecret }) });
    expect(await (await t.app.request('http://localhost/v1/console/setup')).json()).toEqual({ needed: true });
    // Whoever finds the page first gets nothing without a site's secret key: not with none, a wrong one, or the public write key.
    for (const secret of [null, 'sk_guess', t.site.writeKey]) {
      const r = await setup('intruder@evil.example', secret);
      expect([400, 403]).toContain(r.status);
    }
    expect((await t.store.query('SELECT COUNT(*) AS n FROM console_users')).rows[0].n).toBe(0);
    const [a, b] = await Promise.all([setup('first@shop.vn'), setup('second@shop.vn')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(await (await t.app.request('http://localhost/v1/console/setup')).json()).toEqual({ needed: false });
    expect((await setup('third@shop.vn')).status).toBe(409);
    const users = (await t.store.query('SELECT email, role FROM console_users')).rows;
    expect(users).toHaveLength(1);
    expect(users[0].role).toBe('owner');
  });

  it('a CLI-created account closes the set-up page too', async () => {
    const t = await consoleSetup();
    await t.account('owner@shop.vn', 'owner');
    const r = await t.app.request('http://localhost/v1/console/setup', { method: 'POST', headers: json, body: JSON.stringify({ email: 'x@shop.vn', password: PASSWORD, siteSecret: t.site.secretKey }) });
    expect(r.status).toBe(409);
  });

  it('sets an HttpOnly SameSite=Strict cookie, stores only its hash, and Secure over https', async () => {
    const t = await consoleSetup();
    await t.account('m@shop.vn', 'marketer');
    const c = await t.client('m@shop.vn');
    const raw = c.res.headers.get('set-cookie')!;
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Strict/);
    expect(raw).not.toMatch(/Secure/);
    const token = c.cookie.split('=')[1];
    const rows = (await t.store.query('SELECT token_hash FROM console_sessions')).rows;
    expect(rows.map((r) => r.token_hash)).toEqual([sha256(token)]);
    const https = await t.app.request('https://admin.shop.vn/v1/console/login', { method: 'POST', headers: { ...json, origin: 'https://admin.shop.vn' }, body: JSON.stringify({ email: 'm@shop.vn', password: PASSWORD }) });
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
    const plain = await t.app.request('http://admin.shop.vn/v1/console/login', { method: 'POST', headers: { ...json, origin: 'http://admin.shop.vn' }, body: JSON.stringify({ email: 'm@shop.vn', password: PASSWORD }) });
    expect(plain.status).toBe(400);
  });

  it('refuses writes without the CSRF token or from another origin', async () => {
    const t = await consoleSetup();
    await t.account('m@shop.vn', 'marketer');
    const c = await t.client('m@shop.vn');
    const path = `/sites/${t.site.id}/offers/mgc-coffee`;
    expect((await c.call(path, { method: 'PUT', body: coffeeOffer, headers: { 'x-csrf-token': '' } })).status).toBe(403);
    expect((await c.call(path, { method: 'PUT', body: coffeeOffer, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await c.call(path, { method: 'PUT', body: coffeeOffer })).status).toBe(200);
    expect((await t.app.request('http://localhost/v1/console/me')).status).toBe(401);
  });

  it('checks the role on the server: an analyst reads offers but cannot change them', async () => {
    const t = await consoleSetup();
    await t.account('m@shop.vn', 'marketer');
    await t.account('a@shop.vn', 'analyst');
    const m = await t.client('m@shop.vn');
    const a = await t.client('a@shop.vn');
    const saved = await (await m.call(`/sites/${t.site.id}/offers/mgc-coffee`, { method: 'PUT', body: coffeeOffer })).json() as any;
    expect(saved.offer.updatedBy).toBe('m@shop.vn');
    expect((await a.call(`/sites/${t.site.id}/offers`)).status).toBe(200);
    const put = await a.call(`/sites/${t.site.id}/offers/mgc-coffee`, { method: 'PUT', body: { ...coffeeOffer, name: 'hijack', version: 1 } });
    expect(put.status).toBe(403);
    expect((await a.call(`/sites/${t.site.id}/offers/mgc-coffee/status`, { method: 'POST', body: { status: 'active', version: 1 } })).status).toBe(403);
    expect((await a.call(`/sites/${t.site.id}/settings`, { method: 'PATCH', body: { consentMode: 'opt-in' } })).status).toBe(403);
    expect((await m.call(`/sites/${t.site.id}/keys/rotate`, { method: 'POST', body: { kind: 'write' } })).status).toBe(403);
    expect((await t.store.listOffers(t.site.id)).find((o) => o.id === 'mgc-coffee')!.name).toBe('MGC coffee');
  });

  it('rate-limits failed sign-ins per account, and never successful ones', async () => {
    const t = await consoleSetup();
    await t.account('m@shop.vn', 'marketer');
    // Signing in again and again (new tabs, new devices) is no attack: it never locks the owner out.
    for (let i = 0; i < 12; i++) expect((await t.client('m@shop.vn')).res.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.client('m@shop.vn', 'wrong password!!')).res.status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    // Even the right password waits until the bucket refills.
    expect((await t.client('m@shop.vn')).res.status).toBe(429);
    t.advance(180_000);
    expect((await t.client('m@shop.vn')).res.status).toBe(200);
  });

  it('sign-out ends the session on the server', async () => {
    const t = await consoleSetup();
    await t.account('m@shop.vn', 'marketer');
    const c = await t.client('m@shop.vn');
    expect((await c.call('/me')).status).toBe(200);
    await t.app.request('http://localhost/v1/console/logout', { method: 'POST', headers: { cookie: c.cookie, origin: 'http://localhost' } });
    expect((await c.call('/me')).status).toBe(401);
  });
});

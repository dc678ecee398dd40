/** Identity hashes made with a rotated secret key verify through its grace period, then stop. */
import { describe, it, expect } from 'vitest';
import { setup } from '../collector/helpers.ts';
import { userHash, verifySiteUserHash } from '../../collector/http/hmac.ts';
import { rotateKey } from '../../collector/console/keys.ts';

const DAY = 86_400_000;

describe('secret key rotation and identity verification', () => {
  it('verifySiteUserHash accepts the current key and unexpired rotated keys only', () => {
    const site = { secretKey: 'sk_new', previousSecrets: [{ key: 'sk_old', expiresAt: 1000 }, { key: 'sk_older', expiresAt: 500 }] };
    expect(verifySiteUserHash(site, 'u1', userHash('sk_new', 'u1'), 999)).toBe(true);
    expect(verifySiteUserHash(site, 'u1', userHash('sk_old', 'u1'), 999)).toBe(true);
    expect(verifySiteUserHash(site, 'u1', userHash('sk_old', 'u1'), 1000)).toBe(false);
    expect(verifySiteUserHash(site, 'u1', userHash('sk_older', 'u1'), 999)).toBe(false);
    expect(verifySiteUserHash(site, 'u2', userHash('sk_old', 'u1'), 0)).toBe(false);
    expect(verifySiteUserHash({ secretKey: 'sk_new' }, 'u1', userHash('sk_old', 'u1'), 0)).toBe(false);
  });

  it('after rotation the shop’s old hashes still verify (identify, decide, loyalty) until the old key expires', async () => {
    const t = await setup({ verifyIdentity: true });
    const oldHash = userHash(t.site.secretKey, 'lan');
    const { key } = await rotateKey(t.store, t.site.id, 'secret', t.now(), 2 * DAY);
    const newHash = userHash(key, 'lan');
    expect(newHash).not.toBe(oldHash);
    const site = (await t.store.getSite(t.site.id))!;
    expect(site.secretKey).toBe(key);
    expect(site.previousSecrets).toEqual([{ key: t.site.secretKey, expiresAt: t.now() + 2 * DAY }]);

    const wk = t.basic(t.site.writeKey);
    const identify = (hash: string, id: string) => t.post('/v1/identify', { userId: 'lan', userHash: hash, anonymousId: 'a1', messageId: id }, wk);
    const decide = (hash: string) => t.post('/v1/decide', { writeKey: t.site.writeKey, anonymousId: 'a1', userId: 'lan', userHash: hash, placements: ['home-hero'] });
    const me = (hash: string) => t.post('/v1/loyalty/me', { writeKey: t.site.writeKey, userId: 'lan', userHash: hash });

    expect((await identify(oldHash, 'm1')).status).toBe(200);
    expect((await identify(newHash, 'm2')).status).toBe(200);
    expect((await decide(oldHash)).status).toBe(200);
    expect((await me(oldHash)).status).toBe(200);
    expect((await identify(userHash('sk_wrong', 'lan'), 'm3')).status).toBe(401);

    t.advance(2 * DAY - 1);
    expect((await identify(oldHash, 'm4')).status).toBe(200);
    t.advance(1);
    expect((await identify(oldHash, 'm5')).status).toBe(401);
    expect((await decide(oldHash)).status).toBe(401);
    expect((await me(oldHash)).status).toBe(401);
    expect((await identify(newHash, 'm6')).status).toBe(200);
    expect((await me(newHash)).status).toBe(200);
  });
});

/** Identity verification: userHash = HMAC-SHA256(site secret key, userId), hex. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Site } from '../store/types.ts';

export function userHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

export function verifyUserHash(secret: string, userId: string, hash: string | undefined): boolean {
  if (!hash || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = Buffer.from(userHash(secret, userId), 'hex');
  return timingSafeEqual(expected, Buffer.from(hash, 'hex'));
}

/**
 * Does `hash` verify `userId` for this site at `now`? The current secret key, or a rotated one
 * still in its grace period: the shop's servers keep sending hashes made with the old key until
 * their deploy picks up the new one, and those customers must not lose their verified identity.
 * @example verifySiteUserHash(site, 'u1', userHash(oldSecret, 'u1'), now) // true until the old key expires
 */
export function verifySiteUserHash(site: Pick<Site, 'secretKey' | 'previousSecrets'>, userId: string, hash: string | undefined, now: number): boolean {
  if (verifyUserHash(site.secretKey, userId, hash)) return true;
  return (site.previousSecrets ?? []).some((k) => k.expiresAt > now && verifyUserHash(k.key, userId, hash));
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('base64url');
}

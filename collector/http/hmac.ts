/** Identity verification: userHash = HMAC-SHA256(site secret key, userId), hex. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function userHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

export function verifyUserHash(secret: string, userId: string, hash: string | undefined): boolean {
  if (!hash || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = Buffer.from(userHash(secret, userId), 'hex');
  return timingSafeEqual(expected, Buffer.from(hash, 'hex'));
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('base64url');
}

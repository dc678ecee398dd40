/**
 * Password hashing with scrypt (memory-hard): N = 2^15, r = 8, p = 1 (32 MiB per hash), a
 * 16-byte random salt per password, 32-byte key. Stored as `scrypt$N$r$p$salt$hash` so the cost
 * can be raised later without breaking existing accounts.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15, R = 8, P = 1, KEYLEN = 32;

function derive(password: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  // maxmem must exceed 128·N·r, or node refuses the parameters.
  return new Promise((ok, fail) => scrypt(password.normalize('NFKC'), salt, KEYLEN, { ...o, maxmem: 256 * o.N! * o.r! }, (e, k) => (e ? fail(e) : ok(k))));
}

/** @example await hashPassword('correct horse') // 'scrypt$32768$8$1$…$…' */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time check of a password against a stored hash; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const want = Buffer.from(key, 'base64url');
  const got = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A hash of a password nobody has: lets unknown e-mails take as long as known ones. */
export const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

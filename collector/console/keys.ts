/**
 * Key rotation: the new key takes effect at once, and the old one keeps working until its
 * `expires_at` (the grace period), so browsers with a cached script tag and servers mid-deploy
 * lose no events. The site's current key is the newest one without an expiry.
 */
import { randomBytes } from 'node:crypto';
import type { KeyKind, Store } from '../store/types.ts';

export const DEFAULT_GRACE_MS = 7 * 86_400_000;

/** Rotate a site's write or secret key; returns the new key and when the old one stops working. */
export async function rotateKey(store: Store, siteId: string, kind: KeyKind, now: number, graceMs = DEFAULT_GRACE_MS): Promise<{ key: string; oldExpiresAt: number }> {
  const key = (kind === 'write' ? 'wk_' : 'sk_') + randomBytes(kind === 'write' ? 18 : 24).toString('base64url');
  const oldExpiresAt = now + graceMs;
  await store.write(async (tx) => {
    await tx.query('UPDATE site_keys SET expires_at = ? WHERE site_id = ? AND kind = ? AND expires_at IS NULL', [oldExpiresAt, siteId, kind]);
    await tx.query('INSERT INTO site_keys (key, site_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [key, siteId, kind, now, null]);
  });
  return { key, oldExpiresAt };
}

/** Keys still in their grace period (not the current ones). */
export async function retiringKeys(store: Store, siteId: string, now: number): Promise<{ kind: KeyKind; prefix: string; expiresAt: number }[]> {
  const rows = (await store.query('SELECT key, kind, expires_at FROM site_keys WHERE site_id = ? AND expires_at IS NOT NULL AND expires_at > ? ORDER BY expires_at', [siteId, now])).rows;
  return rows.map((r) => ({ kind: r.kind, prefix: String(r.key).slice(0, 8) + '…', expiresAt: Number(r.expires_at) }));
}

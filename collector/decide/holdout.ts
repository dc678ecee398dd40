/**
 * Deterministic control groups. A customer's group is a hash of (site, customer key, salt, scope),
 * so it is sticky without storage, the same on every device once the profile is identified, and
 * independent between offers (each offer hashes its own scope).
 */

/**
 * 32-bit FNV-1a over UTF-16 code units, then murmur3's fmix32 finaliser: FNV alone mixes its
 * last characters weakly, and keys like "cust-1", "cust-2" differ only there.
 */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform position in [0, 1) of a key in a scope. The separator cannot occur in ids. */
export function bucket(siteId: string, key: string, salt: string, scope: string): number {
  return hash32(`${siteId}\u0000${key}\u0000${salt}\u0000${scope}`) / 4294967296;
}

/** Is the customer in the site's global control group (sees no offers)? */
export function inGlobalHoldout(siteId: string, key: string, salt: string, share: number): boolean {
  return share > 0 && bucket(siteId, key, salt, 'global') < share;
}

/**
 * Is the customer in this offer's control group (is not shown this offer)?
 * @example inOfferHoldout('site1', profile.id, 'idic', 'vip-coffee', 0.1)
 */
export function inOfferHoldout(siteId: string, key: string, salt: string, offerId: string, share: number): boolean {
  return share > 0 && bucket(siteId, key, salt, `offer:${offerId}`) < share;
}

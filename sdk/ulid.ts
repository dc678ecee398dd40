/**
 * ULID (https://github.com/ulid/spec): 48-bit millisecond time + 80 random bits, Crockford base32.
 *
 * Why not the `ulid` package here: its browser build brings an error enum, PRNG detection and
 * validation we never use — about 0.9 KB gzipped, 15 % of the SDK's lifetime budget. These lines
 * produce the same format; test/sdk/ulid.test.ts checks them against the package's decoder.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new ULID for `time` (ms), with randomness from `crypto.getRandomValues`.
 * @example ulid() // '01JD6Z1Y8K3QW7G2N5X0R4T9VB'
 */
export function ulid(time = Date.now()): string {
  let out = '';
  for (let i = 0; i < 10; i++, time = Math.floor(time / 32)) out = ALPHABET[time % 32] + out;
  // Each byte's low 5 bits: 256 is a multiple of 32, so every character stays uniform.
  crypto.getRandomValues(new Uint8Array(16)).forEach((b) => (out += ALPHABET[b & 31]));
  return out;
}

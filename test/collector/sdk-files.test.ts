/** The collector serves the built SDK and widget: cached briefly, revalidated by ETag, gzipped when asked. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers.ts';

describe('SDK files', () => {
  for (const file of ['idic.js', 'idic-widget.js']) {
    it(`serves /${file} as built, with an ETag and gzip`, async () => {
      const t = await setup();
      const built = readFileSync(`dist/${file}`);
      const plain = await t.app.request(`/${file}`);
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
      expect(Buffer.from(await plain.arrayBuffer()).equals(built)).toBe(true);
      const etag = plain.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{22}"$/);
      expect((await t.app.request(`/${file}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
      const zipped = await t.app.request(`/${file}`, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      const body = Buffer.from(await zipped.arrayBuffer());
      expect(body.length).toBeLessThan(built.length);
      expect(gunzipSync(body).equals(built)).toBe(true);
    });
  }
});

/**
 * The browser SDK and its widget, served by the collector itself: a shop's one script tag points
 * at the collector (`<script src="https://collect.shop.example/idic.js" data-write-key=…>`), the
 * SDK then talks to the origin it came from and loads the widget from beside itself.
 *
 * The names carry no version, so browsers keep a copy 5 minutes and then revalidate (ETag → 304):
 * a deploy reaches every shop within minutes. Gzipped once per build, since that is what the
 * size budgets count and what a phone downloads.
 */
import type { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const FILES: Record<string, string> = {
  'idic.js': 'text/javascript; charset=utf-8',
  'idic-widget.js': 'text/javascript; charset=utf-8',
  'idic.js.map': 'application/json',
  'idic-widget.js.map': 'application/json',
};

interface Built { mtimeMs: number; size: number; raw: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer>; etag: string }

export function sdkFiles(app: Hono<any>, distDir = DIST): void {
  const built = new Map<string, Built>();
  const load = (file: string): Built | null => {
    const path = join(distDir, file);
    let st;
    try { st = statSync(path); } catch { return null; }
    const held = built.get(file);
    if (held && held.mtimeMs === st.mtimeMs && held.size === st.size) return held;
    const raw = readFileSync(path);
    const b = { mtimeMs: st.mtimeMs, size: st.size, raw, gzip: new Uint8Array(gzipSync(raw, { level: 9 })), etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"` };
    built.set(file, b);
    return b;
  };
  for (const [file, type] of Object.entries(FILES)) {
    app.get(`/${file}`, (c) => {
      const b = load(file);
      if (!b) return c.json({ error: { code: 'not_built', message: `${file} is not built: run \`npm run build\`` } }, 404);
      const headers: Record<string, string> = {
        'content-type': type, 'cache-control': 'public, max-age=300', etag: b.etag, vary: 'Accept-Encoding',
        'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'cross-origin',
      };
      if ((c.req.header('if-none-match') ?? '').split(/\s*,\s*/).includes(b.etag)) return c.body(null, 304, headers);
      const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
      return c.body(gzip ? b.gzip : b.raw, 200, gzip ? { ...headers, 'content-encoding': 'gzip' } : headers);
    });
  }
}

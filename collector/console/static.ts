/**
 * Serves the built console (dist/console/) at /admin under a strict Content-Security-Policy.
 * Hashed chunk files are immutable; index.html is never cached, so a deploy takes effect at once.
 */
import type { Hono } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const ROOT = new URL('../../dist/console/', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml' };
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const SHELL = (lang: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>idic console</title><link rel="stylesheet" href="/admin/assets/console.css"><script type="module" src="/admin/assets/console.js"></script></head>
<body><div id="app"></div><noscript>The idic console needs JavaScript.</noscript></body></html>`;

/** The console's mark: a white "i" on the accent blue. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#0b57d0"/><text x="16" y="24" font-family="sans-serif" font-size="22" font-weight="700" fill="#fff" text-anchor="middle">i</text></svg>';

export function serveConsole(app: Hono<any>, distDir = ROOT) {
  const headers = (type: string, cache: string) => ({ 'content-type': type, 'cache-control': cache, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
  // Browsers ask every site for one: a small mark instead of a 404 in each page's console.
  app.get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));
  app.get('/admin/assets/:file{.+}', (c) => {
    const file = normalize(c.req.param('file'));
    if (file.startsWith('..') || file.includes('\0')) return c.notFound();
    const path = join(distDir, file);
    if (!existsSync(path)) return c.text('not built: run `node collector/console/build.mjs`', 404);
    // Entry and CSS keep stable names (the shell points at them); chunks carry a content hash.
    const stable = file === 'console.js' || file === 'console.css';
    return c.body(readFileSync(path), 200, headers(TYPES[extname(file)] ?? 'application/octet-stream', stable ? 'no-cache' : 'public, max-age=31536000, immutable'));
  });
  const shell = (c: any) => c.body(SHELL(/\bvi\b/.test(c.req.header('accept-language') ?? '') ? 'vi' : 'en'), 200, headers(TYPES['.html'], 'no-store'));
  app.get('/admin', shell);
  app.get('/admin/*', shell);
}

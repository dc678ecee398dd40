/**
 * A tiny shop page for the widget's browser tests, served under the strict CSP a careful shop
 * would set (`script-src 'self'; style-src 'self'`); `?nocsp` serves the same page without it so
 * the XSS corpus would really execute if the widget ever let markup through.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CSP = "script-src 'self'; style-src 'self'";

const PAGE = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cà phê Núi</title>
<link rel="stylesheet" href="/page.css"><script src="/csp.js"></script><script src="/idic-widget.js"></script></head>
<body><header><strong>Cà phê Núi</strong><nav><a href="/category/coffee">Cà phê</a><a href="/category/tea">Trà</a><button id="account" type="button">Tài khoản</button></nav></header>
<main><h1>Cà phê ngon mỗi sáng</h1><div data-idic-placement="home-hero"></div>
<div class="grid"><section class="products" aria-label="Sản phẩm"><article><h2>Arabica Cầu Đất</h2><p>145.000 ₫</p></article><article><h2>Robusta Buôn Ma Thuột</h2><p>98.000 ₫</p></article></section>
<aside data-idic-placement="sidebar" aria-label="Ưu đãi"></aside></div>
<div data-idic-placement="product-recs"></div><div data-idic-placement="loyalty-slot"></div>
<div class="spacer"></div><div data-idic-placement="below-fold"></div></main></body></html>`;

// Shop CSS that would wreck an unprotected widget: the shadow roots must keep it out.
const CSS = `body{margin:0;font:16px/1.5 Georgia,serif;color:#222;background:#faf7f2}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 24px;background:#3b2a1a;color:#fff}
header a{color:#fff;margin-right:16px}main{max-width:1000px;margin:0 auto;padding:16px 24px}
.grid{display:grid;grid-template-columns:1fr 340px;gap:24px;margin:24px 0}.products{display:grid;grid-template-columns:1fr 1fr;gap:16px}
article{background:#fff;padding:16px;border-radius:4px}[data-idic-placement]{margin:16px 0}
p{margin:40px;color:purple;text-transform:uppercase}button{background:lime;font-size:30px}img{border:5px solid red}
.spacer{height:3000px}`;

// Flat, friendly product art: same-origin SVGs so img-src stays on the shop.
const art = (a: string, b: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs><rect width="300" height="300" fill="url(#g)"/><circle cx="150" cy="160" r="90" fill="#fff" fill-opacity=".18"/><ellipse cx="150" cy="160" rx="46" ry="62" fill="#fff" fill-opacity=".55"/><path d="M150 100c-14 30 14 90 0 120" stroke="${a}" stroke-width="8" fill="none"/></svg>`;
const IMAGES: Record<string, string> = {
  coffee: art('#6f4e37', '#c69c6d'),
  tea: art('#4f7942', '#a8c686'),
  gift: art('#b3261e', '#f2b8b5'),
  phin: art('#5f6368', '#c4c7c5'),
  cup: art('#1e5aa8', '#a8c7fa'),
};

// Runs before the widget: every CSP violation on the page is kept for the test to read.
const CSP_JS = `window.__csp=[];document.addEventListener('securitypolicyviolation',function(e){window.__csp.push(e.violatedDirective+' '+e.blockedURI+' '+(e.sample||''))});`;

export interface ShopServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the shop on a free port. */
export async function startShop(widgetPath = 'dist/idic-widget.js'): Promise<ShopServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, ...(url.searchParams.has('nocsp') ? {} : { 'content-security-policy': CSP }) });
      res.end(body);
    };
    const img = url.pathname.match(/^\/img\/(\w+)\.svg$/);
    if (url.pathname == '/idic-widget.js') send('text/javascript', readFileSync(widgetPath));
    else if (url.pathname == '/axe.min.js') send('text/javascript', readFileSync('node_modules/axe-core/axe.min.js'));
    else if (url.pathname == '/csp.js') send('text/javascript', CSP_JS);
    else if (url.pathname == '/page.css') send('text/css', CSS);
    else if (img && IMAGES[img[1]]) send('image/svg+xml', IMAGES[img[1]]);
    else if (url.pathname == '/favicon.ico' || url.pathname.endsWith('.map')) (res.writeHead(404), res.end());
    else send('text/html; charset=utf-8', PAGE);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * The demo shop as a Hono app. It plays the shop's own server too: it computes the identity
 * hash for logged-in customers and posts trusted orders to the collector with the secret key —
 * exactly what a real shop backend does.
 */
import { Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { CATEGORIES, promoDiscount, DEMO_USERS, productById, type Category } from './catalog.ts';
import { cartPage, categoryPage, homePage, layout, loginPage, productPage, thanksPage, type Lang, type PageCtx } from './pages.ts';
import { userHash } from '../collector/http/hmac.ts';

export interface ShopOptions {
  collectorUrl: string;
  writeKey: string;
  secretKey: string;
  /** Folder with idic.js, idic-widget.js and demo-shop.js (the build output). */
  distDir: string;
}

const ROOT = new URL('.', import.meta.url).pathname;
const ulid = monotonicFactory();

export function createShop(o: ShopOptions) {
  const app = new Hono();
  const asset = (file: string, type: string) => (c: any) => {
    const path = file.endsWith('.css') ? join(ROOT, 'public', file) : join(o.distDir, file);
    if (!existsSync(path)) return c.text(`${file} is missing: run \`npm run build\``, 404);
    return c.body(readFileSync(path), 200, { 'content-type': type, 'cache-control': 'no-cache' });
  };
  app.use('*', async (c, next) => {
    await next();
    // The shop runs under a strict CSP: the SDK and widget must work without inline code or styles.
    c.header('Content-Security-Policy', `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self' ${o.collectorUrl}`);
  });
  for (const f of ['idic.js', 'idic-widget.js', 'demo-shop.js', 'idic.js.map', 'idic-widget.js.map']) app.get(`/${f}`, asset(f, 'text/javascript; charset=utf-8'));
  app.get('/shop.css', asset('shop.css', 'text/css; charset=utf-8'));
  app.get('/favicon.ico', (c) => c.body('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><text y="26" font-size="26">☕</text></svg>', 200, { 'content-type': 'image/svg+xml' }));

  const ctxOf = (c: any): PageCtx => {
    const lang: Lang = getCookie(c, 'lang') === 'en' ? 'en' : 'vi';
    const uid = getCookie(c, 'demo_user');
    const u = DEMO_USERS.find((x) => x.id === uid);
    return { lang, path: c.req.path, user: u ? { ...u, hash: userHash(o.secretKey, u.id) } : null };
  };
  const page = (c: any, title: string, body: string, pageData?: Record<string, string>) =>
    c.html(layout(ctxOf(c), title, body, { collector: o.collectorUrl, writeKey: o.writeKey, pageData }));

  /** A page's title in the shopper's language. */
  const TITLES = { home: { vi: 'Trang chủ', en: 'Home' }, cart: { vi: 'Giỏ hàng', en: 'Cart' }, thanks: { vi: 'Cảm ơn', en: 'Thanks' }, login: { vi: 'Đăng nhập', en: 'Log in' } };
  const title = (c: any, key: keyof typeof TITLES) => TITLES[key][ctxOf(c).lang];
  app.get('/', (c) => page(c, title(c, 'home'), homePage(ctxOf(c)), { page: 'home' }));
  app.get('/c/:category', (c) => {
    const cat = c.req.param('category') as Category;
    if (!CATEGORIES[cat]) return c.notFound();
    return page(c, CATEGORIES[cat][ctxOf(c).lang], categoryPage(ctxOf(c), cat), { page: 'category', category: cat });
  });
  app.get('/p/:id', (c) => {
    const p = productById.get(c.req.param('id'));
    if (!p) return c.notFound();
    return page(c, p.name[ctxOf(c).lang], productPage(ctxOf(c), p), { page: 'product', product: p.id, category: p.category, price: String(p.price), name: p.name.en });
  });
  app.get('/cart', (c) => page(c, title(c, 'cart'), cartPage(ctxOf(c)), { page: 'cart' }));
  app.get('/thanks/:order', (c) => page(c, title(c, 'thanks'), thanksPage(ctxOf(c), c.req.param('order')), { page: 'thanks' }));
  app.get('/login', (c) => page(c, title(c, 'login'), loginPage(ctxOf(c), DEMO_USERS), { page: 'login' }));
  app.get('/lang/:lang', (c) => {
    setCookie(c, 'lang', c.req.param('lang') === 'en' ? 'en' : 'vi', { path: '/', sameSite: 'Lax' });
    return c.redirect(c.req.header('referer') ?? '/');
  });
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const u = DEMO_USERS.find((x) => x.id === form.user);
    if (!u) return c.text('unknown demo user', 400);
    setCookie(c, 'demo_user', u.id, { path: '/', httpOnly: true, sameSite: 'Lax' });
    return c.redirect('/');
  });
  app.post('/logout', (c) => {
    deleteCookie(c, 'demo_user', { path: '/' });
    return c.redirect('/?logout=1');
  });

  // Loyalty reward codes: the shop's server asks the collector (secret key) whether a code is good.
  const loyaltyCode = async (action: 'verify' | 'consume', q: { code: string; orderTotal: number; orderId?: string; userId?: string }) => {
    const res = await fetch(`${o.collectorUrl}/v1/admin/loyalty/codes/${action}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${o.secretKey}` }, body: JSON.stringify(q),
    });
    const out = (await res.json().catch(() => ({}))) as { valid?: boolean; amount?: number; code?: string; error?: { code?: string } };
    const ok = res.ok && out.valid !== false;
    return ok ? { ok: true as const, amount: out.amount ?? 0, code: out.code ?? q.code } : { ok: false as const, reason: out.error?.code ?? 'unknown_code' };
  };
  /** The cart's lines the shop sells, priced by the shop (never by the browser). */
  const linesOf = (items: { id: string; qty: number }[] | undefined) => (items ?? [])
    .filter((i) => productById.has(i.id) && Number.isInteger(i.qty) && i.qty > 0 && i.qty < 100)
    .map((i) => ({ product: productById.get(i.id)!, qty: i.qty }));
  // What the shopper reads when a code is refused, by the collector's reason.
  const CODE_ERRORS: Record<Lang, Record<string, string>> = {
    vi: {
      invalid: 'Mã giảm giá không hợp lệ.', notApplicable: 'Mã này chưa áp dụng cho giỏ hàng của bạn.', code_used: 'Mã này đã được dùng rồi.',
      code_expired: 'Mã này đã hết hạn.', code_not_yours: 'Mã này thuộc về khách hàng khác.', order_too_small: 'Đơn hàng chưa đủ giá trị tối thiểu cho mã này.',
      empty: 'Giỏ hàng đang trống.', noVisitor: 'Không nhận ra phiên mua hàng: hãy tải lại trang.', failed: 'Chưa đặt được hàng, vui lòng thử lại.',
    },
    en: {
      invalid: 'This code is not valid.', notApplicable: 'This code does not apply to your cart yet.', code_used: 'This code has already been used.',
      code_expired: 'This code has expired.', code_not_yours: 'This code belongs to another customer.', order_too_small: 'The order is below this code’s minimum.',
      empty: 'Your cart is empty.', noVisitor: 'We could not tell your visit apart: please reload the page.', failed: 'The order could not be placed; please try again.',
    },
  };
  /** A code's worth for these lines: the shop's own promotion codes first, then loyalty reward codes (asked of idic). */
  const discountFor = async (c: any, code: string, lines: ReturnType<typeof linesOf>, action: 'verify' | 'consume', orderId?: string) => {
    const errors = CODE_ERRORS[ctxOf(c).lang];
    const promo = promoDiscount(code, lines);
    if (promo !== null) return promo > 0 ? { ok: true as const, amount: promo, code: code.trim().toUpperCase() } : { ok: false as const, message: errors.notApplicable };
    const total = lines.reduce((s, l) => s + l.product.price * l.qty, 0);
    const r = await loyaltyCode(action, { code, orderTotal: total, orderId, userId: ctxOf(c).user?.id });
    return r.ok ? r : { ok: false as const, message: errors[r.reason] ?? errors.invalid };
  };
  app.post('/discount', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { items?: { id: string; qty: number }[]; code?: string } | null;
    if (!body?.code) return c.json({ error: CODE_ERRORS[ctxOf(c).lang].invalid }, 400);
    const lines = linesOf(body.items);
    const total = lines.reduce((s, l) => s + l.product.price * l.qty, 0);
    const r = await discountFor(c, body.code, lines, 'verify');
    return r.ok ? c.json({ amount: r.amount, total: total - r.amount }) : c.json({ error: r.message }, 400);
  });

  // The shop's backend prices the cart itself and reports the order as trusted.
  app.post('/checkout', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { items?: { id: string; qty: number }[]; code?: string } | null;
    const lines = linesOf(body?.items);
    const ctx = ctxOf(c);
    const say = CODE_ERRORS[ctx.lang];
    if (!lines.length) return c.json({ error: say.empty }, 400);
    const anonymousId = getCookie(c, 'idic_id');
    if (!ctx.user && !anonymousId) return c.json({ error: say.noVisitor }, 400);
    const products = lines.map(({ product: p, qty }) => ({ product_id: p.id, name: p.name.en, category: p.category, price: p.price, quantity: qty }));
    const orderId = ulid();
    let revenue = products.reduce((s, p) => s + p.price * p.quantity, 0);
    // A reward code is consumed by the collector exactly once, before the order is reported.
    const reward = body?.code ? await discountFor(c, body.code, lines, 'consume', orderId) : null;
    if (reward && !reward.ok) return c.json({ error: reward.message }, 400);
    if (reward) revenue -= reward.amount;
    const res = await fetch(`${o.collectorUrl}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${o.secretKey}:`).toString('base64')}` },
      body: JSON.stringify({
        type: 'track', event: 'Order Completed', messageId: `order-${orderId}`,
        userId: ctx.user?.id, anonymousId, properties: { order_id: orderId, revenue, currency: 'VND', products, ...(reward ? { coupon: reward.code, discount: reward.amount } : {}) },
      }),
    });
    if (!res.ok) {
      console.error(JSON.stringify({ level: 'error', msg: 'collector refused the order', status: res.status, body: (await res.text()).slice(0, 500) }));
      return c.json({ error: say.failed }, 502);
    }
    return c.json({ orderId, revenue });
  });
  return app;
}

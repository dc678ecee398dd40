/** Server-rendered pages of the demo shop. Every dynamic value passes through `esc`. */
import { CATEGORIES, PRODUCTS, type Category, type Product } from './catalog.ts';

export type Lang = 'en' | 'vi';
export interface PageCtx {
  lang: Lang;
  user: { id: string; name: string; email: string; hash: string } | null;
  path: string;
}

export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const vnd = (n: number, lang: Lang) => new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { style: 'currency', currency: 'VND' }).format(n);

const T = {
  en: { tagline: 'Vietnamese coffee, tea & ceramics', cart: 'Cart', login: 'Log in', logout: 'Log out', add: 'Add to cart', all: 'Shop by category', empty: 'Your cart is empty.', checkout: 'Place order', total: 'Total', thanks: 'Thank you! Your order is on its way.', hello: 'Hi', pick: 'Log in as a demo customer', lang: 'Tiếng Việt', recent: 'Fresh picks' },
  vi: { tagline: 'Cà phê, trà & gốm sứ Việt', cart: 'Giỏ hàng', login: 'Đăng nhập', logout: 'Đăng xuất', add: 'Thêm vào giỏ', all: 'Danh mục', empty: 'Giỏ hàng trống.', checkout: 'Đặt hàng', total: 'Tổng', thanks: 'Cảm ơn bạn! Đơn hàng đang được giao.', hello: 'Chào', pick: 'Đăng nhập bằng khách hàng mẫu', lang: 'English', recent: 'Gợi ý hôm nay' },
};

export function layout(ctx: PageCtx, title: string, body: string, opts: { collector: string; writeKey: string; pageData?: Record<string, string> }) {
  const t = T[ctx.lang];
  const data = Object.entries(opts.pageData ?? {}).map(([k, v]) => ` data-${k}="${esc(v)}"`).join('');
  return `<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Phin &amp; Leaf</title>
<link rel="stylesheet" href="/shop.css">
${ctx.user ? `<meta name="idic-user" content="${esc(ctx.user.id)}" data-hash="${esc(ctx.user.hash)}" data-name="${esc(ctx.user.name)}" data-email="${esc(ctx.user.email)}">` : ''}
<script src="/idic.js" data-write-key="${esc(opts.writeKey)}" data-host="${esc(opts.collector)}" data-locale="${ctx.lang}" data-currency="VND" defer></script>
<script src="/demo-shop.js" defer></script>
</head>
<body${data}>
<header class="top">
  <a class="brand" href="/">☕ Phin &amp; Leaf <small>${t.tagline}</small></a>
  <nav>
    ${(Object.keys(CATEGORIES) as Category[]).map((c) => `<a href="/c/${c}" ${ctx.path === `/c/${c}` ? 'aria-current="page"' : ''}>${esc(CATEGORIES[c][ctx.lang])}</a>`).join('')}
  </nav>
  <div class="account">
    <a href="/lang/${ctx.lang === 'en' ? 'vi' : 'en'}" class="lang">${t.lang}</a>
    ${ctx.user ? `<span class="hello" data-testid="hello">${t.hello}, ${esc(ctx.user.name)}</span><form method="post" action="/logout"><button class="link">${t.logout}</button></form>${memberLink(ctx)}` : `<a href="/login" data-testid="login-link">${t.login}</a>`}
    <a href="/cart" class="cart-link">🛒 ${t.cart} <span id="cart-count">0</span></a>
  </div>
</header>
<div data-idic-placement="top-toast"></div>
<main>${body}</main>
<footer>Phin &amp; Leaf — ${ctx.lang === 'vi' ? 'cửa hàng mẫu của idic. Giá tính bằng VND.' : 'idic demo shop. Prices in VND.'} <a href="${esc(opts.collector)}/admin">Console</a></footer>
</body></html>`;
}

const card = (p: Product, lang: Lang) => `
<article class="product" data-category="${p.category}">
  <a href="/p/${p.id}" class="thumb thumb-${p.category}" aria-hidden="true" tabindex="-1">${p.emoji}</a>
  <h3><a href="/p/${p.id}">${esc(p.name[lang])}</a></h3>
  <p class="price">${vnd(p.price, lang)}</p>
  <button class="add" data-add="${p.id}">${T[lang].add}</button>
</article>`;

export function homePage(ctx: PageCtx) {
  const t = T[ctx.lang];
  return `
<section class="hero-slot" data-idic-placement="home-hero">
  <div class="hero-default"><h1>${ctx.lang === 'vi' ? 'Hương vị Việt, pha tại nhà' : 'Vietnamese flavour, brewed at home'}</h1>
  <p>${ctx.lang === 'vi' ? 'Cà phê rang mộc, trà Thái Nguyên và gốm Bát Tràng.' : 'Single-origin coffee, Thái Nguyên tea and Bát Tràng ceramics.'}</p></div>
</section>
<h2>${t.all}</h2>
<div class="cats">${(Object.keys(CATEGORIES) as Category[]).map((c) => `<a class="cat thumb-${c}" href="/c/${c}"><span>${CATEGORIES[c].emoji}</span>${esc(CATEGORIES[c][ctx.lang])}</a>`).join('')}</div>
<h2>${t.recent}</h2>
<div class="grid">${PRODUCTS.slice(0, 8).map((p) => card(p, ctx.lang)).join('')}</div>`;
}

export function categoryPage(ctx: PageCtx, c: Category) {
  return `<h1>${CATEGORIES[c].emoji} ${esc(CATEGORIES[c][ctx.lang])}</h1>
<div class="grid">${PRODUCTS.filter((p) => p.category === c).map((p) => card(p, ctx.lang)).join('')}</div>`;
}

export function productPage(ctx: PageCtx, p: Product) {
  return `<div class="pdp">
  <div class="thumb big thumb-${p.category}" aria-hidden="true">${p.emoji}</div>
  <div class="info">
    <p class="crumb"><a href="/c/${p.category}">${esc(CATEGORIES[p.category][ctx.lang])}</a></p>
    <h1>${esc(p.name[ctx.lang])}</h1>
    <p class="price big">${vnd(p.price, ctx.lang)}</p>
    <p>${esc(p.blurb[ctx.lang])}</p>
    <button class="add primary" data-add="${p.id}">${T[ctx.lang].add}</button>
  </div>
  <aside data-idic-placement="product-side"></aside>
</div>`;
}

export function cartPage(ctx: PageCtx) {
  const t = T[ctx.lang];
  return `<h1>🛒 ${t.cart}</h1>
<div id="cart" data-empty="${esc(t.empty)}" data-total="${esc(t.total)}" data-catalog="${esc(JSON.stringify(Object.fromEntries(PRODUCTS.map((p) => [p.id, { name: p.name[ctx.lang], price: p.price, emoji: p.emoji }]))))}"></div>
${discountField(ctx)}
<button id="checkout" class="primary" hidden>${t.checkout}</button>
<p id="checkout-error" class="error" role="alert" data-testid="checkout-error"></p>
<div data-idic-placement="cart-recs"></div>`;
}

export function thanksPage(ctx: PageCtx, orderId: string) {
  return `<div class="thanks"><h1>🎉 ${T[ctx.lang].thanks}</h1><p>#${esc(orderId)}</p><p><a href="/">← Phin &amp; Leaf</a></p></div>
<div data-idic-placement="loyalty-thanks"></div>`;
}

export function loginPage(ctx: PageCtx, users: { id: string; name: string }[]) {
  return `<div class="login"><h1>${T[ctx.lang].pick}</h1>
<form method="post" action="/login">
${users.map((u, i) => `<label class="who"><input type="radio" name="user" value="${esc(u.id)}" ${i === 0 ? 'checked' : ''}> ${esc(u.name)} <small>${esc(u.id)}</small></label>`).join('')}
<button class="primary" data-testid="login-submit">${T[ctx.lang].login}</button>
</form></div>`;
}

// Loyalty: the member link opens the widget's member panel; the discount field takes a reward code,
// which the shop's server checks with the collector (verify on apply, consume on checkout).
const L = {
  en: { member: 'My rewards', code: 'Discount code', apply: 'Apply' },
  vi: { member: 'Ưu đãi của tôi', code: 'Mã giảm giá', apply: 'Áp dụng' },
};

function memberLink(ctx: PageCtx) {
  return `<button type="button" class="link member-link" data-member data-testid="member-link">★ ${L[ctx.lang].member}</button>`;
}

function discountField(ctx: PageCtx) {
  const l = L[ctx.lang];
  return `<form id="discount" class="discount" hidden>
  <label for="discount-code">${l.code}</label>
  <input id="discount-code" name="code" autocomplete="off" spellcheck="false" data-testid="discount-code">
  <button type="submit" class="link" data-testid="discount-apply">${l.apply}</button>
  <p id="discount-result" role="status" data-testid="discount-result"></p>
</form>`;
}

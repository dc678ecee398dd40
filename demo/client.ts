/**
 * The demo shop's own page script (bundled to dist/demo-shop.js). It talks to idic only through
 * the public queue API `idic(method, …args)`, the way any shop would.
 */
type Cart = Record<string, number>;
type IdicQueue = ((method: string, ...args: unknown[]) => unknown) & { q?: unknown[][] };

const w = window as unknown as { idic?: IdicQueue };
const idic: IdicQueue = (method, ...args) => {
  const api = w.idic;
  if (typeof api === 'function') return api(method, ...args);
  if (api && typeof (api as any)[method] === 'function') return (api as any)[method](...args);
};

const CART_KEY = 'demo_cart';
const readCart = (): Cart => { try { return JSON.parse(localStorage.getItem(CART_KEY) ?? '{}'); } catch { return {}; } };
const writeCart = (c: Cart) => { localStorage.setItem(CART_KEY, JSON.stringify(c)); renderCount(); };
const renderCount = () => {
  const el = document.getElementById('cart-count');
  if (el) el.textContent = String(Object.values(readCart()).reduce((a, b) => a + b, 0));
};

const data = document.body.dataset;
const lang = document.documentElement.lang === 'en' ? 'en-US' : 'vi-VN';
const vnd = (n: number) => new Intl.NumberFormat(lang, { style: 'currency', currency: 'VND' }).format(n);

// Identity: the shop's server put the logged-in customer and their HMAC in a meta tag.
const me = document.querySelector<HTMLMetaElement>('meta[name="idic-user"]');
if (me) idic('identify', me.content, { name: me.dataset.name, email: me.dataset.email }, { userHash: me.dataset.hash });
if (location.search.includes('logout=1')) idic('reset');

if (data.page === 'category') idic('track', 'Product List Viewed', { category: data.category });
if (data.page === 'product') idic('track', 'Product Viewed', { product_id: data.product, category: data.category, price: Number(data.price), name: data.name, currency: 'VND' });

document.addEventListener('click', (e) => {
  const btn = (e.target as Element).closest<HTMLElement>('[data-add]');
  if (!btn) return;
  const id = btn.dataset.add!;
  const cart = readCart();
  cart[id] = (cart[id] ?? 0) + 1;
  writeCart(cart);
  const card = btn.closest<HTMLElement>('[data-category]');
  idic('track', 'Product Added', { product_id: id, category: card?.dataset.category ?? data.category, quantity: 1, currency: 'VND' });
  btn.textContent = '✓';
});

async function renderCart() {
  const el = document.getElementById('cart');
  const checkout = document.getElementById('checkout') as HTMLButtonElement | null;
  if (!el || !checkout) return;
  const cart = readCart();
  const ids = Object.keys(cart);
  if (!ids.length) { el.textContent = el.dataset.empty ?? ''; return; }
  // Names and prices in the page's language, from the catalogue the cart page carries.
  const catalog = JSON.parse(el.dataset.catalog ?? '{}') as Record<string, { name: string; price: number; emoji: string }>;
  const list = document.createElement('ul');
  list.className = 'cart-lines';
  let sum = 0;
  for (const id of ids) {
    const p = catalog[id];
    if (!p) continue;
    sum += p.price * cart[id];
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = `${p.emoji} ${p.name} × ${cart[id]}`;
    const price = document.createElement('span');
    price.className = 'price';
    price.textContent = vnd(p.price * cart[id]);
    li.append(name, price);
    list.append(li);
  }
  const total = document.createElement('p');
  total.className = 'cart-total';
  total.textContent = `${el.dataset.total}: ${vnd(sum)}`;
  el.replaceChildren(list, total);
  checkout.hidden = false;
  discountForm(ids.map((id) => ({ id, qty: cart[id] })));
  checkout.onclick = async () => {
    checkout.disabled = true;
    await idic('flush');
    const code = (document.getElementById('discount-code') as HTMLInputElement | null)?.value.trim() || undefined;
    const res = await fetch('/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: ids.map((id) => ({ id, qty: cart[id] })), code }) });
    const out = await res.json();
    // Said beside the button, not in a dialog that stops the page: a code that does not apply
    // yet can be changed or cleared, and the order placed.
    const said = document.getElementById('checkout-error');
    if (!res.ok) { checkout.disabled = false; if (said) said.textContent = out.error; return; }
    writeCart({});
    location.href = `/thanks/${out.orderId}`;
  };
}

renderCount();
void renderCart();

// Loyalty: "My rewards" opens the member panel; the discount field asks the shop's server to check a code.
document.querySelector('[data-member]')?.addEventListener('click', () => idic('loyalty', true));

function discountForm(items: { id: string; qty: number }[]) {
  const form = document.getElementById('discount') as HTMLFormElement | null;
  const out = document.getElementById('discount-result');
  if (!form || !out) return;
  form.hidden = false;
  form.onsubmit = async (e) => {
    e.preventDefault();
    const code = (form.elements.namedItem('code') as HTMLInputElement).value.trim();
    const res = await fetch('/discount', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items, code }) });
    const r = await res.json();
    out.textContent = res.ok ? `−${vnd(r.amount)} → ${vnd(r.total)}` : r.error;
    out.dataset.ok = String(res.ok);
  };
}

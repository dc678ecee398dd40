/** Automatic page views (including History API navigation) and declarative click tracking. */

/**
 * Call `onPage` whenever the path or query changes through pushState, replaceState or popstate.
 * replaceState is watched too because routers use it for redirects, but a call that keeps the
 * same URL (scroll or state bookkeeping) is not a new page.
 * @returns a function that stops watching.
 */
export function watchPages(onPage: () => void): () => void {
  const where = () => location.pathname + location.search;
  let last = where();
  const check = () => {
    if (where() != last) (last = where()), onPage();
  };
  const h = history;
  const originals = [h.pushState, h.replaceState];
  originals.forEach((fn, i) => {
    (h as any)[i ? 'replaceState' : 'pushState'] = function (this: History, ...args: any[]) {
      const r = fn.apply(this, args as any);
      check();
      return r;
    };
  });
  addEventListener('popstate', check);
  return () => {
    [h.pushState, h.replaceState] = originals;
    removeEventListener('popstate', check);
  };
}

/**
 * Properties from an element's `data-idic-*` attributes: `data-idic-product-id="42"` → `{ product_id: 42 }`
 * (snake_case like Segment's e-commerce spec; numeric text becomes a number).
 */
export function attributeProperties(el: Element): Record<string, string | number> {
  const props: Record<string, string | number> = {};
  for (const { name, value } of Array.from(el.attributes)) {
    if (name.startsWith('data-idic-') && name != 'data-idic-event') {
      props[name.slice(10).replace(/-/g, '_')] = value.trim() && !isNaN(+value) ? +value : value;
    }
  }
  return props;
}

/**
 * Track clicks on (or inside) elements that carry `data-idic-event="Event Name"`.
 * @example <button data-idic-event="Product Added" data-idic-product-id="42">Add</button>
 * @returns a function that stops watching.
 */
export function watchClicks(onClick: (event: string, properties: Record<string, string | number>) => void): () => void {
  const listener = (e: Event) => {
    const t = e.target;
    const el = t instanceof Element && t.closest('[data-idic-event]');
    if (el) onClick(el.getAttribute('data-idic-event')!, attributeProperties(el));
  };
  document.addEventListener('click', listener, true);
  return () => document.removeEventListener('click', listener, true);
}

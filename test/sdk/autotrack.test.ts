// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example/home"}
import { beforeEach, describe, expect, it } from 'vitest';
import { clientsPerTest, freshDevice, sleep, type FakeCollector } from './fake-collector.ts';

let collector: FakeCollector;
const { start } = clientsPerTest({ autoPageviews: true });
const pages = () => collector.events().filter((e) => e.type == 'page').map((e) => e.properties.path + (e.properties.url.split('?')[1] ? '?' + e.properties.url.split('?')[1] : ''));

beforeEach(() => {
  collector = freshDevice();
  history.replaceState(null, '', '/home');
  document.body.innerHTML = '';
});

describe('automatic page views', () => {
  it('records the landing page and each History API navigation, once per URL change', async () => {
    const c = start();
    history.pushState(null, '', '/coffee');
    history.replaceState({ scroll: 10 }, '', '/coffee'); // same URL: not a page view
    history.pushState(null, '', '/coffee?sort=price');
    history.replaceState(null, '', '/tea'); // a router redirect is one
    history.back();
    await sleep(30);
    dispatchEvent(new PopStateEvent('popstate'));
    await c.flush();
    const seen = pages();
    expect(seen.slice(0, 4)).toEqual(['/home', '/coffee', '/coffee?sort=price', '/tea']);
    expect(seen.length).toBe(5); // back() lands on /coffee (/tea replaced the ?sort entry) once, however many popstates
    expect(seen[4]).toBe('/coffee');
    const landing = collector.events()[0];
    expect(landing.context.page).toMatchObject({ path: '/home', url: 'https://shop.example/home' });
  });

  it('stops watching on destroy and restores the History API', async () => {
    const push = history.pushState;
    const c = start();
    expect(history.pushState).not.toBe(push);
    c.destroy();
    expect(history.pushState).toBe(push);
  });

  it('sends no page views when analytics consent is denied', async () => {
    const c = start({ consent: { analytics: 'denied' } });
    history.pushState(null, '', '/coffee');
    await sleep(30);
    await c.flush();
    expect(collector.requests.filter((r) => r.path == '/v1/batch')).toEqual([]);
  });
});

describe('click tracking', () => {
  it('tracks clicks on and inside data-idic-event elements with their data-idic-* properties', async () => {
    document.body.innerHTML = `
      <button data-idic-event="Product Added" data-idic-product-id="p-7" data-idic-price="120000"><span id="inner">Add</span></button>
      <a id="plain" href="#">plain</a>`;
    const c = start({ autoPageviews: false, clickTracking: true });
    (document.getElementById('inner') as HTMLElement).click();
    (document.getElementById('plain') as HTMLElement).click();
    await c.flush();
    expect(collector.events().map((e) => [e.event, e.properties])).toEqual([['Product Added', { product_id: 'p-7', price: 120000 }]]);
  });

  it('is off unless enabled', async () => {
    document.body.innerHTML = `<button id="b" data-idic-event="Clicked">x</button>`;
    const c = start({ autoPageviews: false });
    (document.getElementById('b') as HTMLElement).click();
    await c.flush();
    expect(collector.events()).toEqual([]);
  });

  it('sends nothing while analytics consent is pending in opt-in mode', async () => {
    document.body.innerHTML = `<button id="b" data-idic-event="Clicked">x</button>`;
    start({ autoPageviews: false, clickTracking: true, consent: { mode: 'opt-in' } });
    (document.getElementById('b') as HTMLElement).click();
    await sleep(30);
    expect(collector.requests).toEqual([]);
  });
});

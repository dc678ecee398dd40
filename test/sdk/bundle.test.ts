// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example/", "settings": {"enableJavaScriptEvaluation": true, "suppressInsecureJavaScriptEnvironmentWarning": true}}
/** The built script-tag bundle, run as a page runs it: settings from its data-* attributes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDevice, type FakeCollector } from './fake-collector.ts';
import { buildEntry } from './build.ts';
import { SNIPPET_MIN } from '../../sdk/snippet.ts';

let code: string;
let collector: FakeCollector;
beforeAll(async () => {
  code = await buildEntry('sdk/browser.ts');
  collector = freshDevice();
});

describe('dist/idic.js in a page', () => {
  it('starts from data-* attributes, replays the snippet queue and installs window.idic', async () => {
    // The loader snippet ran first and queued a call.
    new Function('window', 'document', SNIPPET_MIN)(window, { createElement: () => ({ dataset: {} }), head: { appendChild() {} } });
    (window as any).idic('track', 'Queued before load', { n: 1 });
    const s = document.createElement('script');
    s.dataset.writeKey = 'wk_tag';
    s.dataset.host = 'https://collect.test';
    s.dataset.consent = 'opt-out';
    s.dataset.flushInterval = '5';
    // The page's window shares the test's fetch (the fake collector).
    s.textContent = 'window.fetch = globalThis.fetch;' + code;
    document.head.appendChild(s);
    const idic = (window as any).idic;
    expect(typeof idic).toBe('function');
    await idic.track('After load');
    expect(await idic.flush()).toBe(true);
    expect(collector.events().map((e) => e.event ?? e.type)).toEqual(['page', 'Queued before load', 'After load']);
    expect(collector.sent()[0].body.writeKey).toBe('wk_tag');
    expect(idic.debug).toMatchObject({ sent: 3, queued: 0, dropped: 0 });
    expect(idic.consent()).toEqual({ analytics: 'granted', personalization: 'granted' });
  });
});

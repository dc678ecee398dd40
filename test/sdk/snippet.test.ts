// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example/"}
import { afterAll, describe, expect, it } from 'vitest';
import { freshDevice } from './fake-collector.ts';
import { SNIPPET, SNIPPET_MIN, snippet } from '../../sdk/snippet.ts';

const collector = freshDevice();
afterAll(() => (window as any).idic?.destroy?.());

/** Run a snippet text as the page would, with a document whose createElement records the script. */
function runSnippet(code: string) {
  const scripts: any[] = [];
  const doc = { createElement: () => ({ dataset: {} }), head: { appendChild: (s: any) => scripts.push(s) } };
  new Function('window', 'document', code)(window, doc);
  return scripts;
}

describe('loader snippet', () => {
  it('readable and minified forms behave the same: async script with the write key, and a queue', () => {
    for (const code of [SNIPPET, SNIPPET_MIN]) {
      delete (window as any).idic;
      const [s] = runSnippet(code.replace("'SDK_URL'", "'https://c.example/idic.js'").replace("'WRITE_KEY'", "'wk_1'"));
      expect(s).toMatchObject({ async: 1, src: 'https://c.example/idic.js', dataset: { writeKey: 'wk_1' } });
      (window as any).idic('track', 'A', { n: 1 });
      expect((window as any).idic.q).toEqual([['track', 'A', { n: 1 }]]);
    }
  });

  it('snippet() fills in the URL and write key as safe JS strings', () => {
    const code = snippet('https://c.example/idic.js', "wk_'1");
    expect(code).toContain(`"https://c.example/idic.js","wk_'1"`);
    expect(() => new Function(code)).not.toThrow();
  });

  it('the SDK replays calls queued before it loaded, in order, init included', async () => {
    delete (window as any).idic;
    runSnippet(SNIPPET_MIN);
    const idic = (window as any).idic;
    idic('track', 'First');
    idic('identify', 'cust-1', { tier: 'gold' });
    idic('track', 'Second', { n: 2 });
    idic('init', { writeKey: 'wk_snip', host: 'https://collect.test', autoPageviews: false, flushInterval: 5 });
    await import('../../sdk/browser.ts');
    const api = (window as any).idic;
    expect(api).not.toBe(idic);
    // Both call styles work once loaded.
    api('track', 'Third');
    await api.track('Fourth');
    expect(await api.flush()).toBe(true);
    const events = collector.events();
    expect(events.map((e) => e.event ?? e.type)).toEqual(['First', 'identify', 'Second', 'Third', 'Fourth']);
    expect(events[2]).toMatchObject({ userId: 'cust-1', properties: { n: 2 } });
    expect(collector.sent()[0].body.writeKey).toBe('wk_snip');
    expect(api.debug.sent).toBe(5);
  });
});

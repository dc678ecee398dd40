import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Issue 2's budget for dist/idic-widget.js, Preact included, for the product's whole life. */
const BUDGET = 10 * 1024;

describe('widget bundle size', () => {
  it(`stays within ${BUDGET} bytes gzipped, Preact included`, () => {
    execFileSync('node', ['test/widget/build.mjs']);
    const code = readFileSync('dist/idic-widget.js');
    const gz = gzipSync(code, { level: 9 }).length;
    console.log(`dist/idic-widget.js: ${code.length} B, ${gz} B gzipped (budget ${BUDGET}, ${BUDGET - gz} B left)`);
    expect(gz).toBeLessThanOrEqual(BUDGET);
    // Nothing a strict CSP (no 'unsafe-eval') would refuse.
    expect(/\beval\(|new Function|setTimeout\(["'`]/.test(code.toString())).toBe(false);
  });

  it('never hands offer content to the HTML parser', () => {
    // Preact itself supports dangerouslySetInnerHTML; the widget's own sources must never use it.
    for (const f of readdirSync('widget')) {
      expect(/dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(readFileSync(`widget/${f}`, 'utf8')), f).toBe(false);
    }
  });
});

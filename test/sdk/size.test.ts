/**
 * The SDK's lifetime budget: dist/idic.js ≤ 6 KB gzipped. Built here in memory with the project's
 * own rollup config (the same bytes `npx rollup -c` writes), so the check never reads a stale file.
 * Print the figure with: npx vitest run test/sdk/size.test.ts
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { buildEntry as build } from './build.ts';

const BUDGET = 6 * 1024;

describe('bundle size', () => {
  it(`dist/idic.js stays within ${BUDGET} bytes gzipped`, async () => {
    const code = await build('sdk/browser.ts');
    const gz = gzipSync(code, { level: 9 }).length;
    console.log(`dist/idic.js: ${code.length} bytes, ${gz} bytes gzipped (budget ${BUDGET}, ${BUDGET - gz} left)`);
    expect(gz).toBeLessThanOrEqual(BUDGET);
  });

  it('ships no zod and no collector code', async () => {
    const code = await build('sdk/browser.ts');
    expect(code).not.toMatch(/zod|ZodError|safeParse/);
    expect(code).toContain('/v1/batch');
  });
});

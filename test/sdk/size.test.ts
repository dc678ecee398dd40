/**
 * The SDK's lifetime budget: dist/idic.js ≤ 6 KB gzipped. Built here in memory with the project's
 * own rollup config (the same bytes `npx rollup -c` writes), so the check never reads a stale file.
 * Print the figure with: npx vitest run test/sdk/size.test.ts
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { rollup, type RollupOptions, type OutputOptions } from 'rollup';

const BUDGET = 6 * 1024;

async function build(input: string) {
  const configs: RollupOptions[] = (await import(new URL('../../rollup.config.mjs', import.meta.url).href)).default;
  const config = configs.find((c) => c.input == input)!;
  const bundle = await rollup({ ...config, onwarn: () => {} });
  const { output } = await bundle.generate(config.output as OutputOptions);
  await bundle.close();
  return output[0].code;
}

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

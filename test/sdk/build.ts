/** Builds an entry in memory with the project's own rollup config: the bytes `npx rollup -c` writes. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rollup, type OutputOptions, type RollupOptions } from 'rollup';

export async function buildEntry(input: string): Promise<string> {
  const configs: RollupOptions[] = (await import(pathToFileURL(resolve(import.meta.dirname, '../../rollup.config.mjs')).href)).default;
  const config = configs.find((c) => c.input == input)!;
  const bundle = await rollup({ ...config, onwarn: () => {} });
  const { output } = await bundle.generate(config.output as OutputOptions);
  await bundle.close();
  return output[0].code;
}

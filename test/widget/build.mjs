// Builds only dist/idic-widget.js with the options of rollup.config.mjs, so widget tests do not
// depend on the SDK entries. Skips the build when the bundle is newer than every widget source;
// writes through a temp file and rename so parallel test files never read half a bundle.
// Usage: node test/widget/build.mjs [--force]
import { existsSync, readdirSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rollup } from 'rollup';
import config from '../../rollup.config.mjs';

const widget = config.find((c) => c.input === 'widget/index.tsx');
const out = widget.output.file;
const newest = Math.max(...['widget', 'collector/protocol.ts', 'rollup.config.mjs'].flatMap((p) =>
  statSync(p).isDirectory() ? readdirSync(p).map((f) => statSync(join(p, f)).mtimeMs) : [statSync(p).mtimeMs]));

if (process.argv.includes('--force') || !existsSync(out) || statSync(out).mtimeMs < newest) {
  const bundle = await rollup({ input: widget.input, plugins: widget.plugins });
  const { output } = await bundle.generate({ ...widget.output, sourcemap: true });
  await bundle.close();
  mkdirSync(dirname(out), { recursive: true });
  const chunk = output.find((o) => o.type === 'chunk');
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(`${tmp}.map`, chunk.map.toString());
  renameSync(`${tmp}.map`, `${out}.map`);
  writeFileSync(tmp, chunk.code);
  renameSync(tmp, out);
}

// Build the marketer console: code-split ESM, minified, into dist/console/.
// `console.js` is the entry (shell, sign-in, navigation); each page is its own chunk, and zod
// comes only with the offer editor. Run: node collector/console/build.mjs
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;
rmSync(`${root}dist/console`, { recursive: true, force: true });

/**
 * zod's `z` namespace re-exports every locale (`z.locales`, ~150 KB minified) and esbuild cannot
 * drop members of a namespace object. The console never switches zod's locale (offer messages
 * are written in the schema; English is built into zod's schemas.js), so that one re-export is
 * replaced by an empty module.
 */
const zodWithoutLocales = {
  name: 'zod-without-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) => (/zod[\\/]v4[\\/](classic|core)/.test(a.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {}', loader: 'js' }));
  },
};

export const result = await build({
  plugins: [zodWithoutLocales],
  absWorkingDir: root,
  entryPoints: [{ in: 'collector/console/ui/main.tsx', out: 'console' }, { in: 'collector/console/ui/console.css', out: 'console' }],
  outdir: 'dist/console',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
});

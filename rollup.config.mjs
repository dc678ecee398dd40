// Browser bundles (SDK, widget, console) and the collector for Node, transpiled with esbuild.
// typescript@7 has no JS API, so type-checking is `tsc --noEmit` and never part of the bundle step.
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const browser = (minify = true) => [
  nodeResolve({ browser: true, extensions: ['.ts', '.tsx', '.mjs', '.js'] }),
  esbuild({
    target: 'es2020',
    minify,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    // Short private names: properties starting with `_` are mangled (Preact's habit).
    mangleProps: /^_[a-z]/,
    define: { 'process.env.NODE_ENV': '"production"' },
  }),
];

export default [
  {
    input: 'sdk/browser.ts',
    output: { file: 'dist/idic.js', format: 'iife', sourcemap: true },
    plugins: browser(),
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/idic.esm.js', format: 'es', sourcemap: true },
    plugins: browser(),
  },
  {
    input: 'demo/client.ts',
    output: { file: 'dist/demo-shop.js', format: 'iife', sourcemap: true },
    plugins: browser(),
  },
  {
    input: 'widget/index.tsx',
    output: { file: 'dist/idic-widget.js', format: 'iife', sourcemap: true },
    plugins: browser(),
  },
];

#!/usr/bin/env node
// The `idic` command. Runs the TypeScript sources through tsx so `npx idic …` works in a fresh
// clone with no build step; `npm run build` also emits dist/collector/cli.js for production.
import { register } from 'tsx/esm/api';
register();
await import('../collector/cli/main.ts');

/** The console bundle: code-split per page, entry chunk budgeted (gzipped), zod only in the editor. */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const DIR = 'dist/console';
const gz = (f: string) => gzipSync(readFileSync(join(DIR, f)), { level: 9 }).length;
/** The entry and every chunk it imports statically (what the first paint needs). */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = readFileSync(join(DIR, file), 'utf8');
  for (const m of src.matchAll(/(?:import|from)\s*"\.\/?((?:chunks\/)?[\w-]+\.js)"/g)) {
    const dep = file.startsWith('chunks/') && !m[1].startsWith('chunks/') ? 'chunks/' + m[1] : m[1];
    closure(dep, seen);
  }
  return seen;
}

describe('console bundle', () => {
  beforeAll(() => execFileSync('node', ['collector/console/build.mjs'], { stdio: 'inherit' }), 60_000);

  it('keeps the entry (shell + preact + strings) under 30 KB gzipped, without zod', () => {
    const files = [...closure('console.js')];
    const size = files.reduce((s, f) => s + gz(f), 0);
    console.log(`console entry closure: ${files.length} files, ${(size / 1024).toFixed(1)} KB gz`);
    expect(size).toBeLessThan(30 * 1024);
    expect(files.map((f) => readFileSync(join(DIR, f), 'utf8')).join('')).not.toContain('ZodError');
  });

  it('splits every page into its own chunk, and keeps the offer editor (zod + widget) under 70 KB gzipped', () => {
    const chunks = readdirSync(join(DIR, 'chunks')).filter((f) => f.endsWith('.js'));
    for (const page of ['overview', 'offers', 'offer-editor', 'customers', 'experiments', 'data', 'settings', 'loyalty-rules']) expect(chunks.some((c) => c.startsWith(page + '-'))).toBe(true);
    const of = (page: string) => 'chunks/' + chunks.find((c) => c.startsWith(page + '-'))!;
    // zod is shared by the offer editor and the loyalty rules editor: count every file opening
    // the editor downloads beyond what the entry already loaded.
    const entry = closure('console.js');
    const editor = [...closure(of('offer-editor'))].filter((f) => !entry.has(f));
    const size = editor.reduce((s, f) => s + gz(f), 0);
    console.log(`offer editor download: ${editor.length} files, ${(size / 1024).toFixed(1)} KB gz`);
    expect(size).toBeLessThan(70 * 1024);
    expect(readFileSync(join(DIR, of('offer-editor')), 'utf8')).toContain('idic-offer');
    const text = (page: string) => [...closure(of(page))].map((f) => readFileSync(join(DIR, f), 'utf8')).join('');
    // The settings and customers pages load without zod; the rules editor brings it when opened.
    expect(text('settings')).not.toContain('ZodError');
    expect(text('customers')).not.toContain('ZodError');
    expect(text('loyalty-rules')).toContain('ZodError');
  });
});

/**
 * Real collector processes (`node bin/idic.mjs serve`) for multi-instance and shutdown tests,
 * and a small keep-alive HTTP client to drive them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/idic.mjs', import.meta.url));

export interface Instance { url: string; child: ChildProcess; stderr: string[]; exited: Promise<{ code: number | null; at: number }> }

/**
 * Start one collector on a free port; resolves once it listens. IDIC_COLLECTOR_NODE_ARGS adds
 * node flags for profiling a benchmark's collectors (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
export function startInstance(env: Record<string, string>, args: string[] = []): Promise<Instance> {
  const nodeArgs = process.env.IDIC_COLLECTOR_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, IDIC_LOG: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.push(d));
  const exited = new Promise<{ code: number | null; at: number }>((r) => child.once('exit', (code) => r({ code, at: Date.now() })));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`collector did not start: ${stderr.join('')}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) { clearTimeout(timer); resolve({ url: m[1], child, stderr, exited }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`collector exited with ${code}: ${stderr.join('')}`)); });
  });
}

export const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer { status: number; body: any }

/** One JSON request over a keep-alive connection. Rejects on network errors (no answer). */
export function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(base + path, {
      method, agent, headers: { 'content-type': 'application/json', ...(data ? { 'content-length': String(data.length) } : {}), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

export const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Poll `check` until it is true; returns the ms it took, or throws after `limitMs`. */
export async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > limitMs) throw new Error(`not true within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

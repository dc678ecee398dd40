/** Load from a second process with wrk (Debian package `wrk`): unique messageIds per request via Lua. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasWrk(): boolean {
  try { execFileSync('wrk', ['--version'], { stdio: 'ignore' }); return true; } catch (e) { return (e as { status?: number }).status === 1; }
}

/**
 * A Lua script that POSTs `events` events per request, each with a unique messageId. By default
 * every event names another of 5,000 visitors (a server library batching many users); with
 * `oneVisitor` a request's events all come from one visitor (a browser SDK's batch).
 */
export function ingestScript(writeKey: string, events: number, path: string, oneVisitor = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'idic-wrk-'));
  const file = join(dir, 'ingest.lua');
  writeFileSync(file, `
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local prefix = tostring(math.random(1, 1e9))
request = function()
  counter = counter + 1
  local items = {}
  for i = 1, ${events} do
    local visitor = ${oneVisitor ? 'counter % 5000' : `(counter * ${events} + i) % 5000`}
    items[i] = string.format('{"type":"track","event":"Product Viewed","anonymousId":"v-%d","messageId":"%s-%d-%d","properties":{"category":"coffee","price":185000}}', visitor, prefix, counter, i)
  end
  local body
  if ${events} == 1 and "${path}" ~= "/v1/batch" then
    body = string.sub(items[1], 1, -2) .. ',"writeKey":"${writeKey}"}'
  else
    body = '{"writeKey":"${writeKey}","batch":[' .. table.concat(items, ",") .. ']}'
  end
  return wrk.format(nil, "${path}", nil, body)
end
`);
  return file;
}

export function helloScript(): string {
  const dir = mkdtempSync(join(tmpdir(), 'idic-wrk-'));
  const file = join(dir, 'hello.lua');
  writeFileSync(file, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = '{"type":"track","event":"Product Viewed","anonymousId":"v-1","messageId":"x","properties":{"category":"coffee"}}'\n`);
  return file;
}

export interface WrkResult { requestsPerSec: number; p50ms: number; p99ms: number; non2xx: number }

export function runWrk(url: string, script: string, seconds: number, connections = 16): WrkResult {
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const ms = (label: string) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { requestsPerSec: rps, p50ms: ms('50%'), p99ms: ms('99%'), non2xx };
}

/**
 * Bundle the collector from the current source into a private file (test-results/ is git-ignored
 * and sits beside node_modules), so a benchmark measures this tree, never a stale shared dist/.
 */
export async function buildCollector(): Promise<string> {
  // @ts-expect-error — a plain .mjs build script, without type declarations
  const { buildCollector: build } = await import('../../collector/build.mjs');
  return build(`test-results/bench/collector-${process.pid}`, { sourcemap: false }) as Promise<string>;
}

/** `IDIC_BENCH_PROF=<dir>` runs the server under --cpu-prof (written on its clean SIGTERM exit). */
export function profileArgs(): string[] {
  const dir = process.env.IDIC_BENCH_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

export async function startProcess(args: string[], ready: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes(ready) && resolve());
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return child;
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc: on a shared, loaded machine
 * the server's CPU per request is a steadier figure than requests per second. NaN off Linux.
 */
export function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Serving the collector on Node with @hono/node-server, with graceful shutdown: on
 * SIGTERM/SIGINT mark the instance not ready (the load balancer stops routing to it), stop
 * accepting connections, let in-flight requests finish (acknowledged work is committed before
 * its 2xx), close the store, and exit within 10 s.
 */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Store } from './store/types.ts';
import { logRequest, type Log, type LogLevel } from './ops/observe.ts';
import { logLevelFrom } from './ops/index.ts';
import type { Metrics } from './ops/metrics.ts';
import { watchRuntime } from './ops/runtime.ts';

export interface Running { url: string; port: number; close(): Promise<void> }

export interface ListenOptions {
  port: number;
  hostname?: string;
  /** Where structured log lines go (default: one JSON line each on stderr). */
  log?: Log;
  /** Request log level; default from `IDIC_LOG` (info | error | off), else info. */
  logLevel?: LogLevel;
  /** Connections still open this long after close are cut (ms); the process exits at 10 s. */
  forceAfterMs?: number;
}

/**
 * One JSON line per entry on stderr. Request lines are buffered and written every 100 ms (or at
 * 64 KB): under load a write per request — or per turn of the event loop, about the same — is
 * thousands of write syscalls a second, and stderr on a pipe writes synchronously; at 1,000
 * decisions/s that was 5 % of the server's CPU. Errors are written at once, with what was
 * buffered before them; lines still pending are written when the process exits. (A SIGKILL may
 * lose the last 100 ms of request lines; never an error line.)
 */
const FLUSH_MS = 100;
const FLUSH_BYTES = 64 * 1024;
let pendingLines: string[] = [];
let pendingBytes = 0;
let flushTimer: NodeJS.Timeout | null = null;
const flushLines = () => {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  if (!pendingLines.length) return;
  const text = pendingLines.join('');
  pendingLines = [];
  pendingBytes = 0;
  process.stderr.write(text);
};
process.on('exit', flushLines);
const stderrLog: Log = (e) => {
  const line = JSON.stringify(e) + '\n';
  pendingLines.push(line);
  pendingBytes += line.length;
  if (e.level === 'error' || pendingBytes >= FLUSH_BYTES) flushLines();
  else flushTimer ??= setTimeout(flushLines, FLUSH_MS).unref();
};

function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const q = url.indexOf('?', start);
  return q < 0 ? url.slice(start) : url.slice(start, q);
}

/** Serve `app`; closing drains it, stops the server, then closes `store` if one is given. */
export function listen(app: Hono, store: Store | null, options: ListenOptions): Promise<Running> {
  const log = options.log ?? stderrLog;
  const level = options.logLevel ?? logLevelFrom(process.env.IDIC_LOG);
  let draining = false;
  const ops = (app as { ops?: { metrics: Metrics; state: { draining: boolean } } }).ops;
  const fetch = async (req: Request, env: unknown) => {
    const start = performance.now();
    const res = await app.fetch(req, env as never);
    logRequest(log, level, req.method, pathOf(req.url), res.status, performance.now() - start);
    // Shutting down: each answer closes its connection. A client that reuses a keep-alive
    // connection back to back never leaves it idle, so only the force-close at 8 s would end it
    // and, with the store still to close, the exit could slip past 10 s.
    if (draining) {
      try {
        res.headers.set('connection', 'close');
      } catch {
        return new Response(res.body, { status: res.status, statusText: res.statusText, headers: [...res.headers, ['connection', 'close']] });
      }
    }
    return res;
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: options.port, hostname: options.hostname ?? '127.0.0.1' }, (info) => {
      server.off('error', failed);
      // GC pauses and event-loop delay in /metrics while this server runs.
      const runtime = ops ? (ops.metrics.runtime = watchRuntime()) : null;
      const url = `http://${options.hostname ?? '127.0.0.1'}:${info.port}`;
      let closing: Promise<void> | null = null;
      const close = () => closing ??= new Promise<void>((done) => {
        draining = true;
        if (ops) ops.state.draining = true;
        const s = server as unknown as { closeIdleConnections?(): void; closeAllConnections?(): void };
        // Keep-alive connections go as soon as their current response is sent.
        const idle = setInterval(() => s.closeIdleConnections?.(), 50);
        const force = setTimeout(() => s.closeAllConnections?.(), options.forceAfterMs ?? 8000);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(force);
          runtime?.stop();
          (store ? store.close() : Promise.resolve()).catch((err) => log({ level: 'error', msg: 'store close failed', error: String(err?.stack ?? err) })).finally(done);
        });
        s.closeIdleConnections?.();
      });
      resolve({ url, port: info.port, close });
    });
    // Port taken, unknown host: refuse to start, naming the address (the store is the caller's to close).
    const failed = (err: NodeJS.ErrnoException) => reject(Object.assign(new Error(`cannot listen on ${options.hostname ?? '127.0.0.1'}:${options.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`), { code: err.code }));
    server.once('error', failed);
  });
}

/** Exit cleanly on SIGTERM / SIGINT, at the latest 10 s after the signal. */
export function exitOnSignals(running: Running, log: (msg: string) => void = console.error) {
  const stop = (signal: string) => {
    log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
    setTimeout(() => process.exit(1), 10_000).unref();
    running.close().then(() => {
      log(JSON.stringify({ level: 'info', msg: 'stopped', signal }));
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * Serving the collector on Node with @hono/node-server, with graceful shutdown:
 * on SIGTERM/SIGINT stop accepting, finish in-flight requests (acknowledged work is already
 * committed), close the store, exit within 10 s.
 */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Store } from './store/types.ts';

export interface Running { url: string; port: number; close(): Promise<void> }

/** Serve `app`; closing stops the server, then closes `store` if one is given. */
export function listen(app: Hono, store: Store | null, options: { port: number; hostname?: string }): Promise<Running> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname ?? '127.0.0.1' }, (info) => {
      const url = `http://${options.hostname ?? '127.0.0.1'}:${info.port}`;
      let closing: Promise<void> | null = null;
      const close = () => closing ??= new Promise<void>((done) => {
        const force = setTimeout(() => (server as any).closeAllConnections?.(), 8000);
        server.close(() => { clearTimeout(force); (store ? store.close() : Promise.resolve()).finally(done); });
        (server as any).closeIdleConnections?.();
      });
      resolve({ url, port: info.port, close });
    });
  });
}

/** Exit cleanly on SIGTERM / SIGINT. */
export function exitOnSignals(running: Running, log: (msg: string) => void = console.error) {
  const stop = (signal: string) => {
    log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
    running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

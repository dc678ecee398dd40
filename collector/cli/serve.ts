/** idic serve [--port N] [--host H] [--db PATH] — the collector over HTTP, refitting the shop models in the background. */
import { createCollector } from '../app.ts';
import { listen, exitOnSignals } from '../server.ts';
import { dbFrom, parse, CliError } from './args.ts';
import { startRefit } from '../services/refit.ts';

export async function serveCommand(argv: string[]) {
  const { values } = parse(argv, { port: { type: 'string' }, host: { type: 'string' } });
  const given = values.port ?? (process.env.PORT || undefined);
  const port = given === undefined ? 8787 : /^\d{1,5}$/.test(given.trim()) ? Number(given) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new CliError(`--port must be a port number from 0 to 65535, got "${given}"`);
  const store = await dbFrom(values, { backgroundCheckpoints: true });
  const app = createCollector({ store, signingKey: process.env.IDIC_SIGNING_KEY });
  const refit = startRefit(app); // background refits of the shop model (services/refit.ts)
  const running = await listen(app, store, { port, hostname: values.host ?? process.env.HOST ?? '127.0.0.1' }).catch(async (e) => {
    await store.close();
    throw new CliError(e.message, 1);
  });
  console.log(JSON.stringify({ level: 'info', msg: 'collector listening', url: running.url }));
  // On SIGTERM no new refit starts; one under way gets 2 s to finish its pass, then the server
  // drains and the store closes (a page cut short is rolled back whole; the next start refits).
  exitOnSignals({
    ...running,
    close: async () => {
      await Promise.race([refit.stop(), new Promise((r) => setTimeout(r, 2000).unref())]);
      await running.close();
    },
  });
}

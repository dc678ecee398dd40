/** The ceiling: a Hono hello-world POST on the same server stack (@hono/node-server), in its own process. */
import { Hono } from 'hono';
import { serve } from '@hono/node-server';

const app = new Hono();
app.post('/hello', async (c) => c.json({ ok: true, n: JSON.stringify(await c.req.json()).length }));
serve({ fetch: app.fetch, port: Number(process.argv[2] ?? 8790), hostname: '127.0.0.1' }, (info) => console.log(`hello listening ${info.port}`));

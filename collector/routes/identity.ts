/**
 * Identity admin routes (mounted under /v1/admin; site secret key only):
 * - `POST   /import/customers`      CSV (text/csv) or NDJSON (application/x-ndjson), streamed → ImportReport
 * - `GET    /profiles/:id/export`   everything held about one customer, by any of their ids → CustomerExport
 * - `DELETE /profiles/:id`          erase one customer, by any of their ids → ErasureReport
 */
import { Hono, type Context } from 'hono';
import { HttpError } from '../http/errors.ts';
import { keyFromHeaders, type KeyResolver } from '../http/auth.ts';
import type { Site } from '../store/types.ts';
import type { Services } from '../services/context.ts';
import { findCustomer } from '../services/identity.ts';
import { csvRows, ImportFileError, ndjsonRows } from '../services/identity-import-parse.ts';
import { importCustomers } from '../services/identity-import.ts';
import { eraseCustomer, exportCustomer } from '../services/privacy.ts';

type Env = { Variables: { site: Site } };

/** An import body may be large, but not unbounded. */
export const IMPORT_MAX_BYTES = 256 * 1024 * 1024;

export function identityRoutes(deps: { svc: Services; keys: KeyResolver }) {
  const { svc, keys } = deps;
  const app = new Hono<Env>();

  // The same gate as the other admin routes: only the shop's server (secret key) may read or erase a customer.
  const trusted = async (c: Context<Env>, next: () => Promise<void>) => {
    const caller = await keys.resolve(keyFromHeaders(c));
    if (!caller.trusted) throw new HttpError(403, 'forbidden', 'admin routes need the site secret key, not the public write key');
    c.set('site', caller.site);
    await next();
  };
  app.use('/import/*', trusted);
  app.use('/profiles/*', trusted);

  const customerOr404 = async (site: Site, id: string) => {
    const p = await findCustomer(svc.store, site.id, id);
    if (!p) throw new HttpError(404, 'not_found', `no customer with id ${id.slice(0, 100)}`);
    return p;
  };

  app.post('/import/customers', async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    // text/plain is a CSV too, as for the orders import: what `curl --data-binary` and many tools send.
    const format = type === 'text/csv' || type === 'text/plain' ? 'csv' : type === 'application/x-ndjson' || type === 'application/jsonl' ? 'ndjson' : null;
    if (!format) throw new HttpError(415, 'unsupported_media_type', 'send text/csv (with a header row) or application/x-ndjson (one JSON object per line)');
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > IMPORT_MAX_BYTES) throw new HttpError(413, 'payload_too_large', `body is ${declared} bytes; the limit is ${IMPORT_MAX_BYTES}`);
    const body = c.req.raw.body;
    if (!body) throw new HttpError(400, 'empty_body', 'request body is empty');
    // Large exports travel compressed: inflated as they stream, the size limit on what comes out.
    const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
    if (encoding && encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'deflate') {
      throw new HttpError(415, 'unsupported_encoding', `content-encoding ${encoding.slice(0, 40)} is not supported; send gzip, deflate or none`);
    }
    const text = decodeStream(encoding === 'gzip' || encoding === 'deflate' ? body.pipeThrough(new DecompressionStream(encoding)) : body, IMPORT_MAX_BYTES);
    try {
      const report = await importCustomers(svc, c.get('site'), format === 'csv' ? csvRows(text) : ndjsonRows(text));
      if (report.rows === 0) throw new HttpError(400, 'empty_file', 'the file has no rows to import');
      return c.json(report);
    } catch (e) {
      if (e instanceof BodyUnreadable) throw new HttpError(400, 'invalid_encoding', `body is not valid ${encoding}`);
      if (e instanceof ImportFileError) throw new HttpError(400, 'invalid_file', e.message);
      if (e instanceof BodyTooLarge) throw new HttpError(413, 'payload_too_large', `${e.message}; rows before the limit were imported`);
      throw e;
    }
  });

  app.get('/profiles/:id/export', async (c) => {
    const site = c.get('site');
    const p = await customerOr404(site, c.req.param('id'));
    const data = await exportCustomer(svc.store, site, p, svc.clock.now());
    c.header('content-disposition', `attachment; filename="customer-${p.id}.json"`);
    return c.json(data);
  });

  app.delete('/profiles/:id', async (c) => {
    const site = c.get('site');
    const p = await customerOr404(site, c.req.param('id'));
    return c.json({ erased: true, ...(await eraseCustomer(svc.store, site, p.id)) });
  });

  return app;
}

class BodyTooLarge extends Error {}
class BodyUnreadable extends Error {}

/** UTF-8 text chunks of a request body, refusing more than `max` bytes. */
async function* decodeStream(body: ReadableStream<Uint8Array>, max: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw new BodyUnreadable();
      }
      const { done, value } = chunk;
      if (done) break;
      bytes += value.byteLength;
      if (bytes > max) throw new BodyTooLarge(`body is larger than ${max} bytes`);
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    reader.releaseLock();
  }
}

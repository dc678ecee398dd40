/** Reading a JSON body with a size limit, before anything else touches it. */
import type { Context } from 'hono';
import { gunzipSync, inflateSync } from 'node:zlib';
import { HttpError } from './errors.ts';
import { jsonShapeProblem, MAX_JSON_DEPTH } from '../json-shape.ts';

const tooLarge = (maxBytes: number, what = 'body') => new HttpError(413, 'payload_too_large', `${what} is larger than the limit of ${maxBytes} bytes`);

/** Server libraries (RudderStack's by default) gzip their batches; inflate with the same limit. */
function decode(raw: Buffer, encoding: string | undefined, maxBytes: number): string {
  if (!encoding || encoding === 'identity') return raw.toString('utf8');
  const inflate = encoding === 'gzip' ? gunzipSync : encoding === 'deflate' ? inflateSync : null;
  if (!inflate) throw new HttpError(415, 'unsupported_encoding', `content-encoding ${encoding.slice(0, 40)} is not supported; send gzip, deflate or none`);
  try {
    return inflate(raw, { maxOutputLength: maxBytes + 1 }).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /buffer/i.test((e as Error).message)) throw tooLarge(maxBytes, 'decompressed body');
    throw new HttpError(400, 'invalid_encoding', `body is not valid ${encoding}`);
  }
}

/**
 * The raw body, never more than `maxBytes` of it in memory. With a Content-Length the HTTP
 * parser delivers exactly that many bytes (checked against the limit first); a chunked body has
 * none, so it is read chunk by chunk and refused as soon as it passes the limit.
 */
export async function readLimited(c: Context, maxBytes: number): Promise<Buffer> {
  const length = c.req.header('content-length');
  if (length !== undefined && Number(length) > maxBytes) throw new HttpError(413, 'payload_too_large', `body is ${length.slice(0, 20)} bytes; the limit is ${maxBytes}`);
  try {
    if (length !== undefined || !c.req.raw.body) return Buffer.from(await c.req.arrayBuffer());
  } catch {
    throw new HttpError(400, 'unreadable_body', 'request body could not be read');
  }
  const reader = c.req.raw.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new HttpError(400, 'unreadable_body', 'request body could not be read');
    }
    if (chunk.done) return Buffer.concat(chunks, size);
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk.value);
  }
}

export async function readJson(c: Context, maxBytes: number): Promise<unknown> {
  const raw = await readLimited(c, maxBytes);
  if (raw.length > maxBytes) throw tooLarge(maxBytes);
  const text = decode(raw, c.req.header('content-encoding')?.trim().toLowerCase(), maxBytes);
  const bytes = text.length === raw.length ? raw.length : Buffer.byteLength(text);
  if (bytes > maxBytes) throw tooLarge(maxBytes, 'decompressed body');
  c.set('bodyBytes' as never, bytes as never);
  if (text.trim() === '') throw new HttpError(400, 'empty_body', 'request body is empty; send JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${(e as Error).message.slice(0, 120)}`);
  }
  const shape = jsonShapeProblem(value);
  if (shape === 'deep') throw new HttpError(400, 'too_deep', `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (shape === 'number') throw new HttpError(400, 'number_out_of_range', 'JSON holds a number too large for a double (such as 1e309)');
  return value;
}

/**
 * Read a CSV upload (text/csv or text/plain) of at most `maxBytes`: 415 for another type, 413 when
 * larger (saying where larger files go), 400 when empty.
 */
export async function readCsv(c: Context, maxBytes: number, largerFiles: string): Promise<string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'text/csv' && type !== 'text/plain') throw new HttpError(415, 'unsupported_media_type', 'send the file as text/csv');
  const tooBig = () => new HttpError(413, 'payload_too_large', `files up to ${Math.round(maxBytes / 1024 / 1024)} MB; ${largerFiles}`);
  let text: string;
  try {
    text = (await readLimited(c, maxBytes)).toString('utf8');
  } catch (e) {
    throw (e as HttpError).status === 413 ? tooBig() : e;
  }
  if (!text.trim()) throw new HttpError(400, 'empty_body', 'the file is empty');
  return text;
}

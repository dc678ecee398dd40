/** Reading a JSON body with a size limit, before anything else touches it. */
import type { Context } from 'hono';
import { HttpError } from './errors.ts';

export async function readJson(c: Context, maxBytes: number): Promise<unknown> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > maxBytes) throw new HttpError(413, 'payload_too_large', `body is ${declared} bytes; the limit is ${maxBytes}`);
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw new HttpError(400, 'unreadable_body', 'request body could not be read');
  }
  // Length in UTF-16 units bounds the byte size from below; check bytes only when close.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes)) {
    throw new HttpError(413, 'payload_too_large', `body is larger than the limit of ${maxBytes} bytes`);
  }
  if (text.trim() === '') throw new HttpError(400, 'empty_body', 'request body is empty; send JSON');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${(e as Error).message.slice(0, 120)}`);
  }
}

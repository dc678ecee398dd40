/** Every 4xx answer is compact JSON naming the problem: { error: { code, message, issues? } }. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorResponse } from '../protocol.ts';

export class HttpError extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string, readonly issues?: { path: string; message: string }[], readonly headers?: Record<string, string>) {
    super(message);
  }
}

export function zodIssues(err: ZodError, prefix = ''): { path: string; message: string }[] {
  return err.issues.slice(0, 20).map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)', message: i.message }));
}

export function invalid(err: ZodError, prefix = ''): HttpError {
  const issues = zodIssues(err, prefix);
  const first = issues[0];
  return new HttpError(400, 'invalid_request', first ? `${first.path}: ${first.message}` : 'invalid request', issues);
}

export function errorBody(e: HttpError): ErrorResponse {
  return { error: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) } };
}

export function respondError(c: Context, e: HttpError) {
  if (e.headers) for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
  return c.json(errorBody(e), e.status);
}

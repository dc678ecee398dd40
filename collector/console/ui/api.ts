/** The console's calls to its own API: JSON in and out, the CSRF token on every write. */

let csrf = '';
export const setCsrf = (t: string) => void (csrf = t);

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: { path: string; message: string }[] = []) { super(message); }
}

export async function api<T = any>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch('/v1/console' + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), credentials: 'same-origin' });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data.error?.code ?? 'error', data.error?.message ?? res.statusText, data.error?.issues);
  return data as T;
}

export interface Me { user: { id: string; email: string; role: 'owner' | 'marketer' | 'analyst' }; csrf: string; sites: { id: string; name: string; currency: string; locale: string }[] }

/**
 * POST a file and read an NDJSON answer line by line (the import's progress, then its report).
 * A refusal before the stream starts (400, 403, 413) throws like `api`.
 */
export async function apiLines(path: string, file: Blob, type: string, onLine: (line: any) => void): Promise<void> {
  const res = await fetch('/v1/console' + path, { method: 'POST', headers: { 'x-csrf-token': csrf, 'content-type': type }, body: file, credentials: 'same-origin' });
  if (!res.ok || !res.body) {
    const data = await res.json().catch(() => ({}));
    throw new ApiError(res.status, data.error?.code ?? 'error', data.error?.message ?? res.statusText, data.error?.issues);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += value;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) onLine(JSON.parse(line));
    }
    if (done) break;
  }
}

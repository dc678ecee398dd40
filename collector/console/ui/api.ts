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

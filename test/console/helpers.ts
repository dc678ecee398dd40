/** A collector with console accounts, and a cookie-keeping client for the console API. */
import { setup } from '../collector/helpers.ts';
import { createAccount, type Role } from '../../collector/console/accounts.ts';

export const PASSWORD = 'correct horse battery';

export async function consoleSetup(...args: Parameters<typeof setup>) {
  const t = await setup(...args);
  const account = (email: string, role: Role) => createAccount(t.store, { email, role, password: PASSWORD }, { newId: t.app.services.newId, now: t.now(), by: 'test' });
  /** Signs in and returns a client that sends the cookie, Origin and CSRF token like the UI. */
  const client = async (email: string, password = PASSWORD) => {
    const res = await t.app.request('http://localhost/v1/console/login', { method: 'POST', body: JSON.stringify({ email, password }), headers: { 'content-type': 'application/json', origin: 'http://localhost' } });
    const body = await res.json() as any;
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    /** `text` is sent as is (set its content-type in `headers`); `body` as JSON. */
    const call = (path: string, init: { method?: string; body?: unknown; text?: string; headers?: Record<string, string> } = {}) =>
      t.app.request('http://localhost/v1/console' + path, {
        method: init.method ?? 'GET', body: init.text ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
        headers: { 'content-type': 'application/json', cookie, origin: 'http://localhost', 'x-csrf-token': body.csrf, ...init.headers },
      });
    return { res, body, cookie, csrf: body.csrf as string, call };
  };
  return { ...t, account, client };
}

export const coffeeOffer = {
  name: 'MGC coffee', placements: ['product-side'], kind: 'card', status: 'draft', priority: 900,
  target: { all: [{ tier: ['MGC'] }, { affinity: { category: 'coffee', min: 0.3 } }] },
  content: { en: { title: 'Grow your coffee corner', body: '10% off a second bag', cta: 'Shop', link: '/c/coffee' } },
};

/** POST a CSV file to the console's import and read the NDJSON answer: progress lines, then the report. */
export async function importCsv(call: (path: string, init: any) => Response | Promise<Response>, siteId: string, kind: 'customers' | 'orders', csv: string) {
  const res = await call(`/sites/${siteId}/import/${kind}`, { method: 'POST', text: csv, headers: { 'content-type': 'text/csv' } });
  if (!res.headers.get('content-type')?.startsWith('application/x-ndjson')) return { status: res.status, body: await res.json() as any, progress: [], report: null as any };
  const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
  return { status: res.status, body: null, progress: lines.filter((l) => l.progress).map((l) => l.progress), report: lines.at(-1).report ?? null, error: lines.at(-1).error ?? null };
}

/** The console set-up with an owner, a marketer and an analyst, each signed in. */
export async function withAccounts() {
  const t = await consoleSetup();
  for (const [email, role] of [['o@shop.vn', 'owner'], ['m@shop.vn', 'marketer'], ['a@shop.vn', 'analyst']] as const) await t.account(email, role);
  return { ...t, owner: await t.client('o@shop.vn'), marketer: await t.client('m@shop.vn'), analyst: await t.client('a@shop.vn') };
}

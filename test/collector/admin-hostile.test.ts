/**
 * Admin API under hostile or unlucky timing: two changes sent at once must both land (each was
 * answered 200), never one silently overwriting the other.
 */
import { describe, it, expect } from 'vitest';
import { setup } from './helpers.ts';

describe('admin API: concurrent writes', () => {
  it('two settings patches at once: both are kept', async () => {
    const t = await setup();
    const patch = (body: unknown) => t.admin('/site/settings', { method: 'PATCH', body: JSON.stringify(body) });
    const answers = await Promise.all([patch({ currency: 'USD' }), patch({ locale: 'en-US' })]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const { settings } = await (await t.admin('/site')).json();
    expect([settings.currency, settings.locale]).toEqual(['USD', 'en-US']);
  });

  it('an orders import refuses customer ids the identity graph refuses (control and bidi override characters)', async () => {
    const t = await setup();
    const csv = 'order_id,customer_id,order_date,amount\nA1,lan\u0000x,2026-01-01,5\nA2,\u202emin,2026-01-01,5\nA3,lan,2026-01-01,5\n';
    const res = await t.app.request('/v1/admin/import/orders', { method: 'POST', body: csv, headers: { authorization: `Bearer ${t.site.secretKey}`, 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    const report = await res.json();
    expect([report.imported, report.rejected]).toEqual([1, 2]);
    expect(report.errors.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [2, 'customer_id must not contain control characters'],
      [3, 'customer_id must not contain bidirectional override characters'],
    ]);
    expect(t.store.db.prepare("SELECT value FROM identities WHERE kind = 'user'").all()).toEqual([{ value: 'lan' }]);
  });
});

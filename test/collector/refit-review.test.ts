/**
 * Review of the background refit (services/refit*.ts): failures, and a rescore racing ingest.
 * Timing is controlled with store wrappers, never with sleeps deciding the interleaving.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { setup } from './helpers.ts';
import { importOrders, parseOrdersCsv } from '../../collector/services/orders-import.ts';
import { endOfShopDay, modelFitter, rescoreProfiles, startRefit, type StoredModel } from '../../collector/services/refit.ts';
import { scoreProfile } from '../../collector/models/score.ts';
import type { Services } from '../../collector/services/context.ts';
import type { Store, Tx } from '../../collector/store/types.ts';
import { CDNOW_SAMPLE } from '../support/cdnow.ts';

// The first 300 customers or so of the CDNOW sample: enough to fit, quick to load.
const SAMPLE = readFileSync(CDNOW_SAMPLE, 'utf8').split('\n').slice(0, 1200).join('\n');

async function shopWithOrders() {
  const t = await setup({ currency: 'USD', scoring: { currency: 'USD', locale: 'en-US' } });
  await importOrders(t.app.services, t.site, parseOrdersCsv(SAMPLE, { utcOffsetMinutes: 420, currency: 'USD', now: t.now() }));
  return t;
}

/** `svc` with its store's `write` transactions seen through `wrapTx`. */
function withTx(svc: Services, wrapTx: (tx: Tx) => Tx): Services {
  const store = svc.store;
  const wrapped = Object.create(store) as Store;
  wrapped.write = (fn, options) => store.write((tx) => fn(wrapTx(tx)), options);
  return { ...svc, store: wrapped };
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; !cond(); i++) {
    if (i > 2000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('refit loop: a refit that fails', () => {
  it('is logged as an error, not as "refitted", and the next pass refits', async () => {
    const t = await shopWithOrders();
    let failSaves = 1;
    const store = Object.create(t.app.services.store) as Store;
    store.saveShopModel = async (siteId, model) => {
      if (failSaves-- > 0) throw new Error('disk full');
      return t.app.services.store.saveShopModel(siteId, model);
    };
    const logs: Record<string, unknown>[] = [];
    const refit = startRefit({ services: { ...t.app.services, store }, setModel: t.app.setModel }, { checkEveryMs: 5 }, (e) => logs.push(e));
    try {
      await until(() => logs.some((e) => e.level === 'info'), 'a successful pass');
    } finally {
      await refit.stop();
    }
    // The failed pass: an error naming the site, never reported as refitted.
    expect(logs[0]).toMatchObject({ level: 'error', site: t.site.id, error: expect.stringMatching(/disk full/) });
    const refitted = logs.filter((e) => e.msg === 'shop model refitted');
    expect(refitted).toEqual([{ level: 'info', msg: 'shop model refitted', sites: [t.site.id] }]);
    expect(logs.indexOf(refitted[0])).toBeGreaterThan(0);
    // Not stuck: the next pass refitted and stored the model, and the error is cleared.
    expect(((await t.store.getShopModel(t.site.id)) as StoredModel).fit?.trigger).toBe('first');
    expect(refit.fitter.status(t.site.id).lastError).toBeNull();
  }, 60_000);
});

describe('rescore racing ingest (READ COMMITTED interleaving, as on PostgreSQL)', () => {
  /**
   * A profile with stats0 / scores0 stored, and the row ingest would write for one more event
   * (stats1 / scores1, scored with the same model at the same time).
   */
  async function profileWithPendingEvent() {
    const t = await shopWithOrders();
    const ev = (messageId: string, category: string) => t.post('/v1/track', { type: 'track', userId: 'u1', messageId, event: 'Product Viewed', properties: { category } }, t.basic(t.site.secretKey));
    expect((await ev('m1', 'rock')).status).toBe(200);
    const id = (await t.store.findProfile(t.site.id, 'u1'))!.id;
    const row = async () => (await t.store.query('SELECT stats, scores FROM profiles WHERE site_id = ? AND id = ?', [t.site.id, id])).rows[0];
    const before = await row();
    expect((await ev('m2', 'jazz')).status).toBe(200);
    const after = await row();
    expect(after.stats).not.toBe(before.stats);
    // Back to before the second event: the rescore will read this.
    await t.store.query('UPDATE profiles SET stats = ?, scores = ? WHERE site_id = ? AND id = ?', [before.stats, before.scores, t.site.id, id]);
    return { t, id, row, after };
  }

  /** Runs `commit` (another transaction's write) right after the rescore's first read of profile `id`. */
  const interleave = (id: string, commit: (tx: Tx) => unknown) => {
    let done = false;
    return (tx: Tx): Tx => {
      const q: Tx = Object.create(tx);
      q.query = async (sql, params) => {
        const res = await tx.query(sql, params);
        if (!done && /^SELECT id, stats FROM profiles/.test(sql) && res.rows.some((r) => r.id === id)) {
          done = true;
          await commit(tx);
        }
        return res;
      };
      return q;
    };
  };

  it('does not overwrite the scores ingest wrote from fresher stats meanwhile', async () => {
    const { t, id, row, after } = await profileWithPendingEvent();
    const svc = withTx(t.app.services, interleave(id, (tx) => tx.query('UPDATE profiles SET stats = ?, scores = ? WHERE site_id = ? AND id = ?', [after.stats, after.scores, t.site.id, id])));
    const model = t.app.services.model(t.site.id);
    await rescoreProfiles(svc, t.site, model, { pageSize: 50 });
    const final = await row();
    expect(final.stats).toBe(after.stats);
    // Scores agree with the stats stored beside them (the second event's jazz is in them).
    expect(JSON.parse(final.scores)).toEqual(JSON.parse(JSON.stringify(scoreProfile(JSON.parse(after.stats), model, t.site.settings.scoring, t.now()))));
    expect(Object.keys(JSON.parse(final.scores).affinities)).toContain('jazz');
  }, 60_000);

  it('does not bring back a profile erased meanwhile', async () => {
    const { t, id } = await profileWithPendingEvent();
    const svc = withTx(t.app.services, interleave(id, (tx) => tx.query('DELETE FROM profiles WHERE site_id = ? AND id = ?', [t.site.id, id])));
    await rescoreProfiles(svc, t.site, t.app.services.model(t.site.id), { pageSize: 50 });
    const { rows } = await t.store.query('SELECT id FROM profiles WHERE site_id = ? AND id = ?', [t.site.id, id]);
    expect(rows).toEqual([]);
  }, 60_000);
});

describe('two fits of one shop at once', () => {
  it('a fit asked with its own calibration end while another runs is fitted with it, after the running one', async () => {
    const t = await shopWithOrders();
    const fitter = modelFitter(t.app.services, t.app.setModel);
    const scheduled = fitter.fit(t.site, { trigger: 'first' });
    const calibrationEnd = endOfShopDay('1997-09-30', 420)!;
    const manual = fitter.fit(t.site, { until: calibrationEnd, unit: 'week', trigger: 'admin' });
    const [a, b] = await Promise.all([scheduled, manual]);
    expect(a.info).toMatchObject({ trigger: 'first', calibrationEnd: t.now() });
    expect(b.info).toMatchObject({ trigger: 'admin', calibrationEnd, unit: 'week' });
    // The one asked for last is the one stored and served.
    expect(((await t.store.getShopModel(t.site.id)) as StoredModel).fit).toMatchObject({ trigger: 'admin', calibrationEnd });
    expect((t.app.services.model(t.site.id) as StoredModel).fit).toMatchObject({ trigger: 'admin' });
    // A fit asked with nothing of its own still joins the running one.
    const p = fitter.fit(t.site, { trigger: 'x' });
    expect(fitter.fit(t.site, { trigger: 'y' })).toBe(p);
    await p;
  }, 60_000);
});

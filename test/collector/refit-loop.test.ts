/**
 * A refit must never stall ingest or decide: while the shop model is refitted on the CDNOW
 * sample (2,357 customers), a 1 ms interval probe measures the event loop, and decide and track
 * requests keep arriving through app.request.
 *
 * Three figures per probe tick, largest printed:
 * - pause: the wall-clock gap between ticks (what a request could have waited);
 * - busy: the loop's active time within the gap (performance.eventLoopUtilization), which leaves
 *   out time the OS did not run this process while its loop sat idle;
 * - work: the smaller of busy and the process's CPU time in the gap (process.cpuUsage), which
 *   also leaves out time the OS took the CPU away in the middle of a callback. Still an upper
 *   bound on what the main thread computed in the gap, so a synchronous fit shows in full.
 * On a loaded machine (this one runs at load 10 on 2 CPUs) pause and busy reach 100–300 ms with
 * only a few ms of CPU behind them; the bound is asserted on work.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setup } from './helpers.ts';
import { importOrders, parseOrdersCsv } from '../../collector/services/orders-import.ts';
import { endOfShopDay, modelFitter, startRefit, type FitInfo, type StoredModel } from '../../collector/services/refit.ts';
import { CDNOW_SAMPLE } from '../support/cdnow.ts';

const SAMPLE = readFileSync(CDNOW_SAMPLE, 'utf8');
const BOUND_MS = 150;
const offer = { name: 'Welcome', placements: ['home-hero'], kind: 'banner', status: 'active', priority: 100, content: { en: { title: 'Welcome back' } } };

function loopProbe() {
  let last = performance.now();
  let elu = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  let maxGap = 0;
  let maxBusy = 0;
  let maxWork = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const e = performance.eventLoopUtilization();
    const c = process.cpuUsage(cpu);
    const busy = performance.eventLoopUtilization(e, elu).active;
    maxGap = Math.max(maxGap, now - last);
    maxBusy = Math.max(maxBusy, busy);
    maxWork = Math.max(maxWork, Math.min(busy, (c.user + c.system) / 1000));
    elu = e;
    cpu = process.cpuUsage();
    last = now;
  }, 1);
  return { stop: () => { clearInterval(timer); return { maxGap, maxBusy, maxWork }; } };
}

async function shopWithHistory() {
  const t = await setup({ currency: 'USD', scoring: { currency: 'USD', locale: 'en-US' }, decide: { globalHoldoutShare: 0 } });
  expect((await t.admin('/offers/welcome', { method: 'PUT', body: JSON.stringify(offer) })).status).toBe(200);
  const report = await importOrders(t.app.services, t.site, parseOrdersCsv(SAMPLE, { utcOffsetMinutes: 420, currency: 'USD', now: t.now() }));
  expect(report.customers).toBe(2357);
  return t;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

describe('refit and the event loop', () => {
  it('keeps the loop free during a background refit: decide and ingest answer meanwhile', async () => {
    const t = await shopWithHistory();
    const model = () => t.app.services.model(t.site.id) as StoredModel;
    const logs: Record<string, unknown>[] = [];
    const decides: { ms: number; status: number; phase: 'fitting' | 'rescoring' | 'idle' }[] = [];
    const phase = (running: boolean) => (!running ? 'idle' : model().customers ? 'rescoring' : 'fitting');
    const running = () => refit.fitter.status(t.site.id).running;

    const probe = loopProbe();
    const refit = startRefit(t.app, { checkEveryMs: 20 }, (e) => logs.push(e));
    const track = { type: 'track', userId: '1', messageId: 'during-refit', event: 'Product Viewed', properties: { category: 'jazz' } };
    let tracked: { status: number; phase: string } | null = null;
    for (let i = 0; !model().fit; i++) {
      if (i > 4000) throw new Error('refit did not finish');
      const s = performance.now();
      const res = await t.post('/v1/decide', { writeKey: t.site.writeKey, anonymousId: `visitor-${i % 50}`, placements: ['home-hero'], context: { locale: 'en', path: '/' } });
      decides.push({ ms: performance.now() - s, status: res.status, phase: phase(running()) });
      if (!tracked && decides.at(-1)!.phase === 'rescoring') {
        const r = await t.post('/v1/track', track, t.basic(t.site.secretKey));
        tracked = { status: r.status, phase: phase(running()) };
      }
      await sleep(3);
    }
    const { maxGap, maxBusy, maxWork } = probe.stop();
    await refit.stop();
    const info = model().fit as FitInfo;

    const during = decides.filter((d) => d.phase !== 'idle');
    console.log(`refit of ${info.profilesRescored} profiles (fit ${fmt(info.fitMs)} in the ${info.fitThread}, rescore ${fmt(info.rescoreMs)}, longest page ${fmt(info.maxPageMs!)}): `
      + `max event-loop pause ${fmt(maxGap)}, busy ${fmt(maxBusy)}, work ${fmt(maxWork)}; ${during.length} decides answered during the refit, slowest ${fmt(Math.max(...during.map((d) => d.ms)))}`);

    expect(info).toMatchObject({ trigger: 'first', fitThread: 'worker' });
    // Every profile: the 2,357 buyers and the visitors decide created meanwhile.
    expect(info.profilesRescored).toBeGreaterThan(2357);
    expect(model().customers).toBe(2357);
    expect(logs.filter((e) => e.level !== 'info')).toEqual([]);
    expect(maxWork).toBeLessThan(BOUND_MS);
    expect(during.every((d) => d.status === 200)).toBe(true);
    expect(during.filter((d) => d.phase === 'fitting').length).toBeGreaterThan(0);
    expect(during.filter((d) => d.phase === 'rescoring').length).toBeGreaterThan(0);
    // The event ingested mid-rescore survives it: rescoring re-reads stats inside its transaction.
    expect(tracked).toEqual({ status: 200, phase: 'rescoring' });
    const p1 = await (await t.admin('/profiles/1')).json();
    expect(p1.stats.affinity.scores.jazz).toBeGreaterThan(0);
    expect(Object.keys(p1.scores.affinities)).toContain('jazz');
  }, 60_000);

  it('measures what the probe is for: an inline fit holds the loop for its whole length', async () => {
    const t = await shopWithHistory();
    const probe = loopProbe();
    const { info } = await modelFitter(t.app.services, t.app.setModel).fit(t.site, { until: endOfShopDay('1997-09-30', 420)!, unit: 'week', thread: 'inline', trigger: 'test' });
    const { maxGap, maxBusy, maxWork } = probe.stop();
    console.log(`inline fit (before the worker): fit ${fmt(info.fitMs)}, max event-loop pause ${fmt(maxGap)}, busy ${fmt(maxBusy)}, work ${fmt(maxWork)}`);
    expect(info.fitThread).toBe('inline');
    // No tick can land inside a synchronous call: the loop is busy for the whole fit.
    expect(maxBusy).toBeGreaterThanOrEqual(info.fitMs);
  }, 60_000);
});

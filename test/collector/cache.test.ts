import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../collector/services/cache.ts';

/** A load whose answers the test releases one by one. */
function controlledLoad() {
  const pending: ((v: string) => void)[] = [];
  let version = 0;
  const load = () => new Promise<string>((resolve) => pending.push(resolve));
  const release = () => pending.shift()!(`v${++version}`);
  return { load, release, calls: () => version + pending.length };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A 1,000 ms cache on a settable clock, its first value ('v1', loaded at 0) already held. */
async function holdingV1() {
  const clock = { now: 0 };
  const l = controlledLoad();
  const cache = new TtlCache(1000, l.load, () => clock.now);
  const first = cache.get('k');
  l.release();
  await first;
  return { cache, l, clock };
}

describe('TtlCache', () => {
  it('shares one load between concurrent misses and serves the value for the first three quarters of its life without reloading', async () => {
    let now = 0;
    const l = controlledLoad();
    const cache = new TtlCache(1000, l.load, () => now);
    const a = cache.get('k');
    const b = cache.get('k');
    l.release();
    expect([await a, await b]).toEqual(['v1', 'v1']);
    now = 749;
    expect(await cache.get('k')).toBe('v1');
    expect(l.calls()).toBe(1);
  });

  it('past three quarters of its life, answers at once with the held value and reloads once in the background', async () => {
    const { cache, l, clock } = await holdingV1();
    clock.now = 800;
    // Resolves with the held value while the reload is still pending.
    expect(await cache.get('k')).toBe('v1');
    expect(await cache.get('k')).toBe('v1');
    expect(l.calls()).toBe(2);
    l.release();
    await tick();
    expect(await cache.get('k')).toBe('v2');
    // The refreshed value is dated from when its reload started (800): held without reloading until 1,550.
    clock.now = 1500;
    expect(await cache.get('k')).toBe('v2');
    expect(l.calls()).toBe(2);
  });

  it('never serves a value older than the time-to-live: an idle cache makes its next reader wait for a load', async () => {
    const { cache, l, clock } = await holdingV1();
    clock.now = 1000;
    const next = cache.get('k');
    let settled = false;
    void next.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    l.release();
    expect(await next).toBe('v2');
  });

  it('holds a bounded number of keys however many a caller invents, keeping the newest', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache(1000, async (k) => { loads++; return k === 'known' ? 'site' : null; }, () => now, 100);
    await cache.get('known');
    // An unknown key on every request (as a scan for keys sends): the cache stays bounded.
    for (let i = 0; i < 5000; i++) await cache.get(`wk_guess_${i}`);
    expect(cache.size).toBeLessThanOrEqual(100);
    // The newest keys are still held (no reload); the oldest were dropped.
    const before = loads;
    await cache.get('wk_guess_4999');
    expect(loads).toBe(before);
    await cache.get('known');
    expect(loads).toBe(before + 1);
    // Expired keys go first: after the time-to-live, a sweep leaves only what came since.
    now = 5000;
    for (let i = 0; i < 100; i++) await cache.get(`later_${i}`);
    expect(cache.size).toBeLessThanOrEqual(100);
  });

  it('drops a background reload that an invalidation overtook, and retries a failed reload later', async () => {
    let now = 0;
    let fail = false;
    let n = 0;
    const cache = new TtlCache(1000, async () => {
      if (fail) throw new Error('store down');
      return `v${++n}`;
    }, () => now);
    expect(await cache.get('k')).toBe('v1');
    now = 800;
    fail = true;
    expect(await cache.get('k')).toBe('v1'); // reload fails in the background; the held value stays
    await tick();
    fail = false;
    now = 900;
    expect(await cache.get('k')).toBe('v1'); // a new reload starts…
    cache.invalidate('k'); // …and an invalidation overtakes it
    await tick();
    expect(await cache.get('k')).toBe('v3'); // the reload's v2 was dropped; the next read loaded afresh
  });
});

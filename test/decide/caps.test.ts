import { describe, expect, it } from 'vitest';
import { capState, globalCap, offerCap } from '../../collector/decide/caps.ts';
import { DEFAULT_DECIDE_SETTINGS } from '../../collector/decide/settings.ts';
import type { Exposure } from '../../collector/decide/types.ts';
import { offer } from './fixtures.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = 100 * DAY;
const s = DEFAULT_DECIDE_SETTINGS;
const shown = (offerId: string, ago: number, sessionId = 's1', decisionId = `${offerId}-${ago}`, outcome: Exposure['outcome'] = 'impression'): Exposure =>
  ({ offerId, decisionId, at: NOW - ago, sessionId, outcome });
const cap = (o: ReturnType<typeof offer>, history: Exposure[], sessionId: string | null = 's1', redemptions = 0) =>
  offerCap(o, capState(history, NOW, sessionId ?? undefined, s), redemptions);

describe('offerCap', () => {
  it('once per session: blocks in the same session, not in the next', () => {
    const o = offer({ id: 'a', caps: { perSession: 1 } });
    expect(cap(o, [])).toBeNull();
    expect(cap(o, [shown('a', MIN)])).toBe('cap:session');
    expect(cap(o, [shown('a', MIN, 's0')])).toBeNull();
    expect(cap(o, [shown('b', MIN)])).toBeNull();
  });

  it('a served decision and its impression count once, so two tabs share the cap', () => {
    const o = offer({ id: 'a', caps: { perSession: 2 } });
    const tabA = [shown('a', 2000, 's1', 'd1', 'served'), shown('a', 1000, 's1', 'd1', 'impression')];
    expect(cap(o, tabA)).toBeNull();
    // Tab B was served before tab A's impression arrived: its served row alone counts.
    expect(cap(o, [...tabA, shown('a', 500, 's1', 'd2', 'served')])).toBe('cap:session');
  });

  it('without a session id, the visit is the last sessionTimeout', () => {
    const o = offer({ id: 'a', caps: { perSession: 1 } });
    expect(cap(o, [shown('a', 10 * MIN)], null)).toBe('cap:session');
    expect(cap(o, [shown('a', 31 * MIN)], null)).toBeNull();
  });

  it('N per day and per week are rolling windows', () => {
    const daily = offer({ id: 'a', caps: { perDay: 2 } });
    expect(cap(daily, [shown('a', HOUR, 's1'), shown('a', 23 * HOUR, 's2')])).toBe('cap:day');
    expect(cap(daily, [shown('a', HOUR, 's1'), shown('a', 25 * HOUR, 's2')])).toBeNull();
    const weekly = offer({ id: 'a', caps: { perWeek: 3 } });
    const three = [shown('a', DAY, 's1'), shown('a', 3 * DAY, 's2'), shown('a', 6 * DAY, 's3')];
    expect(cap(weekly, three)).toBe('cap:week');
    expect(cap(weekly, [...three.slice(0, 2), shown('a', 8 * DAY, 's3')])).toBeNull();
  });

  it('stops after conversion and after dismissal, unless turned off', () => {
    const converted = [shown('a', 5 * DAY, 's0', 'd1', 'conversion')];
    const dismissed = [shown('a', 5 * DAY, 's0', 'd1', 'dismiss')];
    expect(cap(offer({ id: 'a' }), converted)).toBe('cap:converted');
    expect(cap(offer({ id: 'a' }), dismissed)).toBe('cap:dismissed');
    expect(cap(offer({ id: 'a', caps: { stopAfterConversion: false, stopAfterDismiss: true } }), converted)).toBeNull();
    expect(cap(offer({ id: 'a', caps: { stopAfterConversion: true, stopAfterDismiss: false } }), dismissed)).toBeNull();
    expect(cap(offer({ id: 'b' }), dismissed)).toBeNull();
  });

  it('budget: stops after N redemptions', () => {
    const o = offer({ id: 'a', budget: 100 });
    expect(cap(o, [], 's1', 99)).toBeNull();
    expect(cap(o, [], 's1', 100)).toBe('cap:budget');
  });
});

describe('globalCap', () => {
  it('minimum interval between any two offers', () => {
    const settings = { minIntervalMs: 10 * MIN, maxPerVisit: 0 };
    expect(globalCap(capState([shown('x', 9 * MIN)], NOW, 's1', s), settings, NOW)).toBe('cap:interval');
    expect(globalCap(capState([shown('x', 11 * MIN)], NOW, 's1', s), settings, NOW)).toBeNull();
    // Dismissals and conversions are not showings.
    expect(globalCap(capState([shown('x', MIN, 's1', 'd', 'dismiss')], NOW, 's1', s), settings, NOW)).toBeNull();
    expect(globalCap(capState([], NOW, 's1', s), settings, NOW)).toBeNull();
  });

  it('cap per visit counts this call\'s earlier placements too', () => {
    const settings = { minIntervalMs: 0, maxPerVisit: 2 };
    const one = capState([shown('x', MIN)], NOW, 's1', s);
    expect(globalCap(one, settings, NOW, 0)).toBeNull();
    expect(globalCap(one, settings, NOW, 1)).toBe('cap:visit');
    expect(globalCap(capState([shown('x', MIN, 's0'), shown('y', MIN, 's0')], NOW, 's1', s), settings, NOW)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { isLive, localDayHour } from '../../collector/decide/schedule.ts';

const HANOI = 420;
// Friday 3 January 2025, 12:00 UTC = 19:00 in Hanoi.
const FRI_19 = Date.UTC(2025, 0, 3, 12);

describe('isLive', () => {
  it('is live without a schedule', () => {
    expect(isLive(undefined, FRI_19, HANOI)).toBe(true);
  });

  it('honours start (inclusive) and end (exclusive)', () => {
    const s = { start: '2025-01-03T19:00:00+07:00', end: '2025-01-03T20:00:00+07:00' };
    expect(isLive(s, FRI_19 - 1, HANOI)).toBe(false);
    expect(isLive(s, FRI_19, HANOI)).toBe(true);
    expect(isLive(s, FRI_19 + 3_600_000, HANOI)).toBe(false);
  });

  it('reads days and hours in the site time zone', () => {
    expect(localDayHour(FRI_19, HANOI)).toEqual({ day: 5, hour: 19 });
    expect(localDayHour(FRI_19, 0)).toEqual({ day: 5, hour: 12 });
    expect(localDayHour(Date.UTC(2025, 0, 3, 20), HANOI)).toEqual({ day: 6, hour: 3 });
    expect(isLive({ days: [5], hours: { from: 18, to: 22 } }, FRI_19, HANOI)).toBe(true);
    expect(isLive({ days: [5], hours: { from: 18, to: 22 } }, FRI_19, 0)).toBe(false); // 12:00 in UTC
    expect(isLive({ days: [6] }, FRI_19, HANOI)).toBe(false);
    expect(isLive({ hours: { from: 19, to: 20 } }, FRI_19 + 3_600_000, HANOI)).toBe(false); // `to` is exclusive
  });

  it('wraps hours past midnight and keeps them on the day they started', () => {
    const fridayNight = { days: [5], hours: { from: 22, to: 2 } };
    expect(isLive(fridayNight, Date.UTC(2025, 0, 3, 16), HANOI)).toBe(true); // Fri 23:00
    expect(isLive(fridayNight, Date.UTC(2025, 0, 3, 18), HANOI)).toBe(true); // Sat 01:00
    expect(isLive(fridayNight, Date.UTC(2025, 0, 3, 19), HANOI)).toBe(false); // Sat 02:00
    expect(isLive(fridayNight, Date.UTC(2025, 0, 2, 18), HANOI)).toBe(false); // Fri 01:00 belongs to Thursday
  });
});

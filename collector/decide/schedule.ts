/**
 * Is an offer live at `now`? Start and end are absolute instants; days and hours are read in the
 * site's time zone, given as a fixed offset (DST shifts are the site setting's job). Pure.
 */
import type { z } from 'zod';
import type { schedule as scheduleSchema } from '../offers/schema.ts';

export type Schedule = z.infer<typeof scheduleSchema>;

const HOUR = 3_600_000;
const parsed = new Map<string, number>();
/** ISO date → epoch ms, memoised: the same few dates are read on every decision. */
function instant(iso: string): number {
  let t = parsed.get(iso);
  if (t === undefined) {
    t = Date.parse(iso);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(iso, t);
  }
  return t;
}

/** Weekday (0 = Sunday) and hour (0–23) of `now` in a zone `offsetMinutes` east of UTC. */
export function localDayHour(now: number, offsetMinutes: number): { day: number; hour: number } {
  const local = now + offsetMinutes * 60_000;
  const hour = Math.floor(local / HOUR);
  return { day: (((Math.floor(hour / 24) + 4) % 7) + 7) % 7, hour: ((hour % 24) + 24) % 24 };
}

/**
 * True when the offer runs at `now`: start ≤ now < end, local weekday in `days`, local hour in
 * [from, to). `from > to` wraps midnight (22→2 runs 22:00–01:59); that late-night slot belongs to
 * the day it started on, as a marketer reading "Friday 22–2" means.
 * @example isLive({ days: [5, 6], hours: { from: 18, to: 22 } }, Date.UTC(2025, 0, 3, 12), 420) // Fri 19:00 in Hanoi → true
 */
export function isLive(s: Schedule | undefined, now: number, offsetMinutes: number): boolean {
  if (!s) return true;
  if (s.start !== undefined && now < instant(s.start)) return false;
  if (s.end !== undefined && now >= instant(s.end)) return false;
  if (s.days === undefined && s.hours === undefined) return true;
  // localDayHour, inlined: this runs for every scheduled offer on every decision.
  const localHour = Math.floor((now + offsetMinutes * 60_000) / HOUR);
  let day = (((Math.floor(localHour / 24) + 4) % 7) + 7) % 7;
  const hour = ((localHour % 24) + 24) % 24;
  if (s.hours) {
    const { from, to } = s.hours;
    if (from < to) {
      if (hour < from || hour >= to) return false;
    } else if (from > to) {
      if (hour < from && hour >= to) return false;
      if (hour < to) day = (day + 6) % 7; // after midnight: the slot started yesterday
    }
  }
  return s.days === undefined || s.days.includes(day);
}

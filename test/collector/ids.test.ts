import { describe, expect, it } from 'vitest';
import { decodeTime } from 'ulid';
import { bufferedRandom, newUlidFactory } from '../../collector/ids.ts';

describe('ids', () => {
  it('draws uniform values in [0, 1) across buffer refills', () => {
    const random = bufferedRandom(64); // 16 values per refill
    const draws = Array.from({ length: 20_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    // Refills bring new values, not the same 16 again.
    expect(new Set(draws).size).toBeGreaterThan(19_900);
  });

  it('makes unique ULIDs that sort in creation order and carry the time', () => {
    const newId = newUlidFactory();
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect(decodeTime(ids[0]!)).toBeGreaterThanOrEqual(before);
  });
});

/**
 * Ids for events, profiles and decisions: ULIDs (time-ordered, so new rows append to the
 * indexes). ulid's default source asks the OS for random bytes once per character of every id
 * started in a new millisecond — about 16 calls each, a few percent of a decide's CPU. Here
 * the same cryptographic randomness is drawn 4 KB at a time and handed out from the buffer.
 */
import { monotonicFactory } from 'ulid';
import { randomFillSync } from 'node:crypto';

export function bufferedRandom(bytes = 4096): () => number {
  const pool = new Uint32Array(bytes / 4);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 0x1_0000_0000;
  };
}

export const newUlidFactory = (): (() => string) => monotonicFactory(bufferedRandom());

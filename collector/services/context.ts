/** What every service needs: the store, time, ids, and the shop's current model per site. */
import type { Store } from '../store/types.ts';
import type { ShopModel } from '../models/score.ts';

export interface Clock { now(): number }
export interface Services {
  store: Store;
  clock: Clock;
  /** New unique, time-ordered ids (ULIDs). */
  newId(): string;
  /** Randomness for the bandit; seeded in tests. */
  random(): number;
  /** The shop's fitted model (cached in memory; refits swap it). */
  model(siteId: string): ShopModel;
  /** Secret used to sign decision bundles. */
  signingKey: string;
}

/**
 * PostgreSQL's decide transaction (store.decideInTransaction): the customer the ids name, with
 * their exposures, read under the customer's lock in one round trip, and the choice recorded in
 * the same transaction. The three-process cap test (test/scale/instances.test.ts) shows the lock
 * holds across instances; this shows what the read finds and what is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPostgres, postgresUnavailable } from './pg.ts';
import { collectorOn, offer, type Harness } from './harness.ts';
import type { PostgresStore } from '../../collector/store/postgres/index.ts';
import type { DecisionRow } from '../../collector/store/types.ts';

const skip = await postgresUnavailable();

describe.skipIf(!!skip)(`PostgreSQL decide transaction${skip ? ` (${skip})` : ''}`, () => {
  let opened: Awaited<ReturnType<typeof openTestPostgres>>;
  let store: PostgresStore;
  let h: Harness;
  beforeAll(async () => {
    opened = await openTestPostgres();
    store = opened.store;
    h = await collectorOn(store);
    await h.admin('/offers/spring', { method: 'PUT', body: JSON.stringify(offer('spring')) });
  });
  afterAll(async () => { await opened?.dispose(); });

  const row = (profileId: string, id: string): DecisionRow => ({
    siteId: h.site.id, id, profileId, placement: 'home', offerId: 'spring', offerVersion: 1, arm: 'spring|unknown', holdout: false, sessionId: 's1', createdAt: h.now(),
  });

  it('hands over nothing and records nothing for ids no profile has', async () => {
    const seen: unknown[] = [];
    const out = await store.decideInTransaction(h.site.id, { anonymousId: 'nobody' }, 0, async (found) => { seen.push(found); return null; });
    expect(out).toBeNull();
    expect(seen).toEqual([null]);
  });

  it('reads the profile the user id names before the anonymous one, with its exposures and their outcomes', async () => {
    // Two visitors; the second logs in as u1. A decide naming u1 and the first visitor's id reads u1's profile.
    await h.post('/v1/track', { writeKey: h.site.writeKey, anonymousId: 'a-first', event: 'Product Viewed', messageId: 'm1' });
    await h.post('/v1/identify', { writeKey: h.site.writeKey, anonymousId: 'a-second', userId: 'u1', messageId: 'm2', userHash: h.hash('u1') });
    const decided = await h.post('/v1/decide', { writeKey: h.site.writeKey, userId: 'u1', userHash: h.hash('u1'), placements: ['home'], context: { sessionId: 's1' } });
    const decisionId = decided.body.decisions[0].decisionId;
    expect(decided.body.decisions[0].offer.id).toBe('spring');
    await h.post('/v1/track', { writeKey: h.site.writeKey, userId: 'u1', userHash: h.hash('u1'), event: 'Offer Dismissed', messageId: 'm3', properties: { decisionId } });

    const found = await store.decideInTransaction(h.site.id, { userId: 'u1', anonymousId: 'a-first' }, 0, async (f) => ({ rows: [], value: f }));
    expect(found!.profile.userId).toBe('u1');
    expect(found!.profile.identities).toContainEqual({ kind: 'anonymous', value: 'a-second' });
    expect(found!.exposures).toEqual(await store.exposures(h.site.id, found!.profile.id, 0));
    expect(found!.exposures).toMatchObject([{ decisionId, offerId: 'spring', sessionId: 's1', holdout: false, outcomes: [{ kind: 'dismiss' }] }]);
    // Exposures older than `since` stay out.
    const later = await store.decideInTransaction(h.site.id, { userId: 'u1' }, h.now() + 1, async (f) => ({ rows: [], value: f }));
    expect(later!.exposures).toEqual([]);
  });

  it('records the rows the choice returns in its transaction, and nothing when it fails', async () => {
    const first = await store.decideInTransaction(h.site.id, { anonymousId: 'a-first' }, 0, async (f) => ({ rows: [row(f!.profile.id, 'd-kept')], value: f!.profile.id }));
    expect((await store.exposures(h.site.id, first!, 0)).map((e) => e.decisionId)).toContain('d-kept');
    await expect(store.decideInTransaction(h.site.id, { anonymousId: 'a-first' }, 0, async (f) => {
      if (f) throw new Error('choice failed');
      return null;
    })).rejects.toThrow('choice failed');
    // A row that cannot be stored (the same decision id again) rolls the whole transaction back.
    await expect(store.decideInTransaction(h.site.id, { anonymousId: 'a-first' }, 0, async (f) => ({ rows: [row(f!.profile.id, 'd-new'), row(f!.profile.id, 'd-kept')], value: 1 }))).rejects.toThrow();
    expect((await store.exposures(h.site.id, first!, 0)).map((e) => e.decisionId)).not.toContain('d-new');
  });
});

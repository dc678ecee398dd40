/**
 * A shop's model fitted elsewhere (another instance behind the load balancer, or `idic fit` on the
 * same file) reaches a running collector within a minute; one it fitted itself is not replaced by
 * an older stored one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../../collector/store/sqlite/index.ts';
import { createCollector } from '../../collector/app.ts';
import { createSite } from '../../collector/services/sites.ts';
import { EMPTY_MODEL } from '../../collector/models/shop-model.ts';

const settle = () => new Promise((r) => setImmediate(r));
afterEach(() => vi.useRealTimers());

describe('shop model in a running collector', () => {
  it('picks up a model saved by another instance, and keeps its own newer one', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 11, 8, 8) });
    const store = openSqliteStore(':memory:');
    const app = createCollector({ store, log: () => {} });
    const site = await createSite(store, { name: 'Shop' }, app.services.newId, Date.now());
    expect(app.services.model(site.id).customers).toBe(0);
    await settle();

    // Another instance refits and saves.
    await store.saveShopModel(site.id, { ...EMPTY_MODEL, customers: 42, fit: { at: Date.now() + 1000 } } as never);
    vi.setSystemTime(Date.now() + 61_000);
    app.services.model(site.id);
    await settle();
    expect(app.services.model(site.id).customers).toBe(42);

    // This process refits (its model is not saved yet); a stored model fitted before that is older.
    app.setModel(site.id, { ...EMPTY_MODEL, customers: 99 });
    await store.saveShopModel(site.id, { ...EMPTY_MODEL, customers: 7, fit: { at: Date.now() - 5000 } } as never);
    vi.setSystemTime(Date.now() + 61_000);
    app.services.model(site.id);
    await settle();
    expect(app.services.model(site.id).customers).toBe(99);
    await store.close();
  });
});

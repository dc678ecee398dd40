// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://www.shop.example/"}
/**
 * A logout page calls reset() right away, while the SDK is still settling the stored id with
 * IndexedDB (slow on a busy machine). Whatever the order in which the two finish, the reset wins.
 */
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../../sdk/identity.ts';
import type { Kv } from '../../sdk/kv.ts';

const OLD = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** IndexedDB that answers `update` only when told: its callback has run, its promise has not resolved. */
function slowKv() {
  const data = new Map<string, unknown>();
  const answers: (() => void)[] = [];
  const kv: Kv = {
    get: async (k) => data.get(k) as any,
    set: async (k, v) => void data.set(k, v),
    del: async (k) => void data.delete(k),
    update: <T>(k: string, fn: (old: T | undefined) => T) => {
      const out = fn(data.get(k) as T | undefined);
      data.set(k, out);
      return new Promise<T>((resolve) => answers.push(() => resolve(out)));
    },
  };
  return { kv, data, answer: () => answers.shift()!() };
}

const cookieId = () => document.cookie.match(/idic_id=([^;]+)/)?.[1];

describe('reset while the stored id is being settled', () => {
  it('keeps the new id when reset() lands between IndexedDB’s read-modify-write and its answer', async () => {
    document.cookie = `idic_id=${OLD}; Path=/`;
    const { kv, data, answer } = slowKv();
    const identity = createIdentity(kv, () => true);
    expect(identity.anonymousId()).toBe(OLD);

    const loading = identity.load(); // the update's callback has kept OLD
    await identity.reset(); // the logout page
    const fresh = identity.anonymousId();
    expect(fresh).not.toBe(OLD);
    answer();
    await loading;

    expect(identity.anonymousId()).toBe(fresh);
    expect(cookieId()).toBe(fresh);
    expect(data.get('aid')).toBe(fresh);
    identity.close();
  });

  it('keeps the new id when reset() comes before the read-modify-write', async () => {
    document.cookie = `idic_id=${OLD}; Path=/`;
    const { kv, data, answer } = slowKv();
    const identity = createIdentity(kv, () => true);
    await identity.reset();
    const fresh = identity.anonymousId();
    const loading = identity.load();
    answer();
    await loading;
    expect(identity.anonymousId()).toBe(fresh);
    expect(cookieId()).toBe(fresh);
    expect(data.get('aid')).toBe(fresh);
    identity.close();
  });
});

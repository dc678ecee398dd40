/**
 * Who this browser is: an anonymous ULID kept in IndexedDB, mirrored in a first-party cookie (read
 * synchronously, shared across subdomains) and localStorage; plus the known user once identified.
 * Tabs agree on one id through the cookie and an atomic IndexedDB update, and hear each other's
 * identify/reset through a BroadcastChannel.
 */
import { ulid } from './ulid.ts';
import { readCookie, writeCookie } from './cookies.ts';
import type { Kv } from './kv.ts';

export interface User {
  id: string;
  hash?: string;
}

export interface Identity {
  /** The current anonymous id (follows changes made by other tabs through the cookie). */
  anonymousId(): string;
  user(): User | undefined;
  /** Settle the id with storage; call once storing is allowed. Resolves to the agreed id. */
  load(): Promise<string>;
  setUser(user: User): Promise<void>;
  /** A new anonymous id and no user: the next person on a shared computer starts clean. */
  reset(): Promise<void>;
  /** Remove every identifier from the device (consent revoked); a fresh in-memory id remains. */
  forget(): Promise<void>;
  close(): void;
}

const KEY = 'idic_id';

function local(op: (s: Storage) => any): any {
  try {
    return op(localStorage);
  } catch {}
}

export function createIdentity(kv: Kv, stores: () => boolean, cookieDomain?: string): Identity {
  const stored = () => stores() && (readCookie(KEY) || local((s) => s.getItem(KEY)));
  let aid: string = stored() || ulid();
  let user: User | undefined;
  let touched = false;
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel('idic');
    channel.onmessage = (e) => ((aid = e.data.a), (user = e.data.u), (touched = true));
  } catch {}

  const mirror = () => {
    writeCookie(KEY, aid, cookieDomain);
    local((s) => s.setItem(KEY, aid));
  };
  const save = async () => {
    channel?.postMessage({ a: aid, u: user });
    if (!stores()) return;
    mirror();
    await kv.set('aid', aid);
    await (user ? kv.set('u', user) : kv.del('u'));
  };

  return {
    anonymousId: () => (aid = (stores() && readCookie(KEY)) || aid),
    user: () => user,
    async load() {
      // The cookie wins over IndexedDB: it is the copy shared across subdomains.
      const seen = stored();
      // A reset or identify while IndexedDB answers (logout pages reset at once) must win: one made
      // before the read-modify-write runs decides what it stores; an id set after it (a reset, another
      // tab's) is newer than its answer.
      const mine = aid;
      const agreed = await kv.update<string>('aid', (old) => (touched ? aid : seen || old || aid));
      if (aid == mine) aid = agreed;
      // Consent revoked (forget) while IndexedDB answered: nothing goes back on the device.
      if (stores()) mirror();
      const u = await kv.get<User>('u');
      if (!touched) user = u;
      return aid;
    },
    setUser(u) {
      touched = true;
      user = u;
      return save();
    },
    reset() {
      touched = true;
      aid = ulid();
      user = undefined;
      return save();
    },
    async forget() {
      touched = true;
      aid = ulid();
      user = undefined;
      writeCookie(KEY, '', cookieDomain, 0);
      local((s) => s.removeItem(KEY));
      await kv.del('aid');
      await kv.del('u');
    },
    close: () => channel?.close(),
  };
}

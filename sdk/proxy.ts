/**
 * Calls made before the client exists (loader snippet, or ESM calls before `init`) wait here and
 * run in order once it starts; each caller's promise resolves with the real call's result.
 */
import type { Idic } from './api.ts';

export type Method = Exclude<keyof Idic, 'debug' | 'destroy'>;

export function createProxy() {
  let client: Idic | undefined;
  const early: [Method, unknown[], (v: unknown) => void][] = [];
  return {
    call: (name: Method, args: unknown[]): any =>
      client ? (client[name] as Function)(...args) : new Promise((done) => early.push([name, args, done])),
    start(c: Idic) {
      client = c;
      early.splice(0).forEach(([name, args, done]) => done((c[name] as Function)(...args)));
    },
    client: () => client,
  };
}

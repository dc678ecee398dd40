/** The SDK's public surface: one interface, implemented by `createClient` and proxied by `idic`. */
import type { Decision, LoyaltyState } from '../collector/protocol.ts';
import type { ConsentState, DebugStats, DecisionsListener, IdentifyOptions } from './types.ts';

export interface Idic {
  /**
   * Record a page view (automatic unless `autoPageviews: false`).
   * @example idic.page('Product', { category: 'coffee' })
   */
  page(name?: string, properties?: Record<string, unknown>): Promise<unknown>;
  /**
   * Record an event. Resolves once it is durable on the device (IndexedDB), not when it is sent.
   * @example idic.track('Product Viewed', { product_id: 'p1', category: 'coffee', price: 120000 })
   */
  track(event: string, properties?: Record<string, unknown>): Promise<unknown>;
  /**
   * Link this visitor to a known customer; `userHash` is HMAC-SHA256(site secret, userId) from the
   * shop's server and is required when the site enforces verification.
   * @example idic.identify('cust-42', { email: 'an@example.vn' }, { userHash: '9f2c…' })
   */
  identify(userId: string, traits?: Record<string, unknown>, options?: IdentifyOptions): Promise<unknown>;
  /**
   * Tell the collector that `newId` is the same customer as `previousId` (the current user or
   * anonymous id by default).
   * @example idic.alias('cust-42-new', 'cust-42')
   */
  alias(newId: string, previousId?: string): Promise<unknown>;
  /**
   * Logout: a new anonymous id and no user, so the next person on this computer starts clean.
   * @example logoutButton.onclick = () => idic.reset()
   */
  reset(): Promise<unknown>;
  /**
   * The decision for one placement (null when nothing fits or personalization is not granted).
   * @example const d = await idic.offers('home-hero'); if (d?.offer) console.log(d.offer.content.title)
   */
  offers(placement: string): Promise<Decision | null>;
  /**
   * Listen for decisions as they arrive (from the cached bundle first, then from the network).
   * Each call runs in a task of its own: a listener that throws is reported by the browser and
   * stops nothing else.
   * @example idic.on('decisions', (ds) => console.log(ds.map((d) => d.reason)))
   */
  on(event: 'decisions', listener: DecisionsListener): void;
  /**
   * Set consent per purpose. Granting starts storing and sending; revoking stops at once and clears
   * the queue and (when no purpose remains granted) every identifier on the device.
   * @example idic.consent({ analytics: 'granted', personalization: 'denied' })
   */
  consent(choice?: Partial<ConsentState>): ConsentState;
  /**
   * The identified customer's loyalty state; with `show`, the widget's member panel opens too.
   * Rejects when no user is identified or the collector refuses.
   * @example const { balance, tier } = await idic.loyalty()
   */
  loyalty(show?: boolean): Promise<LoyaltyState>;
  /**
   * Redeem a reward for points; resolves to a single-use discount code.
   * @example const { code } = await idic.redeem('rw-50k')
   */
  redeem(rewardId: string): Promise<{ code: string; state?: LoyaltyState }>;
  /**
   * Send everything queued on this device. Resolves true when the queue is empty, false if a send
   * failed (retries continue in the background).
   * @example await idic.flush()
   */
  flush(): Promise<boolean>;
  /** Live counters: queued, sent, dropped, failures. */
  debug: DebugStats;
  /** Remove listeners and timers (tests, or an app tearing the SDK down). Queued events stay queued. */
  destroy(): void;
}

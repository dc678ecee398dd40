/**
 * Public types of the browser SDK. Wire types come from the collector's protocol as types only,
 * so zod never ships to browsers.
 */
import type { Decision, LoyaltyState } from '../collector/protocol.ts';
import type { RetryPolicy } from './backoff.ts';

export type { Decision, LoyaltyState, RetryPolicy };

/** A consent purpose the SDK gates on. */
export type Purpose = 'analytics' | 'personalization';
export type ConsentValue = 'granted' | 'denied' | 'pending';
export type ConsentState = Record<Purpose, ConsentValue>;

export interface ConsentOptions {
  /**
   * `opt-in`: every purpose starts `pending`; nothing is stored on the device and nothing is sent
   * until it is granted. `opt-out`: purposes start `granted` until the visitor declines.
   * @default 'opt-out'
   */
  mode?: 'opt-in' | 'opt-out';
  /** Treat `navigator.globalPrivacyControl === true` as a refusal of both purposes. @default false */
  honorGlobalPrivacyControl?: boolean;
  /** Treat Do-Not-Track (`navigator.doNotTrack === '1'`) as a refusal of both purposes. @default false */
  honorDoNotTrack?: boolean;
  /** Choices already known to the site's consent banner at load time. */
  analytics?: ConsentValue;
  personalization?: ConsentValue;
}

/** Persistent queue limits; the oldest events are dropped first and counted in `debug.dropped`. */
export interface QueueBounds {
  /** @default 2000 */
  maxEvents: number;
  /** Events older than this are dropped (ms). @default 7 days */
  maxAge: number;
}

export interface InitOptions {
  /** The site's public write key (`idic site create` prints it). */
  writeKey: string;
  /** Collector origin, e.g. `https://collect.shop.example`. */
  host: string;
  /** Cookie domain for the anonymous-id mirror, e.g. `shop.example` so `www.` and apex share it. */
  cookieDomain?: string;
  consent?: ConsentOptions;
  /** Send a page view now and on every History API navigation. @default true */
  autoPageviews?: boolean;
  /** Track clicks on elements carrying `data-idic-event`. @default false */
  clickTracking?: boolean;
  /** Widget UI language ('en', 'vi', …). @default document language or 'en' */
  locale?: string;
  /** ISO 4217 currency the widget formats prices in. @default 'VND' */
  currency?: string;
  /** Placements to decide on init. @default every `[data-idic-placement]` in the page */
  placements?: string[];
  /** Where the widget bundle lives. @default `idic-widget.js` next to the script, or on `host` */
  widgetUrl?: string;
  /** Send a batch once this many events wait. @default 20 */
  flushAt?: number;
  /** Send waiting events at most this long after the first one (ms). @default 1000 */
  flushInterval?: number;
  /** How long a tab owns a batch it is sending before another tab may take it (ms). @default 10000 */
  leaseMs?: number;
  retry?: Partial<RetryPolicy>;
  queue?: Partial<QueueBounds>;
}

/** Live delivery counters, for tests and the browser console (`idic.debug`). */
export interface DebugStats {
  /** Events waiting on this device (last known, all tabs). */
  queued: number;
  /** Events this page saw acknowledged by the collector. */
  sent: number;
  /** Events dropped by the queue bounds or refused by the collector (all tabs, persisted). */
  dropped: number;
  /** Failed send attempts in this page. */
  failures: number;
}

export interface IdentifyOptions {
  /** HMAC-SHA256(site secret, userId) in hex, computed by the shop's server. */
  userHash?: string;
}

export type DecisionsListener = (decisions: Decision[]) => void;

/** Consent per purpose: a pure resolver plus the compact form kept in a cookie. */
import type { ConsentOptions, ConsentState, ConsentValue } from './types.ts';

/** Privacy signals the browser sends, read by the caller from `navigator`. */
export interface PrivacySignals {
  gpc?: boolean;
  dnt?: boolean;
}

const VALUES: Record<string, ConsentValue> = { g: 'granted', d: 'denied', p: 'pending' };

/**
 * The consent in force at load: the visitor's stored choice wins, then what the site passed,
 * then a browser refusal signal the site chose to honour, then the mode's default.
 */
export function resolveConsent(options: ConsentOptions = {}, stored: Partial<ConsentState> = {}, signals: PrivacySignals = {}): ConsentState {
  const refused = (options.honorGlobalPrivacyControl && signals.gpc) || (options.honorDoNotTrack && signals.dnt);
  const fallback: ConsentValue = refused ? 'denied' : options.mode == 'opt-in' ? 'pending' : 'granted';
  return {
    analytics: stored.analytics || options.analytics || fallback,
    personalization: stored.personalization || options.personalization || fallback,
  };
}

/** Two letters, one per purpose ("gd" = analytics granted, personalization denied). */
export function encodeConsent(state: ConsentState): string {
  return state.analytics[0] + state.personalization[0];
}

export function decodeConsent(text: string | undefined): Partial<ConsentState> {
  const pick = (c: string) => VALUES[c];
  return text ? { analytics: pick(text[0]), personalization: pick(text[1]) } : {};
}

/** Anything may be kept on the device only once some purpose is granted. */
export const mayStore = (s: ConsentState) => s.analytics == 'granted' || s.personalization == 'granted';

/**
 * The contract between the SDK and the lazily loaded widget bundle.
 * The widget bundle (dist/idic-widget.js) assigns `window.idicWidget: WidgetApi` when it loads;
 * the SDK injects that script only when a decision has something to show.
 */
import type { Decision, LoyaltyState } from '../collector/protocol.ts';

export type OfferEventName = 'impression' | 'click' | 'dismiss' | 'conversion';

export interface WidgetOptions {
  /** 'en' | 'vi' | … — picks built-in UI strings (close, points, …). Offer text comes from content. */
  locale: string;
  /** ISO 4217, VND by default. */
  currency: string;
  /** Called when the visitor sees (visible via IntersectionObserver), clicks or dismisses an offer. */
  onEvent(name: OfferEventName, decision: Decision): void;
  /** Loyalty actions from prompts and the member panel. */
  onRedeem?(rewardId: string): Promise<{ code: string } | { error: string }>;
  /** Document to render into (tests pass their own). Defaults to `document`. */
  document?: Document;
}

export interface WidgetApi {
  /**
   * Render decisions: inline ones into `[data-idic-placement="<placement>"]` elements, overlays
   * (modal, toast) into a fixed host element. Each host gets its own shadow root.
   * Re-rendering with new decisions replaces earlier ones.
   */
  render(decisions: Decision[], options: WidgetOptions): void;
  /**
   * Show the member launcher badge for a verified customer, with new figures; `open` also opens
   * its panel (the shop's "My rewards" link), otherwise the panel stays as the customer left it.
   */
  renderLoyalty(state: LoyaltyState, options: WidgetOptions, open?: boolean): void;
  /** Remove everything the widget rendered. */
  clear(): void;
}

declare global {
  interface Window {
    idicWidget?: WidgetApi;
  }
}

/**
 * The WidgetApi implementation: finds or creates the shadow hosts and renders decisions and the
 * member launcher into them with Preact.
 */
import { render } from 'preact';
import type { Decision, LoyaltyState } from '../collector/protocol.ts';
import type { OfferEventName, WidgetApi, WidgetOptions } from './api.ts';
import { formatter } from './i18n.ts';
import { Launcher } from './loyalty.tsx';
import { OfferView } from './offer.tsx';
import type { Ctx } from './parts.tsx';
import { adoptStyles } from './styles.ts';

/** Host element name; shops style through it, e.g. `idic-offer::part(cta) { … }`. */
export const HOST_TAG = 'idic-offer';
const OVERLAYS = ['modal', 'toast'];

/**
 * Creates a widget. Each event (impression, click, dismiss) is recorded once per decisionId for
 * the widget's lifetime, across re-renders and copies; a dismissed decision is not shown again.
 * Re-rendering updates offers in place (same hosts, keyed by decisionId): focus and state stay.
 * @example window.idicWidget = createWidget(); idicWidget.render(decisions, { locale: 'vi', currency: 'VND', onEvent })
 */
export function createWidget(): WidgetApi {
  const seen = new Set<string>();
  let inline: Element[] = [];
  // Loyalty prompts drawn inline: redrawn with the new state after a redemption.
  let prompts: [ShadowRoot, Decision][] = [];
  let over: ShadowRoot | undefined;
  let list: Decision[] = [];
  let offers: Ctx | undefined, member: Ctx | undefined;
  let state: LoyaltyState | undefined;
  /** How many times the panel was asked open: the launcher opens whenever it grows. */
  let opens = 0;

  const ctx = (o: WidgetOptions): Ctx => ({
    f: formatter(o.locale, o.currency),
    o,
    ev(name: OfferEventName, d: Decision) {
      if (!seen.has(name + d.decisionId)) seen.add(name + d.decisionId), o.onEvent(name, d);
    },
  });

  const host = (parent: Element) => {
    const h = parent.appendChild(parent.ownerDocument.createElement(HOST_TAG));
    const root = h.attachShadow({ mode: 'open' });
    adoptStyles(root);
    return root;
  };

  const view = (d: Decision) => <OfferView key={d.decisionId} d={d} x={offers!} />;

  const drawOverlay = (doc: Document) => {
    if (!over || !over.host.isConnected) over = host(doc.body);
    const modal = list.find((d) => d.offer!.kind == 'modal');
    render(
      <>
        {/* Later in the tree paints on top: a modal's backdrop covers toasts, the member panel covers all. */}
        <div class="ts">{list.filter((d) => d.offer!.kind == 'toast').map(view)}</div>
        {modal && view(modal)}
        {state && <Launcher s={state} x={member!} o={opens} />}
      </>,
      over,
    );
  };

  const clearInline = (hs = inline) => {
    for (const h of hs) {
      render(null, h.shadowRoot!);
      h.remove();
    }
  };

  return {
    render(decisions, options) {
      const doc = options.document || document;
      offers = ctx(options);
      const old = inline;
      inline = [];
      prompts = [];
      list = [];
      for (const d of decisions) {
        if (!d || !d.offer || seen.has('dismiss' + d.decisionId)) continue;
        if (OVERLAYS.includes(d.offer.kind)) {
          list.push(d);
          continue;
        }
        // Compared as data, not spliced into a selector: placement names are not trusted CSS.
        for (const el of doc.querySelectorAll('[data-idic-placement]')) {
          if (el.getAttribute('data-idic-placement') != d.placement) continue;
          // The placement's host from the last render, if any, is reused: a refresh redraws in place.
          const i = old.findIndex((h) => h.parentNode == el);
          const root = i < 0 ? host(el) : old.splice(i, 1)[0].shadowRoot!;
          inline.push(root.host);
          if (d.offer.kind == 'loyalty') prompts.push([root, d]);
          render(view(d), root);
        }
      }
      clearInline(old);
      if (list.length || over) drawOverlay(doc);
    },
    renderLoyalty(s, options, open) {
      state = s;
      if (open) opens++;
      member = ctx(options);
      if (offers) {
        offers.s = s;
        for (const [root, d] of prompts) render(view(d), root);
      }
      drawOverlay(options.document || document);
    },
    clear() {
      clearInline();
      inline = [];
      prompts = [];
      list = [];
      state = undefined;
      if (over) {
        render(null, over);
        over.host.remove();
        over = undefined;
      }
    },
  };
}

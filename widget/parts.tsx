/**
 * Small pieces shared by offers and the member panel: the code chip, the redeem button,
 * the progress bar, the modal dialog (focus trap) and the visibility hook for impressions.
 */
import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Decision, LoyaltyState } from '../collector/protocol.ts';
import type { OfferEventName, WidgetOptions } from './api.ts';
import type { Fmt } from './i18n.ts';

/** What every component gets: formatters, the caller's options, and the event sink. */
export interface Ctx {
  f: Fmt;
  o: WidgetOptions;
  ev(name: OfferEventName, d: Decision): void;
  /** The member's loyalty state, when it changed after these offers were decided (a redemption): prompts show it instead of their figures. */
  s?: LoyaltyState;
}

/** Content fields as text; anything else (objects from a tampered payload) renders as nothing. */
export const str = (v: unknown): string => (typeof v == 'string' || typeof v == 'number' ? '' + v : '');

const FOCUSABLE = 'a[href],button:not([disabled])';

let ids = 0;
/** A stable element id for aria-labelledby; cheaper than useId and unique across all our roots. */
export const useUid = () => useState(() => 'idic' + ids++)[0];

/** The focused element, looking through open shadow roots (ours included). */
function deepActive(doc: Document): HTMLElement | null {
  let a = doc.activeElement as HTMLElement | null;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement as HTMLElement;
  return a;
}

/**
 * Fires one impression when at least half of the element has been on screen for a second
 * (the IAB viewability rule); hidden tabs do not run IntersectionObserver callbacks, so they
 * never count. Without IntersectionObserver the offer counts as seen once rendered.
 */
export function useSeen<T extends Element>(d: Decision, x: Ctx) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const W = ref.current!.ownerDocument.defaultView as typeof globalThis | null;
    if (!W || !W.IntersectionObserver) return x.ev('impression', d);
    let t: ReturnType<typeof setTimeout>;
    const io = new W.IntersectionObserver(
      (es) => {
        clearTimeout(t);
        if (es[es.length - 1].intersectionRatio >= 0.5) t = setTimeout(() => x.ev('impression', d), 1000);
      },
      { threshold: 0.5 },
    );
    io.observe(ref.current!);
    return () => {
      clearTimeout(t);
      io.disconnect();
    };
  }, [d.decisionId]);
  return ref;
}

/**
 * A modal dialog: focus moves in on open, Tab and Shift+Tab cycle inside, Escape and the
 * backdrop close it, and focus returns to whatever had it before (even inside a shadow root).
 */
export function Dialog(p: { r: RefObject<HTMLElement | null>; label: string; close(): void; part: string; class: string; children: ComponentChildren }) {
  const ref = p.r;
  useEffect(() => {
    const prev = deepActive(ref.current!.ownerDocument);
    (ref.current!.querySelector<HTMLElement>(FOCUSABLE) || ref.current!).focus();
    return () => prev && prev.focus && prev.focus();
  }, []);
  const key = (e: KeyboardEvent) => {
    if (e.key == 'Escape') p.close();
    if (e.key != 'Tab') return;
    const all = ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE);
    const first = all[0], last = all[all.length - 1];
    const at = (ref.current!.getRootNode() as ShadowRoot).activeElement;
    const to = e.shiftKey ? (at == first || at == ref.current ? last : null) : at == last ? first : null;
    if (to) {
      e.preventDefault();
      to.focus();
    }
  };
  return (
    <div class="bd" part="backdrop" onClick={(e) => e.target == e.currentTarget && p.close()}>
      <div ref={ref as RefObject<HTMLDivElement>} role="dialog" aria-modal="true" aria-labelledby={p.label} tabIndex={-1} part={p.part} class={p.class} onKeyDown={key}>
        {p.children}
      </div>
    </div>
  );
}

/** A discount code; one tap selects all of it (user-select: all) for copying. */
export const Code = ({ code }: { code: string }) => <p class="k" part="code">{code}</p>;

export function Redeem({ id, x, off, onClick }: { id: string; x: Ctx; off?: boolean; onClick?(): void }) {
  // undefined: idle, null: waiting, object: the collector's answer.
  const [r, set] = useState<{ code?: unknown; error?: unknown } | null>();
  if (!x.o.onRedeem) return null;
  const code = r && str(r.code);
  if (code) return <Code code={code} />;
  const go = () => {
    if (onClick) onClick();
    set(null);
    x.o.onRedeem!(id).then(set, () => set({}));
  };
  return (
    <>
      <button type="button" class="c" part="redeem" disabled={off || r === null} onClick={go}>{x.f.t.redeem}</button>
      {r && <p class="e" role="alert">{str(r.error) || x.f.t.failed}</p>}
    </>
  );
}

/** A labelled progress bar (ARIA's default range is 0–100); width is set through the CSSOM, which CSP allows. */
export function Progress({ v, label }: { v: number; label: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, v || 0)) * 100);
  return (
    <div class="p" part="progress" role="progressbar" aria-valuenow={pct} aria-label={label}>
      <i style={{ width: pct + '%' }} />
    </div>
  );
}

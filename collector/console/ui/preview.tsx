/**
 * Live preview with the real widget: the same OfferView, formatter and stylesheet the shop's
 * widget bundle uses, rendered into a shadow root. The frame is a containing block
 * (transform), so modals and toasts stay inside it instead of covering the console.
 */
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Decision } from '../../protocol.ts';
import { OfferView } from '../../../widget/offer.tsx';
import { formatter } from '../../../widget/i18n.ts';
import { adoptStyles } from '../../../widget/styles.ts';

export function Preview({ decision, locale, currency }: { decision: Decision; locale: string; currency: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const root = useRef<ShadowRoot | null>(null);
  useEffect(() => {
    if (!root.current) {
      const host = ref.current!.appendChild(document.createElement('idic-offer'));
      root.current = host.attachShadow({ mode: 'open' });
      adoptStyles(root.current);
    }
    const x = { f: formatter(locale, currency), o: { locale, currency, onEvent() {} }, ev() {} };
    // Keyed by kind: switching kind remounts (a modal grabs focus only when it first opens).
    render(<OfferView key={decision.offer!.kind} d={decision} x={x} />, root.current);
  });
  useEffect(() => () => { if (root.current) render(null, root.current); }, []);
  return <div class={'preview-frame k-' + decision.offer!.kind} ref={ref} data-testid="preview" />;
}

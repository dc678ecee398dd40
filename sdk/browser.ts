/**
 * Script-tag entry (`dist/idic.js`): installs `window.idic`, starts from the script's `data-*`
 * settings, and replays, in order, the calls the loader snippet queued before this file arrived.
 *
 * <script async src="https://collect.shop.example/idic.js" data-write-key="wk_…"></script>
 *
 * Every InitOptions field can be given as data-kebab-case ("true"/"false" for flags), plus
 * data-consent="opt-in|opt-out", data-honor-gpc, data-honor-dnt and data-placements="a,b".
 * data-host defaults to the script's origin and the widget loads from beside the script.
 * Without data-write-key, the page calls `idic('init', { … })` itself.
 */
import type { Idic } from './api.ts';
import { createClient } from './client.ts';
import { createProxy } from './proxy.ts';
import type { DebugStats, InitOptions } from './types.ts';

type Global = ((name: string, ...args: unknown[]) => unknown) & Idic & { q?: unknown[][]; init(o: Partial<InitOptions>): Idic };

declare global {
  interface Window {
    idic?: Global;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const src = script ? new URL(script.src, location.href) : location;
const queued = window.idic?.q || [];
const proxy = createProxy();
const debug: DebugStats = { queued: 0, sent: 0, dropped: 0, failures: 0 };

const call = (name: any, ...args: unknown[]) => (name == 'init' ? idic.init(args[0] as InitOptions) : proxy.call(name, args));
// `idic.track(…)` is `idic('track', …)`: any method name not set below resolves to a forwarder.
const idic: Global = new Proxy(call as Global, { get: (t: any, name) => t[name] || ((...args: unknown[]) => call(name, ...args)) });
idic.debug = debug;
idic.init = (options) => {
  if (!proxy.client()) {
    const widgetUrl = new URL('idic-widget.js', src.href).href;
    proxy.start(createClient({ widgetUrl, ...(options as InitOptions), host: options.host || src.origin, stats: debug }));
  }
  return proxy.client()!;
};
window.idic = idic;

const ds = script?.dataset;
if (ds?.writeKey) {
  const o: any = {};
  // A bare attribute (`data-click-tracking`) or "true" is on, "false" is off, a number is a number
  // (`data-flush-at="20"`: a string would add up as text), anything else is text.
  for (const k in ds) o[k] = ds[k] == 'false' ? false : ds[k] == '' || ds[k] == 'true' || (isNaN(ds[k] as any) ? ds[k] : +ds[k]!);
  o.consent = { mode: o.consent, honorGlobalPrivacyControl: o.honorGpc, honorDoNotTrack: o.honorDnt };
  o.placements = ds.placements?.split(',');
  idic.init(o);
}
queued.forEach((call) => (idic as any)(...call));

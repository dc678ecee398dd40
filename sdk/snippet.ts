/**
 * The copy-paste loader snippet. It defines a tiny `idic(...)` that only queues its arguments,
 * then loads the SDK asynchronously; the SDK replays the queue in order (sdk/browser.ts), so
 * `idic('track', …)` works from the first line of the page and never blocks rendering.
 *
 * Paste it in <head>, replacing the host and write key:
 *
 * <script>
 * !function(w,d,u,k){if(w.idic)return;var q=[],i=w.idic=function(){q.push([].slice.call(arguments))};
 * i.q=q;var s=d.createElement('script');s.async=1;s.src=u;s.dataset.writeKey=k;
 * d.head.appendChild(s)}(window,document,'https://collect.shop.example/idic.js','wk_…');
 * idic('track', 'Product Viewed', { product_id: 'p1' });
 * </script>
 *
 * Further settings go on the created element (`s.dataset.consent='opt-in'`) or in an explicit
 * `idic('init', { writeKey, host, … })` call placed instead of `s.dataset.writeKey=k`.
 */

/** Readable form of the snippet; `snippet()` fills in the two placeholders. */
export const SNIPPET = `!function (w, d, url, writeKey) {
  if (w.idic) return; // loaded twice: keep the first
  var queue = [];
  var idic = w.idic = function () { queue.push([].slice.call(arguments)); };
  idic.q = queue; // the SDK replays these calls in order
  var s = d.createElement('script');
  s.async = 1;
  s.src = url;
  s.dataset.writeKey = writeKey;
  d.head.appendChild(s);
}(window, document, 'SDK_URL', 'WRITE_KEY');`;

/** Minified form, what shops paste. */
export const SNIPPET_MIN =
  "!function(w,d,u,k){if(w.idic)return;var q=[],i=w.idic=function(){q.push([].slice.call(arguments))};i.q=q;var s=d.createElement('script');s.async=1;s.src=u;s.dataset.writeKey=k;d.head.appendChild(s)}(window,document,'SDK_URL','WRITE_KEY');";

/**
 * The minified snippet for one site, ready to paste inside a <script> tag.
 * @example snippet('https://collect.shop.example/idic.js', 'wk_123')
 */
export function snippet(sdkUrl: string, writeKey: string, readable = false): string {
  const js = JSON.stringify;
  return (readable ? SNIPPET : SNIPPET_MIN).replace("'SDK_URL'", js(sdkUrl)).replace("'WRITE_KEY'", js(writeKey));
}

/**
 * The widget's stylesheet, adopted by every shadow root as a constructable stylesheet, so a
 * strict `style-src 'self'` CSP sees no <style> element and no style="" attribute.
 * Shops theme through --idic-* custom properties (they inherit into shadow trees) and ::part().
 */

// Short private aliases keep the sheet small; each falls back to an AA-contrast default.
const CSS = `:host{all:initial;display:block;--a:var(--idic-accent,#0b57d0);--f:var(--idic-accent-text,#fff);--r:var(--idic-radius,12px);font:15px/1.45 var(--idic-font,system-ui,sans-serif);color:var(--idic-fg,#1f1f1f)}
*{box-sizing:border-box;margin:0;font:inherit;color:inherit}
button,a{cursor:pointer}
:focus-visible{outline:2px solid;outline-offset:2px}
.o{position:relative;display:flex;flex-direction:column;gap:10px;max-width:400px;max-height:100%;overflow:auto;padding:18px;background:var(--idic-bg,#fff);border-radius:var(--r);box-shadow:0 2px 10px #0003}
.banner{flex-flow:row wrap;align-items:center;max-width:none;padding-right:48px;background:var(--a);color:var(--f)}
.banner .b{flex:1 1 200px}
.banner .c{align-self:center;background:var(--f);color:var(--a)}
.banner :focus-visible{outline-color:var(--f)}
img{max-width:100%;border-radius:8px;object-fit:cover}
.o>img{width:100%;max-height:180px}
.banner img,.toast img{width:56px;height:56px}
.t,.f{font-weight:700}
.t{font-size:1.15em;padding-right:28px}
.c{align-self:flex-start;padding:10px 18px;border:0;border-radius:8px;background:var(--a);color:var(--f);font-weight:600;text-decoration:none}
.c:disabled{opacity:.5}
.x{position:absolute;top:6px;right:6px;width:36px;height:36px;border:0;border-radius:50%;background:#fffc;color:#1f1f1f;font-size:24px}
.banner .x,.toast .x{background:0;color:inherit}
.k{padding:6px 12px;border:2px dashed;border-radius:8px;font-family:monospace;font-weight:700;letter-spacing:.1em;user-select:all}
.e{color:#b3261e}
.p{height:8px;border-radius:4px;background:#0002}
.p i{display:block;height:100%;border-radius:4px;background:var(--a)}
.bd,.ts,.l{position:fixed;bottom:16px;z-index:2147483000}
.bd{inset:0;display:grid;place-items:center;padding:16px;background:#0009}
.ts{right:16px;display:grid;gap:10px;width:min(360px,100vw - 32px)}
.toast{padding-right:48px}
@media (max-width:480px){.ts{right:8px;bottom:8px;width:calc(100vw - 16px)}.toast{max-height:33vh}.toast img,.lt{display:none}.l{left:8px;bottom:8px;padding:8px 12px}}
ul{display:flex;gap:12px;overflow-x:auto;padding:0;list-style:none}
li{flex:0 0 140px}
li a{text-decoration:none}
li img{width:140px;height:140px;background:#0001}
li span{display:block}
.recommendations{max-width:none}
.l{left:16px;padding:10px 16px;border:0;border-radius:99px;background:var(--a);color:var(--f);font-weight:600;box-shadow:0 2px 10px #0004}
.rw{display:flex;align-items:center;gap:10px}
.rw span{flex:1}
.s{text-decoration:line-through}
@media (prefers-reduced-motion:no-preference){.toast,.modal{animation:i .3s}}
@keyframes i{from{opacity:0;transform:translateY(16px)}}`;

let sheet: CSSStyleSheet | undefined;
let sheetDoc: Document | undefined;

/**
 * Gives a shadow root the widget's stylesheet. The sheet is built once per document (a sheet
 * cannot be adopted across documents). Browsers without constructable stylesheets get unstyled
 * but working markup rather than a CSP violation.
 */
export function adoptStyles(root: ShadowRoot): void {
  const doc = root.ownerDocument;
  try {
    if (sheetDoc != doc) {
      sheet = new (doc.defaultView as typeof globalThis).CSSStyleSheet();
      sheet.replaceSync(CSS);
      sheetDoc = doc;
    }
    root.adoptedStyleSheets = [sheet!];
  } catch {}
}

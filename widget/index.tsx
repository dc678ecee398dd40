/** Entry of dist/idic-widget.js: the SDK injects this bundle and then calls window.idicWidget. */
import { createWidget } from './widget.tsx';

window.idicWidget = createWidget();

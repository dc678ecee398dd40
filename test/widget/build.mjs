// Builds only the widget bundle with the same plugins as rollup.config.mjs, for when the SDK
// entries do not exist yet. Usage: node test/widget/build.mjs
import { rollup } from 'rollup';
import config from '../../rollup.config.mjs';

const widget = config.find((c) => c.input === 'widget/index.tsx');
const bundle = await rollup({ input: widget.input, plugins: widget.plugins });
await bundle.write(widget.output);
await bundle.close();

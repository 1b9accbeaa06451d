/* Builds the embeddable widget: `build/widget/widget.js` (the loader) and `build/widget/app.js`.
   Run by `npm run build:widget` (part of `npm run build`) and by the test setup. */
const { build } = require('esbuild');
const { mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const root = join(__dirname, '..');
const out = join(root, 'build', 'widget');

async function buildWidget({ quiet = false } = {}) {
  mkdirSync(out, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome90', 'safari15', 'firefox90'],
    legalComments: 'none',
    logLevel: 'warning',
  };
  await Promise.all([
    build({ ...common, entryPoints: [join(__dirname, 'src', 'loader.ts')], outfile: join(out, 'widget.js') }),
    build({ ...common, entryPoints: [join(__dirname, 'src', 'app.ts')], outfile: join(out, 'app.js') }),
  ]);
  const sizes = sizesOf();
  if (!quiet) {
    process.stdout.write(
      `widget: loader ${kb(sizes.loaderGzip)} gzipped, app ${kb(sizes.appGzip)}, whole widget ${kb(sizes.totalGzip)}\n`,
    );
  }
  return sizes;
}

function sizesOf() {
  const loader = readFileSync(join(out, 'widget.js'));
  const app = readFileSync(join(out, 'app.js'));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  return {
    loaderBytes: loader.length,
    appBytes: app.length,
    loaderGzip: gz(loader),
    appGzip: gz(app),
    totalGzip: gz(loader) + gz(app),
  };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

module.exports = { buildWidget, sizesOf, WIDGET_OUT: out };

if (require.main === module) {
  buildWidget().catch((err) => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
  });
}

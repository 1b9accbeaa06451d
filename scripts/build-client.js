#!/usr/bin/env node
/**
 * Bundles the workspace's client modules (client/*.ts) into public/js with esbuild. Run by
 * `npm run build` and by the test global setup, so a fresh clone works with `npm start` and
 * `npm test` alike. The output is not committed.
 */
'use strict';
const { join } = require('node:path');

const root = join(__dirname, '..');

async function buildClient({ quiet = false } = {}) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(root, 'client/main.ts')],
    outfile: join(root, 'public/js/app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    logLevel: quiet ? 'error' : 'info',
    legalComments: 'linked',
  });
  return result;
}

module.exports = { buildClient };

if (require.main === module) {
  buildClient().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

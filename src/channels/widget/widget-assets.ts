import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../../common/paths';

/** Where `npm run build:widget` writes the loader and the app (widget/build.mjs). */
export const WIDGET_BUILD_DIR = join(projectRoot, 'build', 'widget');

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

const cache = new Map<string, { mtimeMs: number; asset: Asset }>();

/** A built widget file, read once and kept with its gzip (re-read when the build changes it). */
export function widgetAsset(name: 'widget.js' | 'app.js'): Asset | null {
  const path = join(WIDGET_BUILD_DIR, name);
  if (!existsSync(path)) return null;
  const mtimeMs = statSync(path).mtimeMs;
  const hit = cache.get(name);
  if (hit && hit.mtimeMs === mtimeMs) return hit.asset;
  const body = readFileSync(path);
  const asset = {
    body,
    gzip: gzipSync(body, { level: 9 }),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
  };
  cache.set(name, { mtimeMs, asset });
  return asset;
}

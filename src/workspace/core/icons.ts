import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeModulesDir } from '../../common/paths';

/**
 * Lucide icons (npm lucide-static, ISC), inlined from node_modules so nothing loads from another
 * host. Icons are decorative (aria-hidden): the element around them carries the text or label.
 */
const cache = new Map<string, string>();
const NAME = /^[a-z0-9-]{1,40}$/;

function load(name: string): string {
  if (!NAME.test(name)) return '';
  try {
    const svg = readFileSync(join(nodeModulesDir, 'lucide-static/icons', `${name}.svg`), 'utf8');
    return svg
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/\s+/g, ' ')
      .replace(/<svg[^>]*>/, '')
      .replace(/<\/svg>\s*$/, '')
      .trim();
  } catch {
    return '';
  }
}

export function iconSvg(name: string, size = 16, className = ''): string {
  let inner = cache.get(name);
  if (inner === undefined) cache.set(name, (inner = load(name)));
  const cls = className ? `icon ${className}` : 'icon';
  return (
    `<svg class="${cls}" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" ` +
    `stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${inner}</svg>`
  );
}

/** Colour maths for the widget: which text colour reads on the admin's accent (WCAG AA). */
function channel(v: number): number {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever contrasts more with the accent colour. */
export function onColorFor(accent: string): { color: string; contrast: number } {
  const white = contrastRatio(accent, '#ffffff');
  const dark = contrastRatio(accent, '#111827');
  return white >= dark ? { color: '#ffffff', contrast: white } : { color: '#111827', contrast: dark };
}

export function embedSnippet(baseUrl: string, widgetId: string): string {
  return [
    '<script>',
    '  window.Sori = window.Sori || function () { (window.Sori.q = window.Sori.q || []).push(arguments); };',
    '</script>',
    `<script async src="${baseUrl}/widget.js" data-sori-widget="${widgetId}"></script>`,
  ].join('\n');
}

/** Glob on URLs: `*` matches any run of characters; everything else is literal. */
export function urlMatches(pattern: string | null, url: string): boolean {
  if (!pattern) return true;
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(url);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

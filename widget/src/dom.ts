type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
export type Child = Node | string | null | undefined | false;

/** A tiny element builder: attributes, `on*` listeners, text or node children. */
export function h(tag: string, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'html') el.innerHTML = String(v);
    else if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A stable colour per name for initials avatars. */
export function avatar(name: string, size = 28): HTMLElement {
  const palette = ['#4f46e5', '#0e7490', '#b45309', '#be185d', '#15803d', '#7c3aed', '#c2410c', '#1d4ed8'];
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .map((p) => [...p][0])
      .slice(0, 2)
      .join('') || '?';
  const el = h('span', { class: 'av', 'aria-hidden': 'true' }, initials);
  el.style.background = palette[hash % palette.length];
  el.style.width = el.style.height = `${size}px`;
  return el;
}

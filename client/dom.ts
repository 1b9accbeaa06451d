/** Small DOM helpers shared by the workspace's client modules. */

export interface ClientConfig {
  csrf: string;
  agentId: string;
  locale: 'en' | 'ko';
  timeZone: string;
  strings: Record<string, string>;
}

let config: ClientConfig | null = null;

export function clientConfig(): ClientConfig {
  if (!config) {
    const el = document.getElementById('sori-client');
    config = el ? (JSON.parse(el.textContent || '{}') as ClientConfig) : null;
    config ??= { csrf: '', agentId: '', locale: 'en', timeZone: 'UTC', strings: {} };
  }
  return config;
}

/** A client string in the page's language; `{name}` placeholders are filled from vars. */
export function str(key: string, vars: Record<string, string | number> = {}): string {
  const template = clientConfig().strings[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function $(selector: string, root: ParentNode = document): HTMLElement | null {
  return root.querySelector<HTMLElement>(selector);
}

export function $$(selector: string, root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(selector)];
}

/** The session expired while the page was open: sign in again, then come back here. */
export function toSignIn(): void {
  const next = encodeURIComponent(location.pathname + location.search);
  location.assign(`/app/login?expired=1&next=${next}`);
}

/** GET a server-rendered fragment (same templates as the page) or JSON; handles an expired session. */
export async function fetchPartial(url: string, accept: 'html' | 'json' = 'html'): Promise<string | null> {
  const res = await fetch(url, {
    headers: { 'X-Sori-Partial': '1', Accept: accept === 'json' ? 'application/json' : 'text/html' },
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    toSignIn();
    return null;
  }
  if (!res.ok) return null;
  return res.text();
}

export async function fetchJson<T>(url: string): Promise<T | null> {
  const text = await fetchPartial(url, 'json');
  return text === null ? null : (JSON.parse(text) as T);
}

/** POST with the session's CSRF token in a header (JSON or form data). */
export async function post(url: string, body: FormData | Record<string, unknown>): Promise<Response> {
  const isForm = body instanceof FormData;
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'X-CSRF-Token': clientConfig().csrf,
      'X-Sori-Partial': '1',
      ...(isForm ? {} : { 'Content-Type': 'application/json' }),
    },
    body: isForm ? body : JSON.stringify(body),
  });
  if (res.status === 401) toSignIn();
  return res;
}

/** Parses trusted server HTML into nodes. */
export function fragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

export function announce(text: string): void {
  let region = document.getElementById('sori-live');
  if (!region) {
    region = document.createElement('div');
    region.id = 'sori-live';
    region.className = 'sr-only';
    region.setAttribute('aria-live', 'polite');
    document.body.append(region);
  }
  region.textContent = text;
}

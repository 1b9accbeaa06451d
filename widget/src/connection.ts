import { tokenKey, type Host } from './shared';

export function timezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The visitor token kept in localStorage, or a new anonymous visitor's. */
export async function visitorToken(host: Host): Promise<string> {
  const key = tokenKey(host.config.id);
  try {
    const stored = localStorage.getItem(key);
    if (stored) return stored;
  } catch {
    /* storage blocked: a new visitor per page load */
  }
  const res = await fetch(`${host.base}/widget/${host.config.id}/visitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale: host.locale, timezone: timezone(), referrer: document.referrer || null }),
  });
  if (!res.ok) throw new Error(`visitor ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  try {
    localStorage.setItem(key, token);
  } catch {
    /* ignore */
  }
  return token;
}

export function forgetToken(host: Host): void {
  try {
    localStorage.removeItem(tokenKey(host.config.id));
  } catch {
    /* ignore */
  }
}

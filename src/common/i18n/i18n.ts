import { en, type MessageKey } from './en';
import { ko } from './ko';

export const LOCALES = ['en', 'ko'] as const;
export type UiLocale = (typeof LOCALES)[number];

const catalogs: Record<UiLocale, Record<MessageKey, string>> = { en, ko };

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** Translates a key; `{name}` placeholders are filled from vars. Unknown keys show the key itself. */
export function t(locale: UiLocale, key: string, vars: Record<string, string | number> = {}): string {
  const template = isMessageKey(key) ? catalogs[locale][key] : key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Picks en or ko from an explicit choice, then Accept-Language, defaulting to English. */
export function negotiateLocale(explicit: string | undefined, acceptLanguage: string | undefined): UiLocale {
  if (explicit === 'ko' || explicit === 'en') return explicit;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.lang === 'ko' || x.lang === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as UiLocale | undefined) ?? 'en';
}

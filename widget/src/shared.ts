/** What the loader hands the lazily loaded app (they are built separately). */
export interface WidgetConfig {
  id: string;
  name: string;
  mode: 'live_chat' | 'messaging';
  color: string;
  onColor: string;
  logoUrl: string | null;
  position: 'left' | 'right';
  launcherText: string;
  greeting: string;
  greetingKo: string;
  locale: 'auto' | 'en' | 'ko';
  requireIdentified: boolean;
  hasProactiveRules?: boolean;
  /** Set on the settings page's preview: the appearance in `config` wins over the saved one. */
  preview?: 1;
}

export type Locale = 'en' | 'ko';

export interface Host {
  root: ShadowRoot;
  /** The element inside the shadow root that resets inherited styles; the app renders into it. */
  frame: HTMLElement;
  config: WidgetConfig;
  base: string;
  locale: Locale;
  emit(event: string, data?: unknown): void;
  setUnread(n: number): void;
  setOpen(open: boolean): void;
  setLocale(locale: Locale): void;
}

export interface AppApi {
  command(name: string, args: unknown[]): unknown;
}

export const tokenKey = (widgetId: string) => `sori:${widgetId}:visitor`;

export function detectLocale(setting: WidgetConfig['locale'], stored: string | null): Locale {
  if (stored === 'ko' || stored === 'en') return stored;
  if (setting !== 'auto') return setting;
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const tag = (l || '').toLowerCase();
    if (tag.startsWith('ko')) return 'ko';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

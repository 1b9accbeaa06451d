import type { UiLocale } from '../../common/i18n/i18n';

/** Dates and numbers for pages: in the agent's language and time zone (Intl), cached formatters. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function dateFormat(locale: UiLocale, timeZone: string, style: string): Intl.DateTimeFormat {
  const key = `d|${locale}|${timeZone}|${style}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    const options: Record<string, Intl.DateTimeFormatOptions> = {
      time: { hour: 'numeric', minute: '2-digit' },
      day: { month: 'short', day: 'numeric' },
      date: { year: 'numeric', month: 'short', day: 'numeric' },
      full: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
      ymd: { year: 'numeric', month: '2-digit', day: '2-digit' },
    };
    // Korean: a 24-hour clock, as Korean business software shows it (and no day-period names needed)
    const hourCycle = locale === 'ko' && options[style].hour ? ({ hourCycle: 'h23' } as const) : {};
    f = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-US', {
      ...options[style],
      ...hourCycle,
      timeZone: safeZone(timeZone),
    });
    cache.set(key, f);
  }
  return f;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Full date and time, e.g. "Mar 3, 2026, 2:05 PM" / "2026년 3월 3일 오후 2:05". */
export function formatDateTime(value: unknown, locale: UiLocale, timeZone: string): string {
  const d = toDate(value);
  return d ? dateFormat(locale, timeZone, 'full').format(d) : '';
}

export function formatDate(value: unknown, locale: UiLocale, timeZone: string): string {
  const d = toDate(value);
  return d ? dateFormat(locale, timeZone, 'date').format(d) : '';
}

/** Compact for lists: the time today, the day this year, the date before. */
export function formatShort(value: unknown, locale: UiLocale, timeZone: string, now = new Date()): string {
  const d = toDate(value);
  if (!d) return '';
  const ymd = (x: Date) => dateFormat(locale, timeZone, 'ymd').format(x);
  if (ymd(d) === ymd(now)) return dateFormat(locale, timeZone, 'time').format(d);
  const sameYear = ymd(d).slice(0, 4) === ymd(now).slice(0, 4) || ymd(d).slice(-4) === ymd(now).slice(-4);
  return dateFormat(locale, timeZone, sameYear ? 'day' : 'date').format(d);
}

/** "5 minutes ago" / "5분 전", for the last hours; the short date after that. */
export function formatRelative(value: unknown, locale: UiLocale, timeZone: string, now = new Date()): string {
  const d = toDate(value);
  if (!d) return '';
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) >= 12 * 3600) return formatShort(d, locale, timeZone, now);
  const key = `r|${locale}`;
  let f = cache.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' })));
  if (Math.abs(seconds) < 60) return f.format(0, 'second');
  if (Math.abs(seconds) < 3600) return f.format(Math.round(seconds / 60), 'minute');
  return f.format(Math.round(seconds / 3600), 'hour');
}

export function formatNumber(value: unknown, locale: UiLocale): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '';
  const key = `n|${locale}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US')));
  return f.format(n);
}

/** Every IANA zone the runtime knows, for the profile's time zone picker. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? ['UTC', 'Asia/Seoul', 'America/New_York', 'Europe/London'];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

import type { Holiday, OpeningInterval } from './entities';

export interface Schedule {
  timezone: string;
  weekly: OpeningInterval[];
  holidays: Holiday[];
}

interface LocalTime {
  date: string;
  weekday: number;
  minutes: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export function isValidTime(v: string): boolean {
  return HHMM.test(v);
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

function parts(tz: string, at: Date): Record<string, string> {
  return Object.fromEntries(
    partsFormatter(tz)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
}

/** Wall-clock date, weekday and minute of the day of an instant in a timezone. */
export function localTime(tz: string, at: Date): LocalTime {
  const p = parts(tz, at);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: WEEKDAYS.indexOf(p.weekday),
    minutes: Number(p.hour) * 60 + Number(p.minute),
  };
}

/** The instant at which the wall clock in `tz` shows `date` (YYYY-MM-DD) and `minutes`. */
export function instantOf(tz: string, date: string, minutes: number): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = parts(tz, new Date(guess));
    const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    const diff = shown - wall;
    if (diff === 0) break;
    guess -= diff;
  }
  return new Date(guess);
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Open right now? Holidays close the whole day; `close` of "24:00" means midnight. */
export function isOpen(s: Schedule, at: Date): boolean {
  const now = localTime(s.timezone, at);
  if (s.holidays.some((h) => h.date === now.date)) return false;
  return s.weekly.some(
    (i) => i.day === now.weekday && toMinutes(i.open) <= now.minutes && now.minutes < toMinutes(i.close),
  );
}

/** The next moment the schedule opens after `at`, within three weeks; null when it never does. */
export function nextOpening(s: Schedule, at: Date): Date | null {
  const today = localTime(s.timezone, at);
  for (let d = 0; d < 21; d++) {
    const date = addDays(today.date, d);
    if (s.holidays.some((h) => h.date === date)) continue;
    const weekday = (today.weekday + d) % 7;
    const opens = s.weekly
      .filter((i) => i.day === weekday)
      .map((i) => toMinutes(i.open))
      .sort((a, b) => a - b);
    for (const minutes of opens) {
      const instant = instantOf(s.timezone, date, minutes);
      if (instant.getTime() > at.getTime()) return instant;
    }
  }
  return null;
}

/**
 * "Monday 09:00" in the visitor's timezone and language ("월요일 09:00"); "today"/"tomorrow"
 * ("오늘"/"내일") when that is nearer the truth.
 */
export function formatReturn(at: Date, locale: 'en' | 'ko', timezone: string, now: Date): string {
  const tz = isValidTimezone(timezone) ? timezone : 'UTC';
  const time = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  const day = localTime(tz, at).date;
  const today = localTime(tz, now).date;
  if (day === today) return `${locale === 'ko' ? '오늘' : 'today'} ${time}`;
  if (day === addDays(today, 1)) return `${locale === 'ko' ? '내일' : 'tomorrow'} ${time}`;
  const weekday = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-US', {
    timeZone: tz,
    weekday: 'long',
  }).format(at);
  return `${weekday} ${time}`;
}

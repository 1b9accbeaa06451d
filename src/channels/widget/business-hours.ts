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

/** Why a schedule cannot be saved; `day` is 0 = Sunday … 6 = Saturday. */
export type ScheduleProblem =
  | { reason: 'badTime'; day: number; open: string; close: string }
  | { reason: 'endBeforeStart'; day: number; open: string; close: string }
  | { reason: 'overlap'; day: number; first: string; second: string }
  | { reason: 'badDate'; date: string }
  | { reason: 'duplicateDate'; date: string };

const span = (i: OpeningInterval) => `${i.open}–${i.close}`;
const end = (i: OpeningInterval) => (i.close === '24:00' ? 24 * 60 : toMinutes(i.close));

function isRealDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number);
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

/** Every problem of weekly intervals (bad times, closing before opening, overlaps) and closed dates. */
export function scheduleProblems(weekly: OpeningInterval[], holidays: Holiday[]): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const valid: OpeningInterval[] = [];
  for (const i of weekly) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(i.open) || !isValidTime(i.close) || i.day < 0 || i.day > 6) {
      problems.push({ reason: 'badTime', day: i.day, open: i.open, close: i.close });
    } else if (end(i) <= toMinutes(i.open)) {
      problems.push({ reason: 'endBeforeStart', day: i.day, open: i.open, close: i.close });
    } else valid.push(i);
  }
  for (let day = 0; day < 7; day++) {
    const today = valid.filter((i) => i.day === day).sort((a, b) => toMinutes(a.open) - toMinutes(b.open));
    for (let k = 1; k < today.length; k++) {
      if (toMinutes(today[k].open) < end(today[k - 1])) {
        problems.push({ reason: 'overlap', day, first: span(today[k - 1]), second: span(today[k]) });
      }
    }
  }
  const seen = new Set<string>();
  for (const h of holidays) {
    if (!isRealDate(h.date)) problems.push({ reason: 'badDate', date: h.date });
    else if (seen.has(h.date)) problems.push({ reason: 'duplicateDate', date: h.date });
    seen.add(h.date);
  }
  return problems;
}

/** One line per problem, for API clients and logs (the workspace translates the problems itself). */
export function describeProblem(p: ScheduleProblem): string {
  const day = WEEKDAYS[p.reason === 'badDate' || p.reason === 'duplicateDate' ? 0 : p.day] ?? '?';
  switch (p.reason) {
    case 'badTime':
      return `On ${day}, "${p.open}"–"${p.close}" is not a time range like 09:00–18:00.`;
    case 'endBeforeStart':
      return `On ${day}, ${p.open}–${p.close} closes before it opens.`;
    case 'overlap':
      return `On ${day}, ${p.first} and ${p.second} overlap.`;
    case 'badDate':
      return `"${p.date}" is not a date like 2026-12-25.`;
    case 'duplicateDate':
      return `${p.date} is listed twice.`;
  }
}

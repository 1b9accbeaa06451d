import { formatReturn } from '../../channels/widget/business-hours';
import type { BusinessHours, Holiday, OpeningInterval } from '../../channels/widget/entities';
import type { BusinessHoursData } from '../../channels/widget/widgets.service';
import type { UiLocale } from '../../common/i18n/i18n';
import { str } from './admin';

type Form = Record<string, unknown>;

/** Monday first, as schedules are read in both languages; values are 0 = Sunday … 6 = Saturday. */
const WEEK = [1, 2, 3, 4, 5, 6, 0];
/** Intervals a day can hold on the page: a split shift and an evening, without any script. */
export const SLOTS = 3;
export const TIMEZONES: string[] = Intl.supportedValuesOf('timeZone');

/**
 * The form's days and holidays. A close of 24:00 (or 00:00) means midnight at the end of the day;
 * a slot with one time only reaches the service, which says what is wrong.
 */
export function parseHoursForm(body: Form): BusinessHoursData {
  const weekly: OpeningInterval[] = [];
  for (const day of WEEK) {
    for (let slot = 0; slot < SLOTS; slot++) {
      const open = str(body[`open_${day}_${slot}`], 5).trim();
      const close = str(body[`close_${day}_${slot}`], 5).trim();
      if (!open && !close) continue;
      weekly.push({ day, open, close: close === '00:00' && open ? '24:00' : close });
    }
  }
  const holidays: Holiday[] = str(body.holidays, 20_000)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, 200)
    .map((line) => {
      const [date, ...name] = line.split(/\s+/);
      return { date, name: name.join(' ').slice(0, 100) };
    });
  return { name: str(body.name, 100).trim(), timezone: str(body.timezone, 64).trim(), weekly, holidays };
}

/** A schedule as the page shows it: days Monday first with their slots, holidays one per line, state. */
export function hoursView(
  h: BusinessHours | null,
  state: { isOpenNow: boolean; nextOpeningAt: Date | null } | null,
  locale: UiLocale,
  agentTz: string,
) {
  const weekly = h?.weekly ?? WEEK.slice(0, 5).map((day) => ({ day, open: '09:00', close: '18:00' }));
  return {
    id: h?.id ?? 'new',
    name: h?.name ?? '',
    timezone: h?.timezone ?? agentTz,
    isNew: !h,
    isOpenNow: state?.isOpenNow ?? false,
    nextOpening: state?.nextOpeningAt ? formatReturn(state.nextOpeningAt, locale, agentTz, new Date()) : null,
    summary: WEEK.filter((d) => weekly.some((i) => i.day === d)).length,
    days: WEEK.map((day) => {
      const mine = weekly.filter((i) => i.day === day).sort((a, b) => a.open.localeCompare(b.open));
      return {
        day,
        closed: mine.length === 0,
        slots: Array.from({ length: Math.max(SLOTS, mine.length) }, (_, slot) => ({
          slot,
          n: slot + 1,
          open: mine[slot]?.open ?? '',
          close: mine[slot]?.close ?? '',
        })),
      };
    }),
    holidaysText: (h?.holidays ?? []).map((x) => `${x.date} ${x.name}`.trim()).join('\n'),
    holidayCount: h?.holidays.length ?? 0,
  };
}

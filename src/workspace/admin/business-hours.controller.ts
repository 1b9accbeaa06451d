import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { ScheduleProblem } from '../../channels/widget/business-hours';
import { WidgetsService } from '../../channels/widget/widgets.service';
import { DomainError } from '../../common/errors/domain-error';
import { t, type UiLocale } from '../../common/i18n/i18n';
import { setFlash } from '../core/flash';
import type { PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { adminPage } from './admin';
import { hoursView, parseHoursForm, TIMEZONES } from './business-hours-form';

type Form = Record<string, unknown>;
const BASE = '/app/settings/business-hours';

/** Settings → Business hours: weekly schedules with split shifts and closed dates, in a timezone. */
@Controller(BASE.slice(1))
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class BusinessHoursSettingsController {
  constructor(private readonly widgets: WidgetsService) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    const schedules = await this.widgets.listBusinessHours(page.actor);
    renderPage(req, res, 'workspace/settings/business-hours', {
      nav: 'settings',
      tab: 'hours',
      title: t(page.locale, 'hours.title'),
      schedules: schedules.map((h) => hoursView(h, this.widgets.scheduleState(h), page.locale, page.timezone)),
      blank: hoursView(null, null, page.locale, page.timezone),
      timezones: TIMEZONES,
    });
  }

  @Post()
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    await this.saving(res, page.locale, () => this.widgets.saveBusinessHours(page.actor, null, parseHoursForm(body)));
    res.redirect(303, BASE);
  }

  @Post(':id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    if (body.delete === '1') {
      await this.widgets.deleteBusinessHours(page.actor, id);
      setFlash(res, { kind: 'ok', key: 'hours.deleted' });
    } else {
      await this.saving(res, page.locale, () => this.widgets.saveBusinessHours(page.actor, id, parseHoursForm(body)));
    }
    res.redirect(303, `${BASE}#h-${id}`);
  }

  /** Saves; refused schedules come back as one message listing each problem in the admin's words. */
  private async saving(res: Response, locale: UiLocale, save: () => Promise<unknown>): Promise<void> {
    try {
      await save();
      setFlash(res, { kind: 'ok', key: 'settings.saved' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const problems = err.details.scheduleProblems as ScheduleProblem[] | undefined;
      const field = err.details.field;
      if (problems?.length) {
        const text = problems.map((p) => problemText(p, locale)).join(' ');
        setFlash(res, { kind: 'error', key: 'hours.invalid', vars: { problems: text } });
      } else if (field === 'timezone' || field === 'name') {
        setFlash(res, { kind: 'error', key: `hours.invalid.${field}` });
      } else throw err;
    }
  }
}

function problemText(p: ScheduleProblem, locale: UiLocale): string {
  if (p.reason === 'badDate' || p.reason === 'duplicateDate') return t(locale, `hours.problem.${p.reason}`, p);
  const day = t(locale, `hours.day.${p.day}`);
  return t(locale, `hours.problem.${p.reason}`, { ...p, day });
}

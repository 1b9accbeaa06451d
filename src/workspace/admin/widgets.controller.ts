import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { embedSnippet } from '../../channels/widget/appearance';
import type { Widget } from '../../channels/widget/entities';
import { FIELD_TYPES } from '../../channels/widget/prechat';
import { RulesAndBlocksService } from '../../channels/widget/rules-blocks.service';
import { WidgetsService } from '../../channels/widget/widgets.service';
import { DomainError } from '../../common/errors/domain-error';
import { t } from '../../common/i18n/i18n';
import { AgentsService } from '../../identity/agents.service';
import { setFlash } from '../core/flash';
import type { PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { adminPage } from './admin';
import { customFieldRows } from './prechat-form';
import {
  AUDIENCES,
  contrastOf,
  LOCALES,
  MODES,
  parseNewWidget,
  parseRuleForm,
  parseWidgetForm,
  preChatRows,
} from './widget-form';

type Form = Record<string, unknown>;
const BASE = '/app/settings/channels/widget';

/** The query string of the preview page: the appearance fields, so unsaved edits show at once. */
export function previewQuery(
  w: Pick<Widget, 'color' | 'launcherText' | 'position' | 'greeting' | 'greetingKo' | 'locale' | 'logoUrl'>,
) {
  return new URLSearchParams({
    color: w.color,
    launcherText: w.launcherText,
    position: w.position,
    greeting: w.greeting,
    greetingKo: w.greetingKo,
    locale: w.locale,
    logoUrl: w.logoUrl ?? '',
  }).toString();
}

/** Settings → Channels → Web widget: the list, the editor with a live preview and the snippet. */
@Controller(BASE.slice(1))
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class WidgetsSettingsController {
  constructor(
    private readonly widgets: WidgetsService,
    private readonly rules: RulesAndBlocksService,
    private readonly agents: AgentsService,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    const widgets = await this.widgets.list(page.actor);
    renderPage(req, res, 'workspace/settings/widgets', {
      nav: 'settings',
      tab: 'widget',
      title: t(page.locale, 'widgets.title'),
      widgets: widgets.map((w) => ({ ...w, onColor: contrastOf(w.color).on })),
      modes: MODES,
    });
  }

  @Post()
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    const { widget, secret } = await this.widgets.create(page.actor, parseNewWidget(body));
    await this.renderEditor(req, res, widget, { secret, created: true });
  }

  @Get(':id')
  async edit(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const page = adminPage(req);
    await this.renderEditor(req, res, await this.widgets.get(page.actor, id));
  }

  @Post(':id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    await this.saving(res, () => this.widgets.update(page.actor, id, parseWidgetForm(body)));
    res.redirect(303, `${BASE}/${id}`);
  }

  @Post(':id/secret')
  async rotate(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const page = adminPage(req);
    const { widget, secret } = await this.widgets.rotateSecret(page.actor, id);
    await this.renderEditor(req, res, widget, { secret });
  }

  @Post(':id/delete')
  async remove(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const page = adminPage(req);
    await this.widgets.delete(page.actor, id);
    setFlash(res, { kind: 'ok', key: 'widgets.deleted' });
    res.redirect(303, BASE);
  }

  @Post(':id/rules')
  async addRule(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    await this.saving(res, () => this.rules.saveRule(page.actor, null, id, parseRuleForm(body)));
    res.redirect(303, `${BASE}/${id}#rules`);
  }

  @Post(':id/rules/:ruleId')
  async updateRule(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('ruleId', ParseUUIDPipe) ruleId: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    if (body.delete === '1') await this.rules.deleteRule(page.actor, ruleId);
    else await this.saving(res, () => this.rules.saveRule(page.actor, ruleId, null, parseRuleForm(body)));
    res.redirect(303, `${BASE}/${id}#rules`);
  }

  /** Runs a save; a value the service refuses is flashed in the admin's words, naming the field. */
  private async saving(res: Response, save: () => Promise<unknown>): Promise<void> {
    try {
      await save();
      setFlash(res, { kind: 'ok', key: 'settings.saved' });
    } catch (err) {
      const field = err instanceof DomainError ? err.details.field : undefined;
      if (typeof field !== 'string') throw err;
      const { reason, preChatField } = (err as DomainError).details;
      if (field === 'preChatFields' && typeof reason === 'string') {
        // which question and what is wrong with it, in the admin's language
        const vars = { key: typeof preChatField === 'string' ? preChatField : '' };
        return setFlash(res, { kind: 'error', key: `widgets.invalid.preChatFields.${reason}`, vars });
      }
      setFlash(res, { kind: 'error', key: `widgets.invalid.${field}` });
    }
  }

  private async renderEditor(
    req: PageRequest,
    res: Response,
    widget: Widget,
    extra: { secret?: string; created?: boolean } = {},
  ) {
    const page = adminPage(req);
    const [hours, groups, rules] = await Promise.all([
      this.widgets.listBusinessHours(page.actor),
      this.agents.listGroups(),
      this.rules.rules(page.actor, widget.id),
    ]);
    renderPage(req, res, 'workspace/settings/widget', {
      nav: 'settings',
      tab: 'widget',
      title: `${widget.name} · ${t(page.locale, 'widgets.title')}`,
      widget: {
        ...widget,
        unreadEmailDelayMinutes: Math.round(widget.unreadEmailDelaySeconds / 60),
        originsText: widget.allowedOrigins.join('\n'),
      },
      contrast: contrastOf(widget.color),
      preChat: preChatRows(widget),
      customFields: customFieldRows(widget),
      fieldTypes: FIELD_TYPES,
      snippet: embedSnippet(this.widgets.baseUrl, widget.id),
      previewSrc: `/widget/${widget.id}/preview?${previewQuery(widget)}`,
      hours: hours.map((h) => ({ id: h.id, name: h.name, selected: h.id === widget.businessHoursId })),
      groups: groups.map((g) => ({ id: g.id, name: g.name, selected: g.id === widget.groupId })),
      rules,
      modes: MODES,
      locales: LOCALES,
      audiences: AUDIENCES,
      ...extra,
    });
  }
}

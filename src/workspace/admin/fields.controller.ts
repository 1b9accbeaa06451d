import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { t } from '../../common/i18n/i18n';
import type { TicketFieldType } from '../../tickets/entities';
import { TicketFieldsService } from '../../tickets/ticket-fields.service';
import { setFlash } from '../core/flash';
import type { PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { fieldLabel } from '../tickets/custom-fields-form';
import { adminPage, listOf, str } from './admin';

type Form = Record<string, unknown>;
const TYPES: TicketFieldType[] = ['text', 'number', 'date', 'dropdown', 'checkbox'];
const optionsOf = (v: unknown) =>
  str(v, 20_000)
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);

/** Settings → Ticket fields and Ticket forms (which fields a ticket shows, and in which order). */
@Controller('app/settings')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class FieldsSettingsController {
  constructor(private readonly fields: TicketFieldsService) {}

  @Get('fields')
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    const fields = await this.fields.list(page.actor, true);
    renderPage(req, res, 'workspace/settings/fields', {
      nav: 'settings',
      tab: 'fields',
      title: t(page.locale, 'settings.fields'),
      fields: fields.map((f) => ({ ...f, optionsText: f.options.join('\n') })),
      types: TYPES,
    });
  }

  @Post('fields')
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    await this.fields.create(page.actor, {
      key: str(body.key, 63),
      label: str(body.label, 200),
      labelKo: str(body.labelKo, 200) || null,
      type: TYPES.includes(body.type as TicketFieldType) ? (body.type as TicketFieldType) : 'text',
      options: optionsOf(body.options),
      required: body.required === 'true',
    });
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/fields');
  }

  @Post('fields/:id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    await this.fields.update(page.actor, id, {
      label: str(body.label, 200),
      labelKo: str(body.labelKo, 200) || null,
      required: body.required === 'true',
      active: body.active !== 'false',
      options: 'options' in body ? optionsOf(body.options) : undefined,
    });
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/fields');
  }

  @Get('forms')
  async forms(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    const [forms, fields] = await Promise.all([this.fields.listForms(page.actor, true), this.fields.list(page.actor)]);
    const options = fields.map((f) => ({ id: f.id, label: fieldLabel(f, page.locale), key: f.key }));
    renderPage(req, res, 'workspace/settings/forms', {
      nav: 'settings',
      tab: 'forms',
      title: t(page.locale, 'settings.forms'),
      forms: forms.map((form) => ({
        ...form,
        fieldOptions: options.map((o) => ({ ...o, checked: form.fieldIds.includes(o.id) })),
      })),
      fieldOptions: options,
    });
  }

  @Post('forms')
  async createForm(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    await this.fields.createForm(page.actor, {
      name: str(body.name, 200),
      fieldIds: listOf(body.fieldIds),
      isDefault: body.isDefault === 'true',
    });
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/forms');
  }

  @Post('forms/:id')
  async updateForm(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    await this.fields.updateForm(page.actor, id, {
      name: str(body.name, 200),
      fieldIds: listOf(body.fieldIds),
      isDefault: body.isDefault === 'true' ? true : undefined,
      active: body.active !== 'false',
    });
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, '/app/settings/forms');
  }
}

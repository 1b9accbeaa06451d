import { Body, Controller, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ValidationError } from '../../common/errors/domain-error';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../tickets/entities';
import type { TicketPriority, TicketStatus, TicketType } from '../../tickets/entities';
import { TicketFieldsService } from '../../tickets/ticket-fields.service';
import { TicketFollowersService } from '../../tickets/ticket-followers.service';
import { TicketMergeService } from '../../tickets/ticket-merge.service';
import { TicketsService, type UpdateTicketData } from '../../tickets/tickets.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { SignedInGuard } from '../core/signed-in.guard';
import { fieldsInEffect, parseFieldInputs } from './custom-fields-form';
import { isInboxView } from '../inbox/inbox-data.service';
import { TicketScreen } from './ticket-screen.service';

type Form = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const idOrNull = (v: unknown) => (UUID.test(str(v)) ? str(v) : null);

/** The side panel's forms: properties (with the ticket version), assign to me, follow, links and merge. */
@Controller('app/tickets')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class TicketPropertiesController {
  constructor(
    private readonly screen: TicketScreen,
    private readonly tickets: TicketsService,
    private readonly fields: TicketFieldsService,
    private readonly followers: TicketFollowersService,
    private readonly merges: TicketMergeService,
  ) {}

  private back(res: Response, number: number, body: Form) {
    const view = str(body.view);
    res.redirect(303, `/app/tickets/${number}${isInboxView(view) ? `?view=${view}` : ''}`);
  }

  @Post(':number/properties')
  async properties(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const [fields, forms] = await Promise.all([this.fields.list(page.actor), this.fields.listForms(page.actor)]);
    const data: UpdateTicketData = {
      expectedVersion: Number(body.version),
      customFields: parseFieldInputs(body, fieldsInEffect(ticket, fields, forms)),
    };
    if (!Number.isInteger(data.expectedVersion)) throw new ValidationError('The form has no ticket version.');
    if (TICKET_STATUSES.includes(body.status as TicketStatus)) data.status = body.status as TicketStatus;
    if (TICKET_PRIORITIES.includes(body.priority as TicketPriority)) data.priority = body.priority as TicketPriority;
    if ('type' in body) data.type = TICKET_TYPES.includes(body.type as TicketType) ? (body.type as TicketType) : null;
    if ('assigneeId' in body) data.assigneeId = idOrNull(body.assigneeId);
    if ('groupId' in body) data.groupId = idOrNull(body.groupId);
    if ('tags' in body)
      data.tags = str(body.tags)
        .split(/[,\n]+/)
        .map((t) => t.trim())
        .filter(Boolean);
    if ('subject' in body && str(body.subject).trim()) data.subject = str(body.subject);
    await this.tickets.update(page.actor, ticket.id, data);
    setFlash(res, { kind: 'ok', key: 'ticket.saved' });
    this.back(res, ticket.number, body);
  }

  @Post(':number/assign-me')
  async assignMe(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    await this.tickets.update(page.actor, ticket.id, {
      assigneeId: page.agent.id,
      expectedVersion: Number(body.version) || undefined,
    });
    setFlash(res, { kind: 'ok', key: 'ticket.assignedToYou' });
    this.back(res, ticket.number, body);
  }

  @Post(':number/follow')
  async follow(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const agentId = idOrNull(body.agentId);
    if (body.follow === '0') {
      if (agentId && agentId !== page.agent.id) await this.followers.remove(page.actor, ticket.id, agentId);
      else await this.followers.unfollow(page.actor, ticket.id);
    } else if (agentId && agentId !== page.agent.id) await this.followers.add(page.actor, ticket.id, agentId);
    else await this.followers.follow(page.actor, ticket.id);
    this.back(res, ticket.number, body);
  }

  @Post(':number/links')
  async link(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const other = await this.screen.find(page, str(body.other).replace(/^#/, '').trim());
    if (body.unlink === '1') await this.merges.unlink(page.actor, ticket.id, other.id);
    else await this.merges.link(page.actor, ticket.id, other.id);
    setFlash(res, {
      kind: 'ok',
      key: body.unlink === '1' ? 'ticket.unlinked' : 'ticket.linked',
      vars: { number: other.number },
    });
    this.back(res, ticket.number, body);
  }

  @Post(':number/merge')
  async merge(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const target = await this.screen.find(page, str(body.target).replace(/^#/, '').trim());
    await this.merges.merge(page.actor, [ticket.id], target.id);
    setFlash(res, { kind: 'ok', key: 'bulk.merged', vars: { count: 1, number: target.number } });
    this.back(res, target.number, body);
  }
}

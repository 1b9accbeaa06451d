import { Body, Controller, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { MacrosService } from '../../automation/macros.service';
import { ValidationError } from '../../common/errors/domain-error';
import { TicketTagsService } from '../../tickets/ticket-tags.service';
import { TicketMergeService } from '../../tickets/ticket-merge.service';
import { TicketsService, type UpdateTicketData } from '../../tickets/tickets.service';
import { TICKET_STATUSES, type TicketStatus } from '../../tickets/entities';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { backTo, errorKey, PageErrorFilter } from '../core/page-errors.filter';
import { SignedInGuard } from '../core/signed-in.guard';

type Form = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function idsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && UUID.test(v)))].slice(0, 100);
}

/** Bulk actions on selected tickets: assign, status, tags, macro, merge. Each ticket goes through the services' rules. */
@Controller('app')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class BulkController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly tags: TicketTagsService,
    private readonly merges: TicketMergeService,
    private readonly macros: MacrosService,
  ) {}

  @Post('bulk')
  async bulk(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = req.page as PageContext;
    const ids = idsOf(body.ids);
    if (!ids.length) {
      setFlash(res, { kind: 'warn', key: 'bulk.noneSelected' });
      return res.redirect(303, backTo(req));
    }
    if (body.action === 'merge') return this.merge(req, res, page, ids, body);
    const run = this.action(page, body);
    let done = 0;
    let firstError: unknown = null;
    for (const id of ids) {
      try {
        await run(id);
        done++;
      } catch (err) {
        firstError ??= err;
      }
    }
    if (firstError) {
      setFlash(res, { kind: 'error', key: 'bulk.partial', vars: { done, failed: ids.length - done } });
    } else setFlash(res, { kind: 'ok', key: 'bulk.done', vars: { count: done } });
    res.redirect(303, backTo(req));
  }

  private action(page: PageContext, body: Form): (id: string) => Promise<unknown> {
    switch (body.action) {
      case 'assign': {
        const to = typeof body.assignee === 'string' ? body.assignee : '';
        const data: UpdateTicketData =
          to === 'none' ? { assigneeId: null } : { assigneeId: to === 'me' ? page.agent.id : to };
        if (to !== 'none' && to !== 'me' && !UUID.test(to)) throw new ValidationError('Pick an agent.');
        return (id) => this.tickets.update(page.actor, id, data);
      }
      case 'status': {
        const status = body.status as TicketStatus;
        if (!TICKET_STATUSES.includes(status)) throw new ValidationError('Pick a status.');
        return (id) => this.tickets.update(page.actor, id, { status });
      }
      case 'tags': {
        const tags = (typeof body.tags === 'string' ? body.tags : '')
          .split(/[,\s]+/)
          .filter(Boolean)
          .slice(0, 20);
        if (!tags.length) throw new ValidationError('Type at least one tag.');
        return (id) => this.tags.add(page.actor, id, tags);
      }
      case 'macro': {
        const macroId = typeof body.macroId === 'string' ? body.macroId : '';
        if (!UUID.test(macroId)) throw new ValidationError('Pick a macro.');
        // the field part only: a macro's text belongs in one ticket's composer
        return (id) => this.macros.apply(page.actor, id, macroId);
      }
      default:
        throw new ValidationError('Unknown bulk action.');
    }
  }

  /** Merges the selected tickets into the one given by number (which may itself be selected). */
  private async merge(req: PageRequest, res: Response, page: PageContext, ids: string[], body: Form) {
    const number = Number((typeof body.target === 'string' ? body.target : '').replace(/^#/, ''));
    try {
      if (!Number.isSafeInteger(number) || number < 1) throw new ValidationError('Give the target ticket number.');
      const target = await this.tickets.getByNumber(page.actor, number);
      const sources = ids.filter((id) => id !== target.id);
      const result = await this.merges.merge(page.actor, sources, target.id);
      setFlash(res, { kind: 'ok', key: 'bulk.merged', vars: { count: result.sources.length, number } });
      res.redirect(303, `/app/tickets/${number}`);
    } catch (err) {
      setFlash(res, { kind: 'error', key: errorKey(err) });
      res.redirect(303, backTo(req));
    }
  }
}

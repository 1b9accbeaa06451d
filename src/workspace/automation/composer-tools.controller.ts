import { Body, Controller, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CannedResponsesService } from '../../automation/canned-responses.service';
import { MacrosService } from '../../automation/macros.service';
import { ValidationError } from '../../common/errors/domain-error';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { SignedInGuard } from '../core/signed-in.guard';
import { TicketScreen } from '../tickets/ticket-screen.service';
import { one, UUID } from './form-values';

type Form = Record<string, unknown>;
const MAX_BODY = 256 * 1024;

/** Appends inserted text to what the agent had typed, on its own paragraph. */
export function appendText(current: string, text: string): string {
  return current.trim() ? `${current.trimEnd()}\n\n${text}` : text;
}

/**
 * The composer's pickers without script: their buttons submit the composer form here (keeping
 * what was typed), the macro or response is applied, and the ticket comes back with the text in
 * the composer. With script, the client does the same through GraphQL without a reload.
 */
@Controller('app/tickets')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class ComposerToolsController {
  constructor(
    private readonly screen: TicketScreen,
    private readonly macros: MacrosService,
    private readonly canned: CannedResponsesService,
  ) {}

  @Post(':number/macro')
  async macro(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const macroId = one(body, 'macroId', 36);
    if (!UUID.test(macroId)) throw new ValidationError('Pick a macro.');
    const applied = await this.macros.apply(page.actor, ticket.id, macroId);
    const typed = typeof body.body === 'string' ? body.body.slice(0, MAX_BODY) : '';
    const mode = applied.mode ?? (one(body, 'mode') === 'note' ? 'note' : 'reply');
    await this.screen.render(req, res, applied.ticket, {
      view: one(body, 'view', 36),
      composer: {
        mode,
        body: applied.text ? appendText(typed, applied.text) : typed,
        conversationId: one(body, 'conversationId', 36) || undefined,
        notice: 'macros.applied',
      },
    });
  }

  @Post(':number/canned')
  async insert(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const cannedId = one(body, 'cannedId', 36);
    if (!UUID.test(cannedId)) throw new ValidationError('Pick a canned response.');
    const rendered = await this.canned.render(page.actor, cannedId, ticket.id);
    const typed = typeof body.body === 'string' ? body.body.slice(0, MAX_BODY) : '';
    await this.screen.render(req, res, ticket, {
      view: one(body, 'view', 36),
      composer: {
        mode: one(body, 'mode') === 'note' ? 'note' : 'reply',
        body: appendText(typed, rendered.text),
        conversationId: one(body, 'conversationId', 36) || undefined,
        notice: 'canned.inserted',
      },
    });
  }
}

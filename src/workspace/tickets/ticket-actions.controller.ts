import { EmailConversationsService } from '../../channels/email/compose/email-conversations.service';
import { Body, Controller, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ValidationError } from '../../common/errors/domain-error';
import { t } from '../../common/i18n/i18n';
import { NotesService } from '../../conversations/notes.service';
import { TicketRepliesService } from '../../conversations/ticket-replies.service';
import { TICKET_STATUSES, type TicketStatus } from '../../tickets/entities';
import { TicketsService } from '../../tickets/tickets.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { SignedInGuard } from '../core/signed-in.guard';
import { idsOf } from '../inbox/bulk.controller';
import { TicketPageService } from './ticket-page.service';
import { TicketScreen } from './ticket-screen.service';

type Form = Record<string, unknown>;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
const MAX_BODY = 256 * 1024;
/** The composer's "via" choice that starts a new email to the requester. */
const NEW_EMAIL = 'new:email';
const NEW_EMAIL_ERRORS = {
  no_mailbox: 'composer.newEmailNoMailbox',
  no_address: 'composer.newEmailNoAddress',
} as const;

/** Replies, internal notes and "send and set status" from the composer. */
@Controller('app/tickets')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class TicketComposerController {
  constructor(
    private readonly screen: TicketScreen,
    private readonly pages: TicketPageService,
    private readonly replies: TicketRepliesService,
    private readonly notes: NotesService,
    private readonly tickets: TicketsService,
    private readonly emails: EmailConversationsService,
  ) {}

  @Post(':number/messages')
  async send(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Body() body: Form) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const mode = body.mode === 'note' ? 'note' : 'reply';
    const message = text(body.body, MAX_BODY);
    const conversationId = text(body.conversationId, 36) || undefined;
    const setStatus = TICKET_STATUSES.includes(body.setStatus as TicketStatus)
      ? (body.setStatus as TicketStatus)
      : undefined;
    const attachmentIds = idsOf(body.attachmentIds);
    const view = text(body.view, 36);
    const back = `/app/tickets/${ticket.number}${view ? `?view=${encodeURIComponent(view)}` : ''}`;
    if (mode === 'reply' && body.confirm !== '1') {
      const others = await this.pages.repliesSince(page, ticket, text(body.seen, 500) || null);
      if (others.length) {
        return this.screen.render(req, res, ticket, {
          view,
          composer: { mode, body: message, conversationId, collision: others },
          status: 409,
        });
      }
    }
    if (mode === 'note') {
      await this.notes.addNote(page.actor, { ticketId: ticket.id, body: message, bodyFormat: 'TEXT', attachmentIds });
      if (setStatus && setStatus !== ticket.status)
        await this.tickets.update(page.actor, ticket.id, { status: setStatus });
      setFlash(res, { kind: 'ok', key: 'composer.noteAdded' });
    } else {
      const signature = page.agent.signature.trim();
      const signed = signature && message.trim() ? `${message.trimEnd()}\n\n${signature}` : message;
      if (conversationId === NEW_EMAIL) {
        // a new email conversation with the requester, e.g. to continue a chat by email
        try {
          await this.emails.send(page.actor, { ticketId: ticket.id, body: signed, bodyFormat: 'TEXT', attachmentIds });
        } catch (err) {
          const reason = err instanceof ValidationError ? err.details.reason : undefined;
          if (reason !== 'no_mailbox' && reason !== 'no_address') throw err;
          setFlash(res, { kind: 'error', key: NEW_EMAIL_ERRORS[reason] });
          return res.redirect(303, back);
        }
        if (setStatus && setStatus !== ticket.status) {
          await this.tickets.update(page.actor, ticket.id, { status: setStatus });
        }
      } else {
        await this.replies.reply(page.actor, {
          ticketId: ticket.id,
          conversationId,
          body: signed,
          bodyFormat: 'TEXT',
          attachmentIds,
          setStatus,
        });
      }
      const status = setStatus ? t(page.locale, `status.${setStatus}`) : '';
      setFlash(res, { kind: 'ok', key: setStatus ? 'composer.sentWithStatus' : 'composer.sent', vars: { status } });
    }
    res.redirect(303, `${back}#latest`);
  }
}

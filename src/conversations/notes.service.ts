import { Injectable } from '@nestjs/common';
import { assertCanWrite, SYSTEM_ACTOR, type Actor } from '../common/auth/actor';
import { ValidationError } from '../common/errors/domain-error';
import { logger } from '../common/logging/logger';
import { RealtimeBus } from '../common/pubsub/realtime-bus';
import { escapeHtml } from '../common/text/html';
import { AgentsService, readerActorOf } from '../identity/agents.service';
import type { Agent } from '../identity/entities';
import type { Ticket, TicketNote } from '../tickets/entities';
import { canSeeTicket } from '../tickets/ticket-access';
import { TicketsService } from '../tickets/tickets.service';
import { AttachmentsService } from './attachments/attachments.service';
import { ConversationsRepository } from './conversations.repository';
import type { Attachment } from './entities';
import { bodyFromInput, isEmptyBody, MAX_ATTACHMENTS, type BodyFormat } from './message-body';
import { parseMentions, type ParsedMentions } from './mentions';
import { NotesTimelineRepository } from './notes-timeline.repository';
import { retryOnDeadlock } from './transactions';

export interface NoteData {
  ticketId: string;
  body: string;
  bodyFormat: BodyFormat;
  attachmentIds?: string[];
}

const log = logger('notes');

/** Closed tickets are final, and a merged ticket's notes live on its target: notes go there. */
function assertTakesNotes(ticket: Ticket): void {
  if (ticket.status === 'merged') {
    throw new ValidationError(`Ticket #${ticket.number} was merged; add the note to the ticket it was merged into.`, {
      mergedIntoId: ticket.mergedIntoId,
    });
  }
  if (ticket.status === 'closed') {
    throw new ValidationError(`Ticket #${ticket.number} is closed and takes no more notes.`);
  }
}

/** Internal notes on tickets, with @mentions of agents. Never sent to the customer. */
@Injectable()
export class NotesService {
  constructor(
    private readonly repo: NotesTimelineRepository,
    private readonly conversations: ConversationsRepository,
    private readonly tickets: TicketsService,
    private readonly agents: AgentsService,
    private readonly attachments: AttachmentsService,
    private readonly bus: RealtimeBus,
  ) {}

  async addNote(actor: Actor, data: NoteData): Promise<{ note: TicketNote; attachments: Attachment[] }> {
    assertCanWrite(actor);
    const ticket = await this.tickets.get(actor, data.ticketId);
    assertTakesNotes(ticket);
    if ((data.attachmentIds?.length ?? 0) > MAX_ATTACHMENTS) {
      throw new ValidationError(`A note can have at most ${MAX_ATTACHMENTS} attachments.`);
    }
    const mentions = parseMentions(data.body, data.bodyFormat === 'HTML' ? escapeHtml : undefined);
    const body = bodyFromInput(mentions.body, data.bodyFormat);
    if (isEmptyBody(body) && !data.attachmentIds?.length) throw new ValidationError('The note is empty.');
    const mentionIds = await this.resolveMentions(mentions, ticket);
    const result = await retryOnDeadlock(() =>
      this.conversations.transaction(async (m) => {
        await this.conversations.lockTicketRow(ticket.id, m);
        assertTakesNotes(await this.tickets.get(actor, ticket.id, m));
        await this.tickets.recordMessage(ticket.id, body.text, m);
        const note = await this.repo.insertNote(
          { ticketId: ticket.id, authorAgentId: actor.agentId, bodyHtml: body.html, bodyText: body.text, mentionIds },
          m,
        );
        const attachments = data.attachmentIds?.length
          ? await this.attachments.attach(actor, data.attachmentIds, { noteId: note.id }, m)
          : [];
        return { note, attachments };
      }),
    );
    const topics = [`ticket:${ticket.id}`, ...mentionIds.map((id) => `mention:${id}`)];
    await this.bus
      .publish({ kind: 'note', id: result.note.id, topics })
      .catch((err: Error) => log.warn({ err: err.message }, 'publish failed'));
    return result;
  }

  /**
   * Ids of the active agents behind the mentions who may see the ticket (a mention would tell
   * them nothing they can open); anything else stays plain text.
   */
  private async resolveMentions(parsed: ParsedMentions, ticket: Pick<Ticket, 'assigneeId' | 'groupId'>) {
    const candidates = new Map<string, Agent>();
    if (parsed.agentIds.length) {
      for (const a of await this.agents.agentsByIds(parsed.agentIds)) if (a.isActive) candidates.set(a.id, a);
    }
    if (parsed.emails.length) {
      const wanted = new Set(parsed.emails);
      for (const a of await this.agents.list(SYSTEM_ACTOR)) {
        if (a.isActive && wanted.has(a.email.toLowerCase())) candidates.set(a.id, a);
      }
    }
    if (!candidates.size) return [];
    const groups = await this.agents.groupsByAgent([...candidates.keys()]);
    const groupIds = (id: string) => (groups.get(id) ?? []).map((g) => g.id);
    return [...candidates.values()]
      .filter((a) => canSeeTicket(readerActorOf(a, groupIds(a.id)), ticket))
      .map((a) => a.id);
  }
}

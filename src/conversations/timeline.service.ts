import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { ValidationError } from '../common/errors/domain-error';
import { decodeCursor, encodeCursor, isTimestampText } from '../common/graphql/pagination';
import { toAuditEventDto } from '../tickets/dto/mappers';
import { TicketsService } from '../tickets/tickets.service';
import { AttachmentsService } from './attachments/attachments.service';
import { ConversationsRepository } from './conversations.repository';
import { groupBy, toMessageDto, toNoteDto } from './dto/mappers';
import { pageInfoFor, pageWindow, type TwoWayPageArgs } from './dto/page-args';
import type { TimelineConnection, TimelineNode } from './dto/timeline.dto';
import { NotesTimelineRepository, type TimelineKey } from './notes-timeline.repository';

const KINDS = new Set(['audit', 'message', 'note']);

function timelineCursor(cursor: string): TimelineKey {
  const [ts, kind, id] = decodeCursor(cursor, 3);
  if (!isTimestampText(ts) || !KINDS.has(kind as string) || !Number.isSafeInteger(id)) {
    throw new ValidationError('The cursor is not valid. Use a cursor returned by this query.', { cursor });
  }
  return { ts, kind: kind as TimelineKey['kind'], id: id as number };
}

/**
 * A ticket's timeline: messages of all its conversations, internal notes and audit events,
 * oldest first by (createdAt, kind, id) — within one transaction the change comes before the
 * message and the message before the note.
 */
@Injectable()
export class TimelineService {
  constructor(
    private readonly repo: NotesTimelineRepository,
    private readonly conversations: ConversationsRepository,
    private readonly tickets: TicketsService,
    private readonly attachments: AttachmentsService,
  ) {}

  async timeline(actor: Actor, ticketId: string, args: TwoWayPageArgs): Promise<TimelineConnection> {
    await this.tickets.get(actor, ticketId);
    const window = pageWindow(args);
    const keys = await this.repo.timelineKeys({
      ticketId,
      after: args.after !== undefined ? timelineCursor(args.after) : undefined,
      before: args.before !== undefined ? timelineCursor(args.before) : undefined,
      limit: window.limit,
      newestFirst: window.backwards,
    });
    const page = keys.slice(0, window.limit);
    if (window.backwards) page.reverse();
    const nodes = await this.load(page);
    const edges = page.flatMap((k) => {
      const node = nodes.get(`${k.kind}:${k.id}`);
      return node ? [{ cursor: encodeCursor([k.ts, k.kind, k.id]), node }] : [];
    });
    return {
      edges,
      pageInfo: pageInfoFor(keys.length, window, args, edges[0]?.cursor ?? null, edges.at(-1)?.cursor ?? null),
    };
  }

  private async load(keys: TimelineKey[]): Promise<Map<string, TimelineNode>> {
    const ids = (kind: TimelineKey['kind']) => keys.filter((k) => k.kind === kind).map((k) => k.id);
    const [messages, notes, audits] = await Promise.all([
      this.conversations.findMessages(ids('message')),
      this.repo.findNotes(ids('note')),
      this.repo.findAuditEvents(ids('audit')),
    ]);
    const [messageFiles, noteFiles] = await Promise.all([
      this.attachments.ofMessages(messages.map((m) => m.id)),
      this.attachments.ofNotes(notes.map((n) => n.id)),
    ]);
    const byMessage = groupBy(messageFiles, (a) => a.messageId);
    const byNote = groupBy(noteFiles, (a) => a.noteId);
    const out = new Map<string, TimelineNode>();
    for (const m of messages) out.set(`message:${m.id}`, toMessageDto(m, byMessage.get(m.id)));
    for (const n of notes) out.set(`note:${n.id}`, toNoteDto(n, byNote.get(n.id)));
    for (const e of audits) out.set(`audit:${e.id}`, toAuditEventDto(e));
    return out;
  }
}

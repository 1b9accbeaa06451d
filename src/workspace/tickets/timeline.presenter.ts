import { Injectable } from '@nestjs/common';
import type { UiLocale } from '../../common/i18n/i18n';
import { ContactsService } from '../../contacts/contacts.service';
import type { AttachmentDto } from '../../conversations/dto/conversation.dto';
import { AuthorKindEnum, MessageDto, NoteDto } from '../../conversations/dto/conversation.dto';
import type { TimelineConnection } from '../../conversations/dto/timeline.dto';
import type { Conversation } from '../../conversations/entities';
import { AgentsService } from '../../identity/agents.service';
import { AuditEventDto } from '../../tickets/dto/ticket.dto';
import { initials } from '../core/render';
import { agentIdsOf, auditSentences, type AuditNames } from './audit-text';

export interface TimelineFile {
  name: string;
  url: string;
  size: number;
  isImage: boolean;
}

export interface TimelineItem {
  kind: 'message' | 'note' | 'event';
  key: string;
  side?: 'customer' | 'team';
  author?: string;
  authorInitials?: string;
  isBot?: boolean;
  channel?: string;
  bodyHtml?: string;
  files?: TimelineFile[];
  delivery?: string;
  sentences?: string[];
  createdAt: Date;
  /** Messages only: the author agent id, for the client's collision warning. */
  agentId?: string | null;
}

export interface TimelineContext {
  locale: UiLocale;
  conversations: Conversation[];
  groups: Map<string, string>;
  fieldLabel(key: string): string;
}

const files = (list: AttachmentDto[]): TimelineFile[] =>
  list.map((a) => ({ name: a.filename, url: a.url, size: a.size, isImage: a.contentType.startsWith('image/') }));

/**
 * A timeline page as the ticket shows it: who wrote each message (customer left, team right),
 * on which channel, notes, and changes as quiet sentences. Names come in one query per kind.
 */
@Injectable()
export class TimelinePresenter {
  constructor(
    private readonly agents: AgentsService,
    private readonly contacts: ContactsService,
  ) {}

  async items(connection: TimelineConnection, ctx: TimelineContext): Promise<TimelineItem[]> {
    const nodes = connection.edges.map((e) => e.node);
    const agentIds = new Set<string>();
    const contactIds = new Set<string>();
    for (const n of nodes) {
      if (n instanceof MessageDto) {
        if (n.authorAgentId) agentIds.add(n.authorAgentId);
        if (n.authorContactId) contactIds.add(n.authorContactId);
      } else if (n instanceof NoteDto) {
        if (n.authorAgentId) agentIds.add(n.authorAgentId);
      } else for (const id of agentIdsOf(n)) agentIds.add(id);
    }
    const [agents, contacts] = await Promise.all([
      this.agents.agentsByIds([...agentIds]),
      this.contacts.getMany([...contactIds]),
    ]);
    const agentName = new Map(agents.map((a) => [a.id, a.name]));
    const contactName = new Map(contacts.map((c) => [c.id, c.name]));
    const channelOf = new Map(ctx.conversations.map((c) => [c.id, c.channelKind as string]));
    const names: AuditNames = {
      agent: (id) => (id ? (agentName.get(id) ?? null) : null),
      group: (id) => (id ? (ctx.groups.get(id) ?? null) : null),
      field: ctx.fieldLabel,
    };
    return nodes.map((n) => {
      if (n instanceof MessageDto) {
        const isContact = n.authorKind === AuthorKindEnum.contact;
        const author = isContact
          ? contactName.get(n.authorContactId ?? '') || '—'
          : n.authorKind === AuthorKindEnum.agent
            ? (agentName.get(n.authorAgentId ?? '') ?? '—')
            : 'Sori';
        return {
          kind: 'message',
          key: `message:${n.id}`,
          side: isContact ? 'customer' : 'team',
          author,
          authorInitials: initials(author),
          isBot: n.authorKind === AuthorKindEnum.bot || n.authorKind === AuthorKindEnum.system,
          channel: channelOf.get(n.conversationId) ?? 'api',
          bodyHtml: n.bodyHtml,
          files: files(n.attachments),
          delivery: isContact ? undefined : n.deliveryState,
          createdAt: n.createdAt,
          agentId: n.authorAgentId,
        } satisfies TimelineItem;
      }
      if (n instanceof NoteDto) {
        const author = agentName.get(n.authorAgentId ?? '') ?? '—';
        return {
          kind: 'note',
          key: `note:${n.id}`,
          side: 'team',
          author,
          authorInitials: initials(author),
          bodyHtml: n.bodyHtml,
          files: files(n.attachments),
          createdAt: n.createdAt,
        } satisfies TimelineItem;
      }
      const e: AuditEventDto = n;
      return {
        kind: 'event',
        key: `audit:${e.id}`,
        sentences: auditSentences(e, names, ctx.locale),
        createdAt: e.createdAt,
      } satisfies TimelineItem;
    });
  }
}

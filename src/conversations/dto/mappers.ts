import type { TicketNote } from '../../tickets/entities';
import type { Attachment, Conversation, Message } from '../entities';
import {
  AttachmentDto,
  AuthorKindEnum,
  ChannelKindEnum,
  ConversationDto,
  ConversationModeEnum,
  ConversationStateEnum,
  DeliveryStateEnum,
  MessageDto,
  NoteDto,
} from './conversation.dto';

export function toAttachmentDto(a: Attachment): AttachmentDto {
  return Object.assign(new AttachmentDto(), {
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    size: a.sizeBytes,
    sha256: a.sha256,
    url: `/files/${a.id}`,
    createdAt: a.createdAt,
  });
}

export function toConversationDto(c: Conversation): ConversationDto {
  return Object.assign(new ConversationDto(), {
    id: c.id,
    ticketId: c.ticketId,
    contactId: c.contactId,
    channelKind: c.channelKind as ChannelKindEnum,
    channelId: c.channelId,
    mode: c.mode as ConversationModeEnum,
    state: c.state as ConversationStateEnum,
    subject: c.subject,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastMessageAt: c.lastMessageAt,
  });
}

export function toMessageDto(m: Message, attachments: Attachment[] = []): MessageDto {
  return Object.assign(new MessageDto(), {
    id: String(m.id),
    conversationId: m.conversationId,
    ticketId: m.ticketId,
    authorKind: m.authorKind as AuthorKindEnum,
    authorAgentId: m.authorAgentId,
    authorContactId: m.authorContactId,
    bodyHtml: m.bodyHtml,
    bodyText: m.bodyText,
    deliveryState: m.deliveryState as DeliveryStateEnum,
    deliveryError: m.deliveryError,
    externalId: m.externalId,
    attachments: attachments.map(toAttachmentDto),
    content: m.content ?? null,
    createdAt: m.createdAt,
  });
}

export function toNoteDto(n: TicketNote, attachments: Attachment[] = []): NoteDto {
  return Object.assign(new NoteDto(), {
    id: String(n.id),
    ticketId: n.ticketId,
    authorAgentId: n.authorAgentId,
    bodyHtml: n.bodyHtml,
    bodyText: n.bodyText,
    mentionIds: n.mentionIds,
    attachments: attachments.map(toAttachmentDto),
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  });
}

/** Groups rows by a key, keeping order. */
export function groupBy<K, V>(rows: V[], keyOf: (v: V) => K): Map<K, V[]> {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return map;
}

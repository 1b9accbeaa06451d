import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { IdentityModule } from '../identity/identity.module';
import { TicketsModule } from '../tickets/tickets.module';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments/attachments.service';
import { FilesController } from './attachments/files.controller';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsResolver } from './conversations.resolver';
import { ConversationsService } from './conversations.service';
import { MessageFieldsResolver } from './message-fields.resolver';
import { MessagesService } from './messages.service';
import { NotesTimelineRepository } from './notes-timeline.repository';
import { NotesResolver } from './notes.resolver';
import { NotesService } from './notes.service';
import { OutboundDispatch } from './outbound-dispatch';
import { MessageStreamsService } from './realtime/message-streams.service';
import { TicketPresenceResolver } from './realtime/presence.resolver';
import { TicketPresenceService } from './realtime/presence.service';
import { RealtimeRepository } from './realtime/realtime.repository';
import { ConversationSubscriptionsResolver } from './realtime/subscriptions.resolver';
import { TicketConversationsResolver } from './ticket-conversations.resolver';
import { TicketRepliesService } from './ticket-replies.service';
import { TimelineService } from './timeline.service';

/** Conversations, messages, notes, attachments, the ticket timeline and live subscriptions. */
@Module({
  imports: [ContactsModule, IdentityModule, TicketsModule],
  controllers: [FilesController],
  providers: [
    ConversationsRepository,
    AttachmentsRepository,
    NotesTimelineRepository,
    RealtimeRepository,
    AttachmentsService,
    ConversationsService,
    MessagesService,
    OutboundDispatch,
    TicketRepliesService,
    NotesService,
    TimelineService,
    MessageStreamsService,
    TicketPresenceService,
    ConversationsResolver,
    MessageFieldsResolver,
    NotesResolver,
    TicketConversationsResolver,
    ConversationSubscriptionsResolver,
    TicketPresenceResolver,
  ],
  exports: [
    ConversationsService,
    MessagesService,
    AttachmentsService,
    TicketRepliesService,
    TimelineService,
    NotesService,
    OutboundDispatch,
  ],
})
export class ConversationsModule {}

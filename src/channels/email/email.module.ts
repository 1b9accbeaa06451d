import { Module } from '@nestjs/common';
import { ContactsModule } from '../../contacts/contacts.module';
import { ConversationsModule } from '../../conversations/conversations.module';
import { IdentityModule } from '../../identity/identity.module';
import { TicketsModule } from '../../tickets/tickets.module';
import { EmailConversationsResolver } from './compose/email-conversations.resolver';
import { EmailConversationsService } from './compose/email-conversations.service';
import { EmailDetailsService } from './inbound/email-details.service';
import { InboundAdminService } from './inbound/inbound-admin.service';
import { InboundRawController } from './inbound/inbound-raw.controller';
import { InboundThreadingService } from './inbound/inbound-threading.service';
import { InboundWriterService } from './inbound/inbound-writer.service';
import { InboundRepository } from './inbound/inbound.repository';
import { InboundMailsResolver, MessageEmailResolver } from './inbound/inbound.resolver';
import { IngestService } from './inbound/ingest.service';
import { IntakeService } from './inbound/intake.service';
import { MailboxesRepository } from './mailboxes/mailboxes.repository';
import { MailboxesResolver } from './mailboxes/mailboxes.resolver';
import { MailboxesService } from './mailboxes/mailboxes.service';
import { EmailMaintenanceService } from './maintenance.service';
import { AutoAnswersService } from './outbound/auto-answers.service';
import { MailComposer } from './outbound/composer';
import { DeliveryReportsService } from './outbound/delivery-reports.service';
import { NotificationsRepository } from './outbound/notifications.repository';
import { NotificationsService } from './outbound/notifications.service';
import { OutboundMailService } from './outbound/outbound-mail.service';
import { OutboundRepository } from './outbound/outbound.repository';
import { SenderService } from './outbound/sender.service';
import { TransportPool } from './outbound/transports';
import { ThreadingRepository } from './threading/threading.repository';
import { ImapPollersService } from './ways-in/imap-pollers.service';
import { SmtpReceiverService } from './ways-in/smtp-receiver.service';
import { EmailWebhookController } from './ways-in/webhook.controller';

/**
 * The email channel: mailboxes; the ways in (SMTP receiver, IMAP, webhook) into one raw store
 * and processing job; threading; sending through queued jobs with delivery state.
 */
@Module({
  imports: [ContactsModule, IdentityModule, TicketsModule, ConversationsModule],
  controllers: [EmailWebhookController, InboundRawController],
  providers: [
    MailboxesRepository,
    InboundRepository,
    OutboundRepository,
    ThreadingRepository,
    NotificationsRepository,
    MailboxesService,
    IntakeService,
    IngestService,
    InboundThreadingService,
    InboundWriterService,
    InboundAdminService,
    EmailDetailsService,
    OutboundMailService,
    AutoAnswersService,
    DeliveryReportsService,
    MailComposer,
    TransportPool,
    SenderService,
    NotificationsService,
    EmailMaintenanceService,
    EmailConversationsService,
    EmailConversationsResolver,
    SmtpReceiverService,
    ImapPollersService,
    MailboxesResolver,
    InboundMailsResolver,
    MessageEmailResolver,
  ],
  exports: [MailboxesService, IntakeService, OutboundMailService, InboundAdminService, EmailConversationsService],
})
export class EmailModule {}

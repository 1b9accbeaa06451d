import type { InboundMail, Mailbox } from '../entities';
import {
  ImapAfterFetchEnum,
  MailboxDto,
  MailboxImapDto,
  MailboxLocaleEnum,
  MailboxSmtpDto,
  SmtpSecurityEnum,
} from './mailbox.dto';
import { InboundMailDto, InboundStatusEnum } from './inbound-mail.dto';

export function toMailboxDto(mb: Mailbox, baseUrl: string): MailboxDto {
  return Object.assign(new MailboxDto(), {
    id: mb.id,
    address: mb.address,
    name: mb.name,
    senderName: mb.senderName,
    groupId: mb.groupId,
    signature: mb.signature,
    locale: mb.locale as MailboxLocaleEnum,
    subjectTag: mb.subjectTag,
    ackEnabled: mb.ackEnabled,
    quoteHistory: mb.quoteHistory,
    replyToToken: mb.replyToToken,
    brandColor: mb.brandColor,
    isActive: mb.isActive,
    isDefault: mb.isDefault,
    smtp: mb.smtpHost
      ? Object.assign(new MailboxSmtpDto(), {
          host: mb.smtpHost,
          port: mb.smtpPort ?? 587,
          security: mb.smtpSecurity as SmtpSecurityEnum,
          user: mb.smtpUser,
          hasPassword: !!mb.smtpPasswordEnc,
        })
      : null,
    imap: mb.imapHost
      ? Object.assign(new MailboxImapDto(), {
          enabled: mb.imapEnabled,
          host: mb.imapHost,
          port: mb.imapPort ?? 993,
          tls: mb.imapTls,
          user: mb.imapUser ?? '',
          hasPassword: !!mb.imapPasswordEnc,
          folder: mb.imapFolder,
          afterFetch: mb.imapAfterFetch as ImapAfterFetchEnum,
          moveTo: mb.imapMoveTo,
          lastUid: String(mb.imapLastUid),
          lastError: mb.imapLastError,
          checkedAt: mb.imapCheckedAt,
        })
      : null,
    webhookUrl: `${baseUrl}/webhooks/email/${mb.id}`,
    createdAt: mb.createdAt,
    updatedAt: mb.updatedAt,
  });
}

export function toInboundMailDto(m: InboundMail): InboundMailDto {
  return Object.assign(new InboundMailDto(), {
    id: String(m.id),
    mailboxId: m.mailboxId,
    source: m.source,
    status: m.status as InboundStatusEnum,
    reason: m.reason,
    error: m.error,
    attempts: m.attempts,
    size: m.sizeBytes,
    sha256: m.sha256,
    messageIdHeader: m.messageIdHeader,
    messageIdGenerated: m.messageIdGenerated,
    envelopeFrom: m.envelopeFrom,
    fromAddress: m.fromAddress,
    subject: m.subject,
    ticketId: m.ticketId,
    messageId: m.messageId === null ? null : String(m.messageId),
    autoReply: m.autoReply,
    rejectedAttachments: m.rejectedAttachments,
    receivedAt: m.receivedAt,
    processedAt: m.processedAt,
  });
}

import { Inject, Injectable } from '@nestjs/common';
import type { SendMailOptions } from 'nodemailer';
import { join } from 'node:path';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { ContactsService } from '../../../contacts/contacts.service';
import { AttachmentsService } from '../../../conversations/attachments/attachments.service';
import { ConversationsService } from '../../../conversations/conversations.service';
import type { Message } from '../../../conversations/entities';
import { AgentsService } from '../../../identity/agents.service';
import type { Mailbox, OutboundMail } from '../entities';
import { MailboxesService } from '../mailboxes/mailboxes.service';
import { ticketToken, tokenAddress } from '../threading/tokens';
import { bracket, headerSafe } from './headers';
import { emailLocale, renderEmail, type EmailLocale, type Rendered, type TemplateName } from './templates';

/** A mail that can never be built (its message is gone): fails at once, no retry. */
export class ComposeError extends Error {}

const AUTO_KINDS: Record<string, string> = {
  ack: 'auto-replied',
  rejection: 'auto-replied',
  notification: 'auto-generated',
  system: 'auto-generated',
};

/** Turns an outbound row into the nodemailer message: templates, attachments, threading headers. */
@Injectable()
export class MailComposer {
  constructor(
    private readonly mailboxes: MailboxesService,
    private readonly conversations: ConversationsService,
    private readonly attachments: AttachmentsService,
    private readonly agents: AgentsService,
    private readonly contacts: ContactsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose(row: OutboundMail): Promise<SendMailOptions> {
    const mailbox = await this.mailboxes.byId(row.mailboxId);
    const brand = { name: mailbox?.senderName || mailbox?.name || 'Sori', color: mailbox?.brandColor ?? '#4f46e5' };
    let content: Rendered & { attachments?: SendMailOptions['attachments']; fromName?: string };
    if (row.kind === 'message') content = await this.message(row, mailbox, brand);
    else if (row.kind === 'system') {
      const p = row.payload as { text?: string; html?: string };
      content = { subject: row.subject, text: p.text ?? '', html: p.html ?? '' };
    } else {
      const p = row.payload as { template: TemplateName; locale: EmailLocale; data: Record<string, unknown> };
      content = { ...renderEmail(p.template, p.locale, p.data, brand, row.subject), subject: row.subject };
    }
    const ticketNumber = (row.payload as { ticketNumber?: number }).ticketNumber;
    const headers: Record<string, string> = { 'X-Loop': row.fromAddress ?? this.config.mail.from };
    const threadIndex = (row.payload as { threadIndex?: string }).threadIndex;
    if (threadIndex) headers['Thread-Index'] = threadIndex;
    if (AUTO_KINDS[row.kind]) {
      headers['Auto-Submitted'] = AUTO_KINDS[row.kind];
      headers['X-Auto-Response-Suppress'] = 'All';
    }
    const fromName = headerSafe(content.fromName ?? brand.name, 120);
    return {
      from:
        row.kind === 'system' && !mailbox ? this.config.mail.from : { name: fromName, address: row.fromAddress ?? '' },
      to: row.toAddresses,
      cc: row.ccAddresses.length ? row.ccAddresses : undefined,
      replyTo:
        mailbox?.replyToToken && ticketNumber
          ? tokenAddress(mailbox.address, ticketToken(this.config.secrets.app, ticketNumber))
          : undefined,
      subject: headerSafe(content.subject || row.subject, 900),
      messageId: bracket(row.messageIdHeader),
      inReplyTo: row.inReplyTo ? bracket(row.inReplyTo) : undefined,
      references: row.references.length ? row.references.map(bracket) : undefined,
      headers,
      text: content.text,
      html: content.html || undefined,
      attachments: content.attachments,
      disableFileAccess: false,
      disableUrlAccess: true,
    };
  }

  private async message(
    row: OutboundMail,
    mailbox: Mailbox | null,
    brand: { name: string; color: string },
  ): Promise<Rendered & { attachments: SendMailOptions['attachments']; fromName?: string }> {
    const d = row.messageId ? await this.conversations.forDelivery(row.messageId) : null;
    if (!d) throw new ComposeError('The message was deleted before it could be sent.');
    const [contact] = await this.contacts.getMany([d.conversation.contactId]);
    const locale = emailLocale(contact?.locale, mailbox?.locale ?? 'en');
    const agent = d.message.authorAgentId ? (await this.agents.agentsByIds([d.message.authorAgentId]))[0] : undefined;
    const files = await this.attachments.ofMessages([d.message.id]);
    let html = d.message.bodyHtml;
    const attachments = files.map((f) => {
      const cid = html.includes(`/files/${f.id}`) ? `${f.id}@sori` : undefined;
      if (cid) html = html.split(`/files/${f.id}`).join(`cid:${cid}`);
      return {
        filename: f.filename,
        contentType: f.contentType,
        path: join(this.attachments.storageDir, f.storageKey),
        cid,
      };
    });
    const quote = mailbox?.quoteHistory ? await this.quoteOf(d.previous, locale) : null;
    const rendered = renderEmail(
      'agent-reply',
      locale,
      { bodyHtml: html, bodyText: d.message.bodyText, signature: mailbox?.signature ?? '', quote },
      brand,
      row.subject,
    );
    return {
      ...rendered,
      subject: row.subject,
      attachments,
      fromName: agent ? `${agent.name} (${brand.name})` : brand.name,
    };
  }

  private async quoteOf(previous: Message | null, locale: EmailLocale) {
    if (!previous || previous.authorKind !== 'contact' || !previous.authorContactId) return null;
    const [author] = await this.contacts.getMany([previous.authorContactId]);
    const email = (await this.contacts.identitiesOf([previous.authorContactId])).find((i) => i.kind === 'email');
    const from = [author?.name, email ? `<${email.value}>` : ''].filter(Boolean).join(' ');
    const date = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(previous.createdAt);
    const quotedText = previous.bodyText
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    return { from, date: `${date} UTC`, html: previous.bodyHtml, quotedText };
  }
}

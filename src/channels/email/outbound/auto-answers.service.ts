import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Ticket } from '../../../tickets/entities';
import type { Mailbox, RejectedAttachment } from '../entities';
import { subjectWithTag } from '../threading/thread-keys';
import { referencesFor } from './headers';
import { OutboundMailService } from './outbound-mail.service';
import { humanSize, renderSubject, type EmailLocale } from './templates';

export interface AnswerContext {
  mailbox: Mailbox | null;
  ticket: Pick<Ticket, 'id' | 'number' | 'createdAt' | 'subject'>;
  conversationId: string;
  /** Where the answer goes (Reply-To honoured). */
  to: string;
  contactName: string;
  locale: EmailLocale;
  /** The received mail's Message-ID and References, so the answer threads under it. */
  inReplyTo: string;
  references: string[];
}

/** Automatic answers to received mail: the new-ticket acknowledgement and the rejected-files notice. */
@Injectable()
export class AutoAnswersService {
  constructor(private readonly outbound: OutboundMailService) {}

  /** Wakes the send workers after the answers' transaction committed. */
  wake(): void {
    this.outbound.wake();
  }

  async queueAck(c: AnswerContext, m: EntityManager): Promise<void> {
    const data = {
      contactName: c.contactName,
      ticketNumber: c.ticket.number,
      subject: c.ticket.subject,
      signature: c.mailbox?.signature ?? '',
    };
    await this.queue(c, 'ack', renderSubject('ack', c.locale, data), data, m);
  }

  async queueRejection(c: AnswerContext, files: RejectedAttachment[], maxBytes: number, m: EntityManager) {
    const data = {
      contactName: c.contactName,
      ticketNumber: c.ticket.number,
      subject: c.ticket.subject,
      signature: c.mailbox?.signature ?? '',
      maxSize: humanSize(maxBytes),
      files: files.map((f) => ({
        filename: f.filename,
        size: humanSize(f.size),
        tooLarge: f.reason === 'too_large',
        tooMany: f.reason === 'too_many',
      })),
    };
    await this.queue(c, 'rejection', renderSubject('attachment-rejected', c.locale, data), data, m);
  }

  private async queue(
    c: AnswerContext,
    kind: 'ack' | 'rejection',
    subject: string,
    data: Record<string, unknown>,
    m: EntityManager,
  ): Promise<void> {
    const tag = c.mailbox?.subjectTag;
    await this.outbound.queue(
      {
        kind,
        mailbox: c.mailbox,
        ticket: c.ticket,
        conversationId: c.conversationId,
        to: [c.to],
        subject: tag ? subjectWithTag(subject, tag, c.ticket.number) : subject,
        inReplyTo: c.inReplyTo,
        references: referencesFor([...c.references, c.inReplyTo]),
        payload: { template: kind === 'ack' ? 'ack' : 'attachment-rejected', locale: c.locale, data },
      },
      m,
    );
  }
}

import { Injectable } from '@nestjs/common';
import { MessageEmailDto } from '../dto/message-email.dto';
import { OutboundRepository } from '../outbound/outbound.repository';
import { InboundRepository } from './inbound.repository';

/** Email details of messages, from the inbound store and the outbound mail of each message. */
@Injectable()
export class EmailDetailsService {
  constructor(
    private readonly inboundRepo: InboundRepository,
    private readonly outboundRepo: OutboundRepository,
  ) {}

  async ofMessages(ids: number[]): Promise<Array<{ messageId: number; dto: MessageEmailDto }>> {
    if (!ids.length) return [];
    const [inbound, outbound] = await Promise.all([
      this.inboundRepo.ofMessages(ids),
      this.outboundRepo.ofMessages(ids),
    ]);
    const out: Array<{ messageId: number; dto: MessageEmailDto }> = [];
    for (const i of inbound) {
      out.push({
        messageId: i.messageId as number,
        dto: Object.assign(new MessageEmailDto(), {
          direction: 'inbound',
          messageIdHeader: i.messageIdHeader,
          inboundMailId: String(i.id),
          from: i.fromAddress,
          to: i.envelopeTo,
          cc: [],
          subject: i.subject,
          autoReply: i.autoReply,
          rejectedAttachments: i.rejectedAttachments,
          collapsedTextStart: i.quotedTextStart,
          visibleHtml: i.visibleHtml,
          sendState: null,
          sendError: null,
          sentAt: null,
        }),
      });
    }
    for (const o of outbound) {
      out.push({
        messageId: o.messageId as number,
        dto: Object.assign(new MessageEmailDto(), {
          direction: 'outbound',
          messageIdHeader: o.messageIdHeader,
          inboundMailId: null,
          from: o.fromAddress,
          to: o.toAddresses,
          cc: o.ccAddresses,
          subject: o.subject,
          autoReply: null,
          rejectedAttachments: [],
          collapsedTextStart: null,
          visibleHtml: null,
          sendState: o.state,
          sendError: o.error,
          sentAt: o.sentAt,
        }),
      });
    }
    return out;
  }
}

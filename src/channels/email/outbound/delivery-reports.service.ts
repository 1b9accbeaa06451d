import { Injectable } from '@nestjs/common';
import { MessagesService } from '../../../conversations/messages.service';
import type { DeliveryReport } from '../inbound/dsn';
import { OutboundRepository } from './outbound.repository';

/**
 * Bounces and read receipts for mail we sent: a failed delivery marks the outbound mail and its
 * message failed with the reason (shown on the ticket); never a ticket of its own.
 */
@Injectable()
export class DeliveryReportsService {
  constructor(
    private readonly repo: OutboundRepository,
    private readonly messages: MessagesService,
  ) {}

  /** The ticket of the mail the report is about; null when it is about none of ours. */
  async apply(report: DeliveryReport): Promise<string | null> {
    const rows = await this.repo.byMessageIdHeaders(report.originalMessageIds.slice(0, 50));
    const order = new Map(report.originalMessageIds.map((id, i) => [id, i]));
    rows.sort((a, b) => (order.get(a.messageIdHeader) ?? 0) - (order.get(b.messageIdHeader) ?? 0));
    const row = rows[0];
    if (!row) return null;
    switch (report.kind) {
      case 'failed':
        await this.repo.recordError(row.id, `bounced: ${report.reason}`, true);
        if (row.messageId) await this.messages.markDelivery(row.messageId, 'failed', `bounced: ${report.reason}`);
        break;
      case 'delivered':
      case 'read':
        if (row.messageId && row.state === 'sent') await this.messages.markDelivery(row.messageId, report.kind);
        break;
      case 'delayed':
        break;
    }
    return row.ticketId;
  }
}

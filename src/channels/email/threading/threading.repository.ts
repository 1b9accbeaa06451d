import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface MailRef {
  ticketId: string;
  conversationId: string | null;
}

/** Message-IDs and Outlook conversations of mail we sent or received, for threading. */
@Injectable()
export class ThreadingRepository {
  constructor(private readonly ds: DataSource) {}

  /** Tickets of the mails with these Message-IDs (sent ones win over received ones). */
  async byMessageIds(ids: string[]): Promise<Map<string, MailRef>> {
    const found = new Map<string, MailRef>();
    if (!ids.length) return found;
    const rows = await this.ds.query<Array<{ id: string; ticket_id: string; conversation_id: string | null }>>(
      `SELECT message_id_header AS id, ticket_id, conversation_id, 0 AS rank
         FROM email_outbound WHERE message_id_header = ANY($1) AND ticket_id IS NOT NULL
       UNION ALL
       SELECT message_id_header, ticket_id, conversation_id, 1
         FROM email_inbound WHERE message_id_header = ANY($1) AND ticket_id IS NOT NULL AND status = 'parsed'
       ORDER BY rank`,
      [ids.slice(0, 200)],
    );
    for (const r of rows) {
      if (!found.has(r.id)) found.set(r.id, { ticketId: r.ticket_id, conversationId: r.conversation_id });
    }
    return found;
  }

  /** Tickets of earlier mails of the same Outlook conversation, newest first. */
  async byThreadIndexRoot(root: string): Promise<MailRef[]> {
    const rows = await this.ds.query<Array<{ ticket_id: string; conversation_id: string | null }>>(
      `SELECT ticket_id, conversation_id FROM (
         SELECT ticket_id, conversation_id, created_at AS at FROM email_outbound
          WHERE thread_index_root = $1 AND ticket_id IS NOT NULL
         UNION ALL
         SELECT ticket_id, conversation_id, received_at FROM email_inbound
          WHERE thread_index_root = $1 AND ticket_id IS NOT NULL AND status = 'parsed'
       ) refs ORDER BY at DESC LIMIT 5`,
      [root],
    );
    return rows.map((r) => ({ ticketId: r.ticket_id, conversationId: r.conversation_id }));
  }
}

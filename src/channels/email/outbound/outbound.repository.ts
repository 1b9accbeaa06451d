import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboundMail } from '../entities';

export type NewOutbound = Pick<
  OutboundMail,
  | 'mailboxId'
  | 'kind'
  | 'messageId'
  | 'ticketId'
  | 'conversationId'
  | 'messageIdHeader'
  | 'inReplyTo'
  | 'references'
  | 'threadIndexRoot'
  | 'fromAddress'
  | 'toAddresses'
  | 'ccAddresses'
  | 'subject'
  | 'payload'
>;

/** Queries of outbound mail. */
@Injectable()
export class OutboundRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async insert(values: NewOutbound, m: EntityManager): Promise<OutboundMail> {
    const repo = m.getRepository(OutboundMail);
    return repo.save(repo.create({ ...values, state: 'queued', attempts: 0 }));
  }

  find(id: string): Promise<OutboundMail | null> {
    return this.ds.getRepository(OutboundMail).findOneBy({ id });
  }

  ofMessages(messageIds: number[]): Promise<OutboundMail[]> {
    return this.ds
      .getRepository(OutboundMail)
      .createQueryBuilder('o')
      .where('o.messageId = ANY(:messageIds)', { messageIds })
      .orderBy('o.createdAt', 'ASC')
      .getMany();
  }

  ofMessage(messageId: number): Promise<OutboundMail | null> {
    return this.ds.getRepository(OutboundMail).findOne({ where: { messageId }, order: { createdAt: 'DESC' } });
  }

  byMessageIdHeaders(ids: string[]): Promise<OutboundMail[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds
      .getRepository(OutboundMail)
      .createQueryBuilder('o')
      .where('o.messageIdHeader = ANY(:ids)', { ids })
      .getMany();
  }

  async startAttempt(id: string): Promise<void> {
    await this.ds.query(`UPDATE email_outbound SET attempts = attempts + 1, updated_at = now() WHERE id = $1`, [id]);
  }

  async markSent(id: string, response: string): Promise<void> {
    await this.ds.query(
      `UPDATE email_outbound SET state = 'sent', smtp_response = $2, error = NULL, sent_at = now(), updated_at = now()
       WHERE id = $1`,
      [id, response.slice(0, 1000)],
    );
  }

  /** `final`: no more attempts (state failed); otherwise only the error of this attempt is kept. */
  async recordError(id: string, error: string, final: boolean): Promise<void> {
    await this.ds.query(
      `UPDATE email_outbound SET error = $2, state = CASE WHEN $3 THEN 'failed' ELSE state END, updated_at = now()
       WHERE id = $1`,
      [id, error.slice(0, 1000), final],
    );
  }

  /** Mails still queued after `seconds` (their job was lost or never sent). */
  async waiting(seconds: number, limit: number): Promise<string[]> {
    const rows = await this.ds.query<Array<{ id: string }>>(
      `SELECT id FROM email_outbound WHERE state = 'queued' AND created_at < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [seconds, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Message-IDs of a conversation's mail in both directions, oldest first (for References). */
  async threadOf(conversationId: string, manager?: EntityManager): Promise<Array<{ id: string; inbound: boolean }>> {
    const rows = await this.m(manager).query<Array<{ id: string; inbound: boolean }>>(
      `SELECT id, inbound FROM (
         SELECT message_id_header AS id, false AS inbound, created_at AS at FROM email_outbound
          WHERE conversation_id = $1 AND kind = 'message'
         UNION ALL
         SELECT message_id_header, true, received_at FROM email_inbound
          WHERE conversation_id = $1 AND status = 'parsed'
       ) t ORDER BY at`,
      [conversationId],
    );
    return rows;
  }

  async countOfTicket(ticketId: string, m: EntityManager): Promise<number> {
    const rows = await m.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM email_outbound WHERE ticket_id = $1`, [
      ticketId,
    ]);
    return Number(rows[0].n);
  }
}

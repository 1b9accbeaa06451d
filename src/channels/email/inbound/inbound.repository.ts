import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared } from '../../../database/prepared';
import { fromRow, selectList } from '../../../database/entity-rows';
import { InboundMail, type InboundSource, type InboundStatus } from '../entities';

export interface NewRawMail {
  mailboxId: string | null;
  source: InboundSource;
  raw: Buffer;
  sha256: string;
  contentSha256: string;
  messageIdHeader: string;
  messageIdGenerated: boolean;
  envelopeFrom: string | null;
  envelopeTo: string[];
}

export type ProcessedValues = Partial<
  Pick<
    InboundMail,
    | 'mailboxId'
    | 'fromAddress'
    | 'subject'
    | 'ticketId'
    | 'conversationId'
    | 'messageId'
    | 'threadIndexRoot'
    | 'autoReply'
    | 'rejectedAttachments'
    | 'quotedTextStart'
    | 'visibleHtml'
    | 'reason'
  >
>;

const COLUMNS: Record<keyof ProcessedValues, string> = {
  mailboxId: 'mailbox_id',
  fromAddress: 'from_address',
  subject: 'subject',
  ticketId: 'ticket_id',
  conversationId: 'conversation_id',
  messageId: 'message_id',
  threadIndexRoot: 'thread_index_root',
  autoReply: 'auto_reply',
  rejectedAttachments: 'rejected_attachments',
  quotedTextStart: 'quoted_text_start',
  visibleHtml: 'visible_html',
  reason: 'reason',
};

/** Queries of the raw inbound store. */
@Injectable()
export class InboundRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  /** The transaction's commit returns before its WAL is flushed (see `InboundWriterService.write`). */
  async asynchronousCommit(m: EntityManager): Promise<void> {
    await m.query(`SET LOCAL synchronous_commit TO off`);
  }

  /**
   * Stores raw mails in one statement, each unless the same mail (Message-ID and content hash) is
   * stored already: the stored id per mail, in order, null for one that was there before. The
   * mails must not repeat one another.
   */
  async insertRaw(mails: NewRawMail[], m: EntityManager): Promise<Array<number | null>> {
    const params: unknown[] = [];
    const values = mails.map((r) => {
      const row = [
        r.mailboxId,
        r.source,
        r.raw,
        r.raw.length,
        r.sha256,
        r.contentSha256,
        r.messageIdHeader,
        r.messageIdGenerated,
        r.envelopeFrom,
        r.envelopeTo,
      ];
      const at = params.length;
      params.push(...row);
      return `(${row.map((_, i) => `$${at + i + 1}`).join(', ')})`;
    });
    const rows = await m.query<Array<{ id: string; message_id_header: string; content_sha256: string }>>(
      prepared(`INSERT INTO email_inbound (mailbox_id, source, raw, size_bytes, sha256, content_sha256, message_id_header,
                                  message_id_generated, envelope_from, envelope_to)
       VALUES ${values.join(', ')}
       ON CONFLICT (message_id_header, content_sha256) DO NOTHING
       RETURNING id, message_id_header, content_sha256`),
      params,
    );
    const ids = new Map(rows.map((r) => [`${r.message_id_header}\n${r.content_sha256}`, Number(r.id)]));
    return mails.map((r) => ids.get(`${r.messageIdHeader}\n${r.contentSha256}`) ?? null);
  }

  async findDuplicate(messageIdHeader: string, contentSha256: string): Promise<number | null> {
    const rows = await this.ds.query<Array<{ id: string }>>(
      `SELECT id FROM email_inbound WHERE message_id_header = $1 AND content_sha256 = $2`,
      [messageIdHeader, contentSha256],
    );
    return rows.length ? Number(rows[0].id) : null;
  }

  find(id: number, manager?: EntityManager): Promise<InboundMail | null> {
    return (manager ?? this.ds.manager).getRepository(InboundMail).findOneBy({ id });
  }

  ofMessages(messageIds: number[]): Promise<InboundMail[]> {
    return this.ds
      .getRepository(InboundMail)
      .createQueryBuilder('i')
      .where('i.messageId = ANY(:messageIds)', { messageIds })
      .getMany();
  }

  async raw(id: number): Promise<Buffer | null> {
    const rows = await this.ds.query<Array<{ raw: Buffer }>>(`SELECT raw FROM email_inbound WHERE id = $1`, [id]);
    return rows[0]?.raw ?? null;
  }

  /** The mail and its raw bytes, when it is still waiting to be processed. */
  async waitingWithRaw(id: number): Promise<{ row: InboundMail; raw: Buffer } | null> {
    const meta = this.ds.getMetadata(InboundMail);
    const rows = await this.ds.query<Array<Record<string, unknown>>>(
      prepared(
        `SELECT ${selectList(meta, 'i', '')}, i.raw AS raw FROM email_inbound i WHERE i.id = $1 AND i.status = 'received'`,
      ),
      [id],
    );
    return rows[0] ? { row: fromRow<InboundMail>(meta, rows[0], ''), raw: rows[0].raw as Buffer } : null;
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.ds.query(
      `UPDATE email_inbound SET status = 'failed', error = $2, processed_at = now(), attempts = attempts + 1
       WHERE id = $1 AND status <> 'parsed'`,
      [id, error.slice(0, 2000)],
    );
  }

  /** Records the outcome; with `manager` in the transaction that wrote the message. */
  async markDone(
    id: number,
    status: Exclude<InboundStatus, 'received' | 'failed'>,
    values: ProcessedValues,
    manager?: EntityManager,
  ): Promise<void> {
    const sets = ['status = $2', 'error = NULL', 'processed_at = now()', 'attempts = attempts + 1'];
    const params: unknown[] = [id, status];
    for (const [key, value] of Object.entries(values) as Array<[keyof ProcessedValues, unknown]>) {
      params.push(key === 'rejectedAttachments' ? JSON.stringify(value) : value);
      sets.push(`${COLUMNS[key]} = $${params.length}`);
    }
    await (manager ?? this.ds.manager).query(
      prepared(`UPDATE email_inbound SET ${sets.join(', ')} WHERE id = $1`),
      params,
    );
  }

  /** Puts a failed or ignored mail back in the queue; its new retry count, or null when it cannot be retried. */
  async requeue(id: number): Promise<number | null> {
    const rows = await this.ds.query<[Array<{ retry_count: number }>, number]>(
      `UPDATE email_inbound SET status = 'received', retry_count = retry_count + 1, error = NULL, reason = NULL
       WHERE id = $1 AND status IN ('failed', 'ignored') RETURNING retry_count`,
      [id],
    );
    return rows[0][0]?.retry_count ?? null;
  }

  list(status: InboundStatus, afterId: number | null, limit: number): Promise<InboundMail[]> {
    const qb = this.ds.getRepository(InboundMail).createQueryBuilder('i').where('i.status = :status', { status });
    if (afterId !== null) qb.andWhere('i.id < :afterId', { afterId });
    return qb
      .orderBy('i.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  /** Mails still waiting after `seconds` (their job was lost or never sent). */
  async waiting(seconds: number, limit: number): Promise<Array<{ id: number; retryCount: number }>> {
    const rows = await this.ds.query<Array<{ id: string; retry_count: number }>>(
      `SELECT id, retry_count FROM email_inbound
       WHERE status = 'received' AND received_at < now() - make_interval(secs => $1)
       ORDER BY id LIMIT $2`,
      [seconds, limit],
    );
    return rows.map((r) => ({ id: Number(r.id), retryCount: r.retry_count }));
  }

  /** Mails from this address processed in the last hour (loop guard). */
  async countRecentFrom(address: string, excludeId: number): Promise<number> {
    const rows = await this.ds.query<Array<{ n: string }>>(
      prepared(`SELECT count(*) AS n FROM email_inbound
       WHERE from_address = $1 AND received_at > now() - interval '1 hour' AND id <> $2 AND status = 'parsed'`),
      [address, excludeId],
    );
    return Number(rows[0].n);
  }
}

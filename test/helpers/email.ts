import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../src/common/auth/actor';
import { IntakeService } from '../../src/channels/email/inbound/intake.service';
import { MailboxesService, type MailboxData } from '../../src/channels/email/mailboxes/mailboxes.service';
import type { InboundMail, Mailbox } from '../../src/channels/email/entities';

/** Polls until `cond` holds (or fails with what it last saw). */
export async function waitUntil<T>(
  read: () => Promise<T>,
  cond: (value: T) => boolean,
  timeoutMs = 15000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (cond(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function emailHelpers(app: INestApplication) {
  const ds = app.get(DataSource);
  const intake = app.get(IntakeService);
  const mailboxes = app.get(MailboxesService);

  const mailbox = async (data: MailboxData = {}): Promise<{ mailbox: Mailbox; webhookSecret: string | null }> =>
    mailboxes.create(SYSTEM_ACTOR, { address: 'support@acme.test', name: 'Acme Support', ...data });

  const inbound = async (id: number): Promise<InboundMail> => {
    const rows = await ds.query<InboundMail[]>(
      `SELECT id, status, reason, error, ticket_id AS "ticketId", message_id AS "messageId",
              conversation_id AS "conversationId", rejected_attachments AS "rejectedAttachments",
              auto_reply AS "autoReply", attempts
       FROM email_inbound WHERE id = $1`,
      [id],
    );
    return {
      ...rows[0],
      id: Number(rows[0].id),
      messageId: rows[0].messageId === null ? null : Number(rows[0].messageId),
    };
  };

  /** Stores a raw mail as a way in would and waits until it is processed. */
  const deliver = async (raw: string | Buffer, mailboxId: string | null = null): Promise<InboundMail> => {
    const stored = await intake.store({
      raw: typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'utf8') : raw,
      source: 'api',
      mailboxId,
    });
    return waitUntil(
      () => inbound(stored.id),
      (r) => r.status !== 'received',
      15000,
      `mail ${stored.id} to be processed`,
    );
  };

  return { ds, intake, mailboxes, mailbox, inbound, deliver };
}

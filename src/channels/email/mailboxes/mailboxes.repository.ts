import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Mailbox } from '../entities';

/** Queries of mailboxes. */
@Injectable()
export class MailboxesRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  find(id: string, manager?: EntityManager): Promise<Mailbox | null> {
    return (manager ?? this.ds.manager).getRepository(Mailbox).findOneBy({ id });
  }

  list(): Promise<Mailbox[]> {
    return this.ds.getRepository(Mailbox).find({ order: { isDefault: 'DESC', address: 'ASC' } });
  }

  findByAddress(address: string, manager?: EntityManager): Promise<Mailbox | null> {
    return (manager ?? this.ds.manager).getRepository(Mailbox).findOneBy({ address });
  }

  async save(values: Partial<Mailbox>, m: EntityManager): Promise<Mailbox> {
    const repo = m.getRepository(Mailbox);
    const saved = await repo.save(repo.create(values));
    return (await this.find(saved.id, m)) as Mailbox;
  }

  async update(id: string, patch: Partial<Mailbox>, m: EntityManager): Promise<Mailbox> {
    if (Object.keys(patch).length) await m.getRepository(Mailbox).update({ id }, patch);
    return (await this.find(id, m)) as Mailbox;
  }

  async clearDefault(except: string, m: EntityManager): Promise<void> {
    await m.query(`UPDATE email_mailbox SET is_default = false WHERE is_default AND id <> $1`, [except]);
  }

  async delete(id: string, m: EntityManager): Promise<boolean> {
    const result = await m.getRepository(Mailbox).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** IMAP progress: the last UID stored and the folder's UIDVALIDITY. */
  async saveImapProgress(id: string, uidValidity: number, lastUid: number, manager?: EntityManager): Promise<void> {
    await (manager ?? this.ds.manager).query(
      `UPDATE email_mailbox SET imap_uid_validity = $2, imap_last_uid = GREATEST(imap_last_uid, $3),
              imap_checked_at = now(), imap_last_error = NULL WHERE id = $1`,
      [id, uidValidity, lastUid],
    );
  }

  async resetImapProgress(id: string, uidValidity: number): Promise<void> {
    await this.ds.query(`UPDATE email_mailbox SET imap_uid_validity = $2, imap_last_uid = 0 WHERE id = $1`, [
      id,
      uidValidity,
    ]);
  }

  async saveImapError(id: string, error: string | null): Promise<void> {
    await this.ds.query(`UPDATE email_mailbox SET imap_last_error = $2, imap_checked_at = now() WHERE id = $1`, [
      id,
      error?.slice(0, 1000) ?? null,
    ]);
  }
}

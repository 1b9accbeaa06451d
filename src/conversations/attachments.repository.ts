import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { selectRows } from '../database/entity-rows';
import { Attachment } from './entities';

export type AttachmentTarget = { messageId: number } | { noteId: number };

/** Queries of attachments. */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly ds: DataSource) {}

  find(id: string): Promise<Attachment | null> {
    return this.ds.getRepository(Attachment).findOneBy({ id });
  }

  insert(values: Omit<Attachment, 'id' | 'createdAt' | 'messageId' | 'noteId'>): Promise<Attachment> {
    const repo = this.ds.getRepository(Attachment);
    return repo.save(repo.create({ ...values, messageId: null, noteId: null }));
  }

  ofMessages(ids: readonly number[], manager?: EntityManager): Promise<Attachment[]> {
    if (!ids.length) return Promise.resolve([]);
    return selectRows(
      manager ?? this.ds.manager,
      Attachment,
      'r.message_id = ANY($1::bigint[])',
      [ids],
      'ORDER BY r.created_at',
    );
  }

  ofNotes(ids: readonly number[]): Promise<Attachment[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds
      .getRepository(Attachment)
      .createQueryBuilder('a')
      .where('a.noteId = ANY(:ids)', { ids })
      .orderBy('a.createdAt', 'ASC')
      .getMany();
  }

  /**
   * Attaches uploads to a message or note: only unattached ones uploaded by `uploaderId` (null:
   * stored by the system, e.g. from an inbound email). Returns the attachments now attached.
   */
  async attach(
    ids: string[],
    target: AttachmentTarget,
    uploaderId: string | null,
    m: EntityManager,
  ): Promise<Attachment[]> {
    if (!ids.length) return [];
    const column = 'messageId' in target ? 'message_id' : 'note_id';
    const targetId = 'messageId' in target ? target.messageId : target.noteId;
    const rows = await m.query<[Array<{ id: string }>, number]>(
      `UPDATE attachment SET ${column} = $1
       WHERE id = ANY($2::uuid[]) AND message_id IS NULL AND note_id IS NULL
         AND uploaded_by_id IS NOT DISTINCT FROM $3
       RETURNING id`,
      [targetId, ids, uploaderId],
    );
    const attached = rows[0].map((r) => r.id);
    if (!attached.length) return [];
    return m
      .getRepository(Attachment)
      .createQueryBuilder('a')
      .where('a.id = ANY(:attached)', { attached })
      .orderBy('a.createdAt', 'ASC')
      .getMany();
  }

  /** The ticket an attachment belongs to through its message or note; undefined when unattached. */
  async ticketOf(a: Attachment): Promise<{ ticketId: string | null } | undefined> {
    if (a.messageId !== null) {
      const rows = await this.ds.query<
        Array<{
          ticket_id: string | null;
        }>
      >(`SELECT ticket_id FROM message WHERE id = $1`, [a.messageId]);
      return { ticketId: rows[0]?.ticket_id ?? null };
    }
    if (a.noteId !== null) {
      const rows = await this.ds.query<
        Array<{
          ticket_id: string;
        }>
      >(`SELECT ticket_id FROM ticket_note WHERE id = $1`, [a.noteId]);
      return { ticketId: rows[0]?.ticket_id ?? null };
    }
    return undefined;
  }

  /** Uploads never attached, older than the cut-off (for the clean-up job). */
  unattachedBefore(cutoff: Date, limit: number): Promise<Attachment[]> {
    return this.ds
      .getRepository(Attachment)
      .createQueryBuilder('a')
      .where('a.messageId IS NULL AND a.noteId IS NULL AND a.createdAt < :cutoff', { cutoff })
      .orderBy('a.createdAt', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Deletes the row unless it was attached meanwhile; true when deleted. */
  async deleteIfUnattached(id: string): Promise<boolean> {
    const result = await this.ds
      .createQueryBuilder()
      .delete()
      .from(Attachment)
      .where('id = :id AND message_id IS NULL AND note_id IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}

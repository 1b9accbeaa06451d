import { Inject, Injectable } from '@nestjs/common';
import { createReadStream, type ReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { assertCanRead, assertCanWrite, type Actor } from '../../common/auth/actor';
import { DomainError, NotFoundError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { logger } from '../../common/logging/logger';
import type { AppConfig } from '../../config/config';
import { JobsService } from '../../common/jobs/jobs.service';
import { APP_CONFIG } from '../../config/config.module';
import { TicketsService } from '../../tickets/tickets.service';
import { AttachmentsRepository, type AttachmentTarget } from '../attachments.repository';
import type { Attachment } from '../entities';
import { detectContentType } from './file-type';
import { sanitizeFilename } from './filenames';
import { writeHashed, type StoredFileInfo } from './hashing-storage';

export const CLEANUP_QUEUE = 'attachments-cleanup';

export interface UploadedFile extends StoredFileInfo {
  originalname: string;
  mimetype: string;
}

const log = logger('attachments');

/**
 * Files on local disk under `storage.dir` with a random key; metadata in `attachment`. Access
 * follows the ticket of the message or note the file is attached to; an upload not attached yet
 * is visible to its uploader only. Uploads never attached can be removed after a day
 * (`removeUnattached`, for a scheduled job).
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly repo: AttachmentsRepository,
    private readonly tickets: TicketsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    jobs: JobsService,
  ) {
    // uploads never attached to a message or note are removed after a day, checked hourly
    jobs.register(CLEANUP_QUEUE, async () => void (await this.removeUnattached()), { cron: '17 * * * *' });
  }

  get storageDir(): string {
    return this.config.storage.dir;
  }

  get maxUploadBytes(): number {
    return this.config.storage.maxUploadBytes;
  }

  /** Whether the actor may upload at all: checked before an upload's body is read and stored. */
  assertMayUpload(actor: Actor): void {
    assertCanWrite(actor);
  }

  /** Records a file the HTTP upload has streamed to disk; removes it again when it is refused. */
  async registerUpload(actor: Actor, file: UploadedFile): Promise<Attachment> {
    try {
      assertCanWrite(actor);
      return await this.register(file, file.originalname, file.mimetype, actor.agentId);
    } catch (err) {
      await unlink(file.path).catch(() => undefined);
      throw err;
    }
  }

  /** Stores a file received from a channel (email attachment, provider media): the system owns it. */
  async storeBuffer(data: Buffer, filename: string, declaredType?: string): Promise<Attachment> {
    if (data.length > this.maxUploadBytes) throw this.tooLarge();
    const info = await writeHashed(Readable.from([data]), this.storageDir);
    try {
      return await this.register(info, filename, declaredType, null);
    } catch (err) {
      await unlink(info.path).catch(() => undefined);
      throw err;
    }
  }

  private async register(
    file: StoredFileInfo,
    rawName: string,
    declaredType: string | undefined,
    uploadedById: string | null,
  ): Promise<Attachment> {
    if (file.size === 0) throw new ValidationError('The file is empty.');
    if (file.size > this.maxUploadBytes) throw this.tooLarge();
    const filename = sanitizeFilename(rawName);
    const contentType = detectContentType(file.head, declaredType, filename, this.config.storage.allowedTypes);
    return this.repo.insert({
      filename,
      contentType,
      sizeBytes: file.size,
      sha256: file.sha256,
      storageKey: file.storageKey,
      uploadedById,
    });
  }

  tooLarge(): DomainError {
    return new DomainError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `Files can be at most ${Math.floor(this.maxUploadBytes / 1024)} KB.`,
      { maxBytes: this.maxUploadBytes },
    );
  }

  /** The attachment and an open stream of its content, if the actor may read it. */
  async open(actor: Actor, id: string): Promise<{ attachment: Attachment; stream: ReadStream }> {
    assertCanRead(actor);
    const attachment = await this.repo.find(id);
    if (!attachment || !(await this.mayRead(actor, attachment))) throw new NotFoundError('Attachment', id);
    const path = join(this.storageDir, attachment.storageKey);
    try {
      await stat(path);
    } catch {
      log.error({ attachmentId: id, storageKey: attachment.storageKey }, 'attachment file is missing on disk');
      throw new NotFoundError('Attachment', id);
    }
    return { attachment, stream: createReadStream(path) };
  }

  private async mayRead(actor: Actor, a: Attachment): Promise<boolean> {
    const owner = await this.repo.ticketOf(a);
    if (!owner) return a.uploadedById !== null && a.uploadedById === actor.agentId;
    if (!owner.ticketId) return actor.role === 'admin' || actor.ticketAccess === 'all';
    try {
      await this.tickets.get(actor, owner.ticketId);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  /**
   * Attaches the actor's own unattached uploads (system actor: files stored from channels).
   * Unknown, foreign or already used ids fail with ATTACHMENT_NOT_FOUND.
   */
  async attach(actor: Actor, ids: string[], target: AttachmentTarget, m: EntityManager): Promise<Attachment[]> {
    const unique = [...new Set(ids)];
    const owner = actor.kind === 'system' ? null : actor.agentId;
    const attached = await this.repo.attach(unique, target, owner, m);
    const missing = unique.find((id) => !attached.some((a) => a.id === id));
    if (missing) throw new NotFoundError('Attachment', missing);
    return attached;
  }

  ofMessages(ids: readonly number[], manager?: EntityManager): Promise<Attachment[]> {
    return this.repo.ofMessages(ids, manager);
  }

  ofNotes(ids: readonly number[]): Promise<Attachment[]> {
    return this.repo.ofNotes(ids);
  }

  /** Deletes uploads nobody attached within `maxAgeMs` (default a day); returns how many. */
  async removeUnattached(maxAgeMs = 24 * 3600_000, batch = 500): Promise<number> {
    const stale = await this.repo.unattachedBefore(new Date(Date.now() - maxAgeMs), batch);
    let removed = 0;
    for (const a of stale) {
      if (!(await this.repo.deleteIfUnattached(a.id))) continue;
      await unlink(join(this.storageDir, a.storageKey)).catch(() => undefined);
      removed++;
    }
    return removed;
  }
}

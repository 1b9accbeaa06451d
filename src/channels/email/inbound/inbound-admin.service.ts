import { Injectable } from '@nestjs/common';
import { assertAdmin, type Actor } from '../../../common/auth/actor';
import { NotFoundError, ValidationError } from '../../../common/errors/domain-error';
import { decodeCursor, toConnection, type Connection } from '../../../common/graphql/pagination';
import type { InboundMail, InboundStatus } from '../entities';
import { InboundRepository } from './inbound.repository';
import { IntakeService } from './intake.service';

/** The admin view of the raw inbound store: what failed or was held back, and retrying it. */
@Injectable()
export class InboundAdminService {
  constructor(
    private readonly repo: InboundRepository,
    private readonly intake: IntakeService,
  ) {}

  async list(
    actor: Actor,
    args: { status?: InboundStatus; first?: number; after?: string },
  ): Promise<Connection<InboundMail>> {
    assertAdmin(actor);
    const limit = args.first ?? 20;
    const after = args.after ? cursorId(args.after) : null;
    const rows = await this.repo.list(args.status ?? 'failed', after, limit);
    return toConnection(
      rows,
      limit,
      (r) => [r.id],
      (r) => r,
      after !== null,
    );
  }

  async get(actor: Actor, id: number): Promise<InboundMail> {
    assertAdmin(actor);
    const row = await this.repo.find(id);
    if (!row) throw new NotFoundError('InboundMail', id);
    return row;
  }

  /** The mail exactly as received (for download and inspection). */
  async raw(actor: Actor, id: number): Promise<Buffer> {
    await this.get(actor, id);
    return (await this.repo.raw(id)) ?? Buffer.alloc(0);
  }

  /** Processes a failed or ignored mail again (after a fix, or to let a held-back sender through). */
  async retry(actor: Actor, id: number): Promise<InboundMail> {
    const row = await this.get(actor, id);
    const retry = await this.repo.requeue(id);
    if (retry === null) {
      throw new ValidationError(`Mail ${id} is ${row.status}; only failed or ignored mail can be retried.`);
    }
    await this.intake.enqueue(id, retry);
    return (await this.repo.find(id)) as InboundMail;
  }
}

function cursorId(cursor: string): number {
  const [id] = decodeCursor(cursor, 1);
  if (!Number.isSafeInteger(id)) throw new ValidationError('The cursor is not valid.');
  return id as number;
}

import { Injectable } from '@nestjs/common';
import { assertCanWrite, type Actor } from '../common/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import { logger } from '../common/logging/logger';
import { RealtimeBus } from '../common/pubsub/realtime-bus';
import { mergeNotes } from './contact-fields';
import { ContactMergeRepository, type MovedTicket } from './contact-merge.repository';
import { ContactsRepository } from './contacts.repository';
import type { Contact } from './entities';

/** What the survivor takes over from the merged contact where it has nothing of its own. */
export function fillFromSource(target: Contact, source: Contact): Partial<Contact> {
  return {
    name: target.name.trim() ? target.name : source.name,
    organizationId: target.organizationId ?? source.organizationId,
    locale: target.locale ?? source.locale,
    timezone: target.timezone ?? source.timezone,
    notes: mergeNotes(target.notes, source.notes),
  };
}

/**
 * Merges one contact into another: every identity, conversation, message and ticket of the
 * source moves to the target in one transaction. The source row stays, marked as merged, so
 * its id keeps resolving to the survivor.
 */
@Injectable()
export class ContactMergeService {
  private readonly log = logger('contacts');

  constructor(
    private readonly contacts: ContactsRepository,
    private readonly merges: ContactMergeRepository,
    private readonly bus: RealtimeBus,
  ) {}

  async merge(actor: Actor, sourceId: string, targetId: string): Promise<Contact> {
    assertCanWrite(actor);
    // the merge moves tickets the agent may not be allowed to see, so it takes full ticket access
    if (actor.role !== 'admin' && actor.ticketAccess !== 'all') {
      throw new ForbiddenError('Merging contacts needs access to all tickets.');
    }
    if (sourceId === targetId) throw new ValidationError('A contact cannot be merged into itself.');
    const { survivor, tickets } = await this.contacts.transaction(async (m) => {
      const locked = await this.contacts.lockContacts([sourceId, targetId], m);
      const source = locked.find((c) => c.id === sourceId);
      const target = locked.find((c) => c.id === targetId);
      if (!source) throw new NotFoundError('Contact', sourceId);
      if (!target) throw new NotFoundError('Contact', targetId);
      if (source.mergedIntoId) {
        throw new ValidationError(`Contact ${sourceId} was already merged into ${source.mergedIntoId}.`, {
          mergedIntoId: source.mergedIntoId,
        });
      }
      if (target.mergedIntoId) {
        throw new ValidationError(
          `Contact ${targetId} was merged into ${target.mergedIntoId}; merge into that contact instead.`,
          { mergedIntoId: target.mergedIntoId },
        );
      }
      await this.contacts.updateContact(sourceId, { mergedIntoId: targetId }, m);
      const merged = await this.contacts.updateContact(targetId, fillFromSource(target, source), m);
      const moved = await this.merges.moveReferences(sourceId, targetId, auditActor(actor), m);
      this.log.info(
        { sourceId, targetId, actorAgentId: actor.agentId, tickets: moved.tickets.length },
        'contacts merged',
      );
      return { survivor: merged, tickets: moved.tickets };
    });
    await this.publish(tickets);
    return survivor;
  }

  /** Tells live ticket subscribers about the requester change, like any other ticket change. */
  private async publish(tickets: MovedTicket[]): Promise<void> {
    for (const t of tickets) {
      const topics = [`ticket:${t.ticketId}`, 'tickets'];
      if (t.assigneeId) topics.push(`inbox:${t.assigneeId}`);
      if (t.groupId) topics.push(`group:${t.groupId}`);
      // committed already: a failed notification must not fail the merge (subscribers catch up later)
      await this.bus
        .publish({ kind: 'ticket', id: t.auditId, topics })
        .catch((err: Error) => this.log.warn({ err: err.message, ticketId: t.ticketId }, 'publish failed'));
    }
  }
}

function auditActor(actor: Actor): { kind: 'agent' | 'system' | 'api'; agentId: string | null } {
  if (actor.kind === 'system') return { kind: 'system', agentId: null };
  return { kind: actor.via === 'token' ? 'api' : 'agent', agentId: actor.agentId };
}

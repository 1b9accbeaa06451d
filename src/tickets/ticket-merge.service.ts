import { Injectable } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import type { FieldChange, Ticket, TicketLink } from './entities';
import { canSeeTicket } from './ticket-access';
import { MAX_TAGS } from './ticket-changes';
import { TicketRelationsRepository, type MovedContent } from './ticket-relations.repository';
import { TicketsRepository } from './tickets.repository';
import { TicketsService, type TicketChange } from './tickets.service';

const MAX_MERGE_SOURCES = 20;

export interface MergeResult {
  target: Ticket;
  sources: Ticket[];
  moved: MovedContent;
}

/** A link as seen from one ticket: the other ticket and which way the link points. */
export interface TicketLinkView {
  link: TicketLink;
  direction: 'outgoing' | 'incoming';
  otherTicketId: string;
}

/** Ticket merge (Zendesk semantics) and links between tickets. */
@Injectable()
export class TicketMergeService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly relations: TicketRelationsRepository,
    private readonly tickets: TicketsService,
  ) {}

  /**
   * Merges sources into the target in one transaction: their conversations, messages, notes and
   * followers move to the target, tags are unioned, and each source becomes `merged` (final).
   * Requesters may differ (Zendesk allows it); the audit records each source's requester.
   * All tickets are locked in id order, so concurrent merges over the same tickets serialise:
   * the later one sees `merged` and fails with CONFLICT instead of deadlocking.
   */
  async merge(actor: Actor, sourceIds: string[], targetId: string): Promise<MergeResult> {
    assertCanWrite(actor);
    const sources = [...new Set(sourceIds)];
    if (!sources.length) throw new ValidationError('Choose at least one ticket to merge.');
    if (sources.length > MAX_MERGE_SOURCES) {
      throw new ValidationError(`At most ${MAX_MERGE_SOURCES} tickets can be merged at once.`);
    }
    if (sources.includes(targetId)) throw new ValidationError('A ticket cannot be merged into itself.');
    const changes: TicketChange[] = [];
    const result = await this.serialised(() =>
      this.repo.transaction(async (m) => {
        const locked = await this.lockVisible(actor, [...sources, targetId], m);
        for (const t of locked) this.assertMergeable(t);
        const target = locked.find((t) => t.id === targetId) as Ticket;
        const merged = sources.map((id) => locked.find((t) => t.id === id) as Ticket); // in the caller's order
        const followersBefore = (await this.relations.followersOf([targetId], m)).map((f) => f.agentId);
        const moved = await this.relations.moveContent(sources, targetId, m);
        const into = { ticketId: target.id, number: target.number };
        for (const s of merged) {
          changes.push(
            await this.tickets.applyChanges(actor, s, { status: 'merged', mergedIntoId: target.id }, m, 'merged_into', {
              mergedInto: { from: null, to: into },
            }),
          );
        }
        const followersAfter = (await this.relations.followersOf([targetId], m)).map((f) => f.agentId);
        const extra: Record<string, FieldChange> = {
          mergedTickets: {
            from: null,
            to: merged.map((s) => ({ ticketId: s.id, number: s.number, requesterId: s.requesterId })),
          },
        };
        if (followersAfter.length !== followersBefore.length) {
          extra.followers = { from: followersBefore, to: followersAfter };
        }
        const tags = [...new Set([...target.tags, ...merged.flatMap((s) => s.tags)])].slice(0, MAX_TAGS);
        const targetChange = await this.tickets.applyChanges(actor, target, { tags }, m, 'merged', extra);
        changes.push(targetChange);
        return { target: targetChange.ticket, sources: changes.slice(0, -1).map((c) => c.ticket), moved };
      }),
    );
    for (const change of changes) await this.tickets.publishChange(change);
    return result;
  }

  /**
   * Links two tickets as `related` (shown on both tickets). Idempotent in either direction: an
   * existing link between them, whichever way it points, is returned as it is.
   */
  async link(actor: Actor, sourceId: string, targetId: string): Promise<TicketLink> {
    assertCanWrite(actor);
    if (sourceId === targetId) throw new ValidationError('A ticket cannot be linked to itself.');
    const changes: TicketChange[] = [];
    const link = await this.serialised(() =>
      this.repo.transaction(async (m) => {
        const locked = await this.lockVisible(actor, [sourceId, targetId], m);
        const byId = new Map(locked.map((t) => [t.id, t]));
        const [source, target] = [byId.get(sourceId) as Ticket, byId.get(targetId) as Ticket];
        // both tickets are locked: a link either way round cannot appear meanwhile
        const existing = await this.relations.relatedLinkBetween(sourceId, targetId, m);
        if (existing) return existing;
        const created = await this.relations.insertLink(sourceId, targetId, 'related', m);
        if (!created) throw new ConflictError('The link could not be created; try again.');
        changes.push(await this.auditLink(actor, source, target, 'linked', m));
        changes.push(await this.auditLink(actor, target, source, 'linked', m));
        return created;
      }),
    );
    for (const change of changes) await this.tickets.publishChange(change);
    return link;
  }

  /** Removes a `related` link between two tickets, whichever way it points. */
  async unlink(actor: Actor, ticketId: string, otherTicketId: string): Promise<boolean> {
    assertCanWrite(actor);
    const changes: TicketChange[] = [];
    const removed = await this.repo.transaction(async (m) => {
      const [a, b] = await this.lockVisible(actor, [ticketId, otherTicketId], m);
      if (!(await this.relations.deleteLink(ticketId, otherTicketId, 'related', m))) return false;
      changes.push(await this.auditLink(actor, a, b, 'unlinked', m));
      changes.push(await this.auditLink(actor, b, a, 'unlinked', m));
      return true;
    });
    for (const change of changes) await this.tickets.publishChange(change);
    return removed;
  }

  /** Links of the given tickets (for the `Ticket.links` field), from each ticket's point of view. */
  async linksOf(actor: Actor, ticketIds: readonly string[]): Promise<Map<string, TicketLinkView[]>> {
    assertCanRead(actor);
    const out = new Map<string, TicketLinkView[]>(ticketIds.map((id) => [id, []]));
    for (const link of await this.relations.linksOf(ticketIds)) {
      out.get(link.sourceTicketId)?.push({ link, direction: 'outgoing', otherTicketId: link.targetTicketId });
      out.get(link.targetTicketId)?.push({ link, direction: 'incoming', otherTicketId: link.sourceTicketId });
    }
    return out;
  }

  private async lockVisible(actor: Actor, ids: string[], m: EntityManager): Promise<Ticket[]> {
    const locked = await this.relations.lockTickets(ids, m);
    for (const id of ids) {
      const t = locked.find((x) => x.id === id);
      if (!t || !canSeeTicket(actor, t)) throw new NotFoundError('Ticket', id);
    }
    return locked;
  }

  private assertMergeable(t: Ticket): void {
    if (t.status === 'merged') {
      throw new ConflictError(`Ticket #${t.number} has already been merged into another ticket.`, {
        ticketId: t.id,
        mergedIntoId: t.mergedIntoId,
      });
    }
    if (t.status === 'closed') throw new ValidationError(`Ticket #${t.number} is closed and cannot be merged.`);
  }

  /** Audits a link change on one side; closed and merged tickets keep their version (they are final). */
  private async auditLink(actor: Actor, self: Ticket, other: Ticket, action: string, m: EntityManager) {
    const changes = {
      links: { from: null, to: { kind: 'related', ticketId: other.id, number: other.number, action } },
    };
    if (self.status === 'closed' || self.status === 'merged') {
      const audit = await this.repo.insertAudit(
        { ...this.tickets.actorOf(actor), ticketId: self.id, action, changes },
        m,
      );
      return { ticket: self, audit };
    }
    return this.tickets.applyChanges(actor, self, {}, m, action, changes);
  }

  /** A deadlock can still come from other code paths locking in another order; report it as a conflict. */
  private async serialised<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { driverError?: { code?: string } }).driverError?.code;
      if (err instanceof QueryFailedError && (code === '40P01' || code === '40001')) {
        throw new ConflictError('Another change to these tickets happened at the same moment. Try again.');
      }
      throw err;
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import { RealtimeBus } from '../common/pubsub/realtime-bus';
import { ContactsService, type ContactReference } from '../contacts/contacts.service';
import { AgentsService } from '../identity/agents.service';
import type { AuditEvent, FieldChange, Ticket, TicketPriority, TicketStatus, TicketType } from './entities';
import { assertTransition } from './status';
import { canSeeTicket } from './ticket-access';
import { TicketsRepository } from './tickets.repository';

export interface CreateTicketData {
  subject: string;
  requester: ContactReference;
  status?: TicketStatus;
  priority?: TicketPriority;
  type?: TicketType | null;
  channel?: string;
  assigneeId?: string | null;
  groupId?: string | null;
  tags?: string[];
}

export interface UpdateTicketData {
  /** When given, the update fails with CONFLICT if someone changed the ticket since this version. */
  expectedVersion?: number;
  subject?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  type?: TicketType | null;
  assigneeId?: string | null;
  groupId?: string | null;
  tags?: string[];
}

export interface TicketChange {
  ticket: Ticket;
  audit: AuditEvent | null;
}

const AUDITED: ReadonlyArray<keyof Ticket> = [
  'subject',
  'status',
  'priority',
  'type',
  'assigneeId',
  'groupId',
  'tags',
  'requesterId',
  'customFields',
  'mergedIntoId',
  'formId',
];

/** Normalises tags: trimmed, lower-case, no spaces or commas, unique, at most 50. */
export function normalizeTags(tags: string[]): string[] {
  const out = new Set<string>();
  for (const raw of tags) {
    const tag = raw
      .normalize('NFKC')
      .trim()
      .toLowerCase()
      .replace(/[\s,]+/g, '_');
    if (!tag) continue;
    if (tag.length > 64) throw new ValidationError(`Tag "${tag.slice(0, 20)}…" is longer than 64 characters.`);
    out.add(tag);
  }
  if (out.size > 50) throw new ValidationError('A ticket can have at most 50 tags.');
  return [...out];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Differences between two ticket states, field by field, for the audit trail. */
export function diffTickets(before: Partial<Ticket>, after: Partial<Ticket>): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const key of AUDITED) {
    if (!sameValue(before[key], after[key])) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}

/** Ticket rules: creation, status machine, assignment, optimistic concurrency, audit, events. */
@Injectable()
export class TicketsService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
    private readonly bus: RealtimeBus,
  ) {}

  /** A ticket the actor may see; invisible tickets are reported as not found. */
  async get(actor: Actor, id: string, manager?: EntityManager): Promise<Ticket> {
    assertCanRead(actor);
    const ticket = await this.repo.findById(id, manager);
    if (!ticket || !canSeeTicket(actor, ticket)) throw new NotFoundError('Ticket', id);
    return ticket;
  }

  async getByNumber(actor: Actor, number: number): Promise<Ticket> {
    assertCanRead(actor);
    const ticket = await this.repo.findByNumber(number);
    if (!ticket || !canSeeTicket(actor, ticket)) throw new NotFoundError('Ticket', `#${number}`);
    return ticket;
  }

  /** Batch load for field resolvers; silently drops tickets the actor may not see. */
  async getMany(actor: Actor, ids: readonly string[]): Promise<Ticket[]> {
    return (await this.repo.findByIds(ids)).filter((t) => canSeeTicket(actor, t));
  }

  private async validateAssignment(assigneeId: string | null | undefined, groupId: string | null | undefined) {
    if (assigneeId) {
      const agent = await this.agents.agentsByIds([assigneeId]);
      if (!agent[0]?.isActive) throw new NotFoundError('Agent', assigneeId);
      if (agent[0].role === 'viewer') throw new ValidationError('Viewers cannot be assigned tickets.');
    }
    if (groupId) await this.agents.getGroup(groupId);
  }

  /**
   * Creates a ticket (in the caller's transaction when one is given; the caller then publishes
   * with `publishChange` after commit).
   */
  async create(actor: Actor, data: CreateTicketData, manager?: EntityManager): Promise<TicketChange> {
    assertCanWrite(actor);
    const subject = data.subject.trim();
    if (!subject) throw new ValidationError('The subject cannot be empty.');
    await this.validateAssignment(data.assigneeId, data.groupId);
    const status = data.status ?? (data.assigneeId ? 'open' : 'new');
    if (status === 'closed' || status === 'merged') throw new ValidationError(`A new ticket cannot be ${status}.`);
    const run = async (m: EntityManager): Promise<TicketChange> => {
      const requester = await this.contacts.resolve(data.requester, m);
      const ticket = await this.repo.insert(
        {
          subject: subject.slice(0, 250),
          status,
          priority: data.priority ?? 'normal',
          type: data.type ?? null,
          channel: data.channel ?? 'api',
          requesterId: requester.id,
          assigneeId: data.assigneeId ?? null,
          groupId: data.groupId ?? null,
          tags: normalizeTags(data.tags ?? []),
          customFields: {},
          solvedAt: status === 'solved' ? new Date() : null,
        },
        m,
      );
      const audit = await this.repo.insertAudit(
        { ...this.actorOf(actor), ticketId: ticket.id, action: 'created', changes: diffTickets({}, ticket) },
        m,
      );
      return { ticket, audit };
    };
    if (manager) return run(manager);
    const change = await this.repo.transaction(run);
    await this.publishChange(change);
    return change;
  }

  /** Updates fields under a row lock; CONFLICT when `expectedVersion` is stale. */
  async update(actor: Actor, id: string, data: UpdateTicketData): Promise<TicketChange> {
    assertCanWrite(actor);
    let previous: Pick<Ticket, 'assigneeId' | 'groupId'> | undefined;
    const change = await this.repo.transaction(async (m) => {
      const current = await this.repo.lockById(id, m);
      if (!current || !canSeeTicket(actor, current)) throw new NotFoundError('Ticket', id);
      if (data.expectedVersion !== undefined && data.expectedVersion !== current.version) {
        throw new ConflictError(
          `Ticket #${current.number} was changed by someone else (version ${current.version}, you had ${data.expectedVersion}). Reload and retry.`,
          { currentVersion: current.version },
        );
      }
      previous = { assigneeId: current.assigneeId, groupId: current.groupId };
      return this.applyChanges(actor, current, this.patchFrom(current, data), m);
    });
    await this.publishChange(change, previous);
    return change;
  }

  private patchFrom(current: Ticket, data: UpdateTicketData): Partial<Ticket> {
    const patch: Partial<Ticket> = {};
    if (data.subject !== undefined) {
      const subject = data.subject.trim();
      if (!subject) throw new ValidationError('The subject cannot be empty.');
      patch.subject = subject.slice(0, 250);
    }
    if (data.priority !== undefined) patch.priority = data.priority;
    if (data.type !== undefined) patch.type = data.type;
    if (data.assigneeId !== undefined) patch.assigneeId = data.assigneeId;
    if (data.groupId !== undefined) patch.groupId = data.groupId;
    if (data.tags !== undefined) patch.tags = normalizeTags(data.tags);
    let status = data.status;
    // assigning a new ticket starts work on it, as agents expect
    if (status === undefined && current.status === 'new' && data.assigneeId) status = 'open';
    if (status !== undefined && status !== current.status) {
      if (status === 'merged') throw new ValidationError('Use mergeTickets to merge a ticket.');
      assertTransition(current.status, status);
      patch.status = status;
      if (status === 'solved') patch.solvedAt = new Date();
      if (status === 'closed') patch.closedAt = new Date();
      if (current.status === 'solved' && (status === 'open' || status === 'pending')) patch.solvedAt = null;
    } else if (current.status === 'closed' || current.status === 'merged') {
      throw new ValidationError(`Ticket #${current.number} is ${current.status} and can no longer be changed.`);
    }
    return patch;
  }

  /**
   * Validates and writes a patch on a locked ticket, with its audit event. Shared by every
   * ticket change (updates, merges, field edits) so all of them are audited the same way.
   */
  async applyChanges(
    actor: Actor,
    current: Ticket,
    patch: Partial<Ticket>,
    m: EntityManager,
    action = 'updated',
  ): Promise<TicketChange> {
    if ('assigneeId' in patch || 'groupId' in patch) {
      await this.validateAssignment(
        patch.assigneeId !== current.assigneeId ? patch.assigneeId : undefined,
        patch.groupId !== current.groupId ? patch.groupId : undefined,
      );
    }
    const changes = diffTickets(current, { ...current, ...patch });
    if (!Object.keys(changes).length) return { ticket: current, audit: null };
    const ticket = await this.repo.applyPatch(current.id, patch, m);
    const audit = await this.repo.insertAudit({ ...this.actorOf(actor), ticketId: ticket.id, action, changes }, m);
    return { ticket, audit };
  }

  /** Tells live subscribers (any process) that the ticket changed; call after commit. */
  async publishChange(change: TicketChange, previous?: Pick<Ticket, 'assigneeId' | 'groupId'>): Promise<void> {
    if (!change.audit) return;
    const t = change.ticket;
    const topics = new Set([`ticket:${t.id}`, 'tickets']);
    for (const a of [t.assigneeId, previous?.assigneeId]) if (a) topics.add(`inbox:${a}`);
    for (const g of [t.groupId, previous?.groupId]) if (g) topics.add(`group:${g}`);
    await this.bus.publish({ kind: 'ticket', id: change.audit.id, topics: [...topics] });
  }

  auditEvents(ticketId: string, afterId = 0, limit = 500): Promise<AuditEvent[]> {
    return this.repo.auditEvents(ticketId, afterId, limit);
  }

  private actorOf(actor: Actor): { actorKind: 'agent' | 'system' | 'api'; actorAgentId: string | null } {
    if (actor.kind === 'system') return { actorKind: 'system', actorAgentId: null };
    return { actorKind: actor.via === 'token' ? 'api' : 'agent', actorAgentId: actor.agentId };
  }
}

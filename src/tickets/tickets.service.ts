import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import { logger } from '../common/logging/logger';
import { RealtimeBus, type BusEvent } from '../common/pubsub/realtime-bus';
import { toTsVectorText } from '../common/text/search-terms';
import { ContactsService, type ContactReference } from '../contacts/contacts.service';
import type { Contact } from '../contacts/entities';
import { AgentsService } from '../identity/agents.service';
import type { AuditEvent, FieldChange, Ticket, TicketPriority, TicketStatus, TicketType } from './entities';
import { canSeeTicket } from './ticket-access';
import { diffTickets, normalizeTags } from './ticket-changes';
import { TicketFieldsService } from './ticket-fields.service';
import { cleanSubject, patchFrom } from './ticket-patch';
import { MAX_SEARCH_VECTOR_BYTES, TicketRelationsRepository } from './ticket-relations.repository';
import { TicketsRepository } from './tickets.repository';

export { diffTickets, normalizeTags } from './ticket-changes';

const log = logger('tickets');

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
  /** Omitted: the default form (if any). null: no form. */
  formId?: string | null;
  /** Values keyed by field key, validated against the active custom fields. */
  customFields?: Record<string, unknown>;
  /** For channels: the requester, already resolved in the caller's transaction (`requester` is then not looked up). */
  resolvedRequester?: Contact;
  /**
   * For `createPending`: the text of the message the ticket is created for, indexed by the insert
   * (the message write is then told the ticket already records it, see `HeldRows.recorded`).
   */
  firstMessageText?: string;
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
  formId?: string | null;
  /** Merged into the current values; a null value clears that field. */
  customFields?: Record<string, unknown>;
  /** Recorded in the audit event next to the field changes (e.g. the macro that made them). */
  auditExtra?: Record<string, FieldChange>;
}

export interface FollowUpData {
  subject?: string;
  channel?: string;
}

export interface TicketChange {
  ticket: Ticket;
  audit: AuditEvent | null;
}

/** A ticket inserted by `createPending` whose `created` audit event is still to be recorded. */
export interface PendingTicket {
  ticket: Ticket;
  recordCreation: () => Promise<TicketChange>;
}

/** The bus event of a committed ticket change (null: nothing was audited, nothing to tell). */
export function changeEvent(change: TicketChange, previous?: Pick<Ticket, 'assigneeId' | 'groupId'>): BusEvent | null {
  if (!change.audit) return null;
  const t = change.ticket;
  const topics = new Set([`ticket:${t.id}`, 'tickets']);
  for (const a of [t.assigneeId, previous?.assigneeId]) if (a) topics.add(`inbox:${a}`);
  for (const g of [t.groupId, previous?.groupId]) if (g) topics.add(`group:${g}`);
  return { kind: 'ticket', id: change.audit.id, topics: [...topics] };
}

function newStatus(data: CreateTicketData): TicketStatus {
  return data.status ?? (data.assigneeId ? 'open' : 'new');
}

/** Ticket rules: creation, status machine, assignment, optimistic concurrency, audit, events. */
@Injectable()
export class TicketsService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
    private readonly bus: RealtimeBus,
    private readonly fields: TicketFieldsService,
    private readonly relations: TicketRelationsRepository,
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

  /** Reads through `m` when inside a transaction, so a caller never needs two pool connections. */
  private async validateAssignment(
    assigneeId: string | null | undefined,
    groupId: string | null | undefined,
    m?: EntityManager,
  ) {
    if (assigneeId) {
      const agent = await this.agents.agentsByIds([assigneeId], m);
      if (!agent[0]?.isActive) throw new NotFoundError('Agent', assigneeId);
      if (agent[0].role === 'viewer') throw new ValidationError('Viewers cannot be assigned tickets.');
    }
    if (groupId) await this.agents.getGroup(groupId, m);
  }

  /**
   * Creates a ticket (in the caller's transaction when one is given; the caller then publishes
   * with `publishChange` after commit).
   */
  async create(actor: Actor, data: CreateTicketData, manager?: EntityManager): Promise<TicketChange> {
    const run = async (m: EntityManager) => (await this.insertNew(actor, data, m)).recordCreation();
    await this.checkNew(actor, data, manager);
    if (manager) return run(manager);
    const change = await this.repo.transaction(run);
    await this.publishChange(change);
    return change;
  }

  /**
   * `create` in two steps for channels that write more in the same transaction: the ticket row
   * now, its `created` audit event when `recordCreation` is called. Audit events take the
   * commit-order lock (held until commit, see the realtime migration), so a caller records the
   * event as late as it can and other writers wait the shorter. Until then the ticket has no
   * audit trail: the caller must record it before committing.
   */
  async createPending(actor: Actor, data: CreateTicketData, m: EntityManager): Promise<PendingTicket> {
    await this.checkNew(actor, data, m);
    return this.insertNew(actor, data, m);
  }

  private async checkNew(actor: Actor, data: CreateTicketData, manager?: EntityManager): Promise<void> {
    assertCanWrite(actor);
    await this.validateAssignment(data.assigneeId, data.groupId, manager);
    const status = newStatus(data);
    if (status === 'closed' || status === 'merged') throw new ValidationError(`A new ticket cannot be ${status}.`);
  }

  private async insertNew(actor: Actor, data: CreateTicketData, m: EntityManager): Promise<PendingTicket> {
    const subject = cleanSubject(data.subject);
    const status = newStatus(data);
    const requester = data.resolvedRequester ?? (await this.contacts.resolve(data.requester, m));
    const checkSolve = status === 'solved' && actor.kind !== 'system';
    const values = {
      subject,
      status,
      priority: data.priority ?? 'normal',
      type: data.type ?? null,
      channel: data.channel ?? 'api',
      requesterId: requester.id,
      assigneeId: data.assigneeId ?? null,
      groupId: data.groupId ?? null,
      tags: normalizeTags(data.tags ?? []),
      // undefined: the default form, looked up by the insert itself
      formId: data.formId === undefined && !checkSolve ? undefined : await this.fields.resolveFormId(data.formId, m),
      customFields: await this.fields.mergeValues({}, data.customFields ?? {}, m),
      solvedAt: status === 'solved' ? new Date() : null,
    };
    if (checkSolve)
      await this.fields.assertRequiredForSolve({ number: 0, ...values, formId: values.formId ?? null }, m);
    const bodyTerms = data.firstMessageText ? toTsVectorText(data.firstMessageText) : '';
    const ticket = await this.repo.insert(values, toTsVectorText(subject), bodyTerms, m);
    const recordCreation = async (): Promise<TicketChange> => {
      const changes = diffTickets({}, ticket);
      const audit = await this.repo.insertAudit(
        { ...this.actorOf(actor), ticketId: ticket.id, action: 'created', changes },
        m,
      );
      return { ticket, audit };
    };
    return { ticket, recordCreation };
  }

  /**
   * Updates fields under a row lock; CONFLICT when `expectedVersion` is stale. With `manager` it
   * runs in the caller's transaction and the caller publishes with `publishChange` after commit.
   */
  async update(actor: Actor, id: string, data: UpdateTicketData, manager?: EntityManager): Promise<TicketChange> {
    assertCanWrite(actor);
    let previous: Pick<Ticket, 'assigneeId' | 'groupId'> | undefined;
    const run = async (m: EntityManager): Promise<TicketChange> => {
      const current = await this.repo.lockById(id, m);
      if (!current || !canSeeTicket(actor, current)) throw new NotFoundError('Ticket', id);
      if (data.expectedVersion !== undefined && data.expectedVersion !== current.version) {
        throw new ConflictError(
          `Ticket #${current.number} was changed by someone else (version ${current.version}, you had ${data.expectedVersion}). Reload and retry.`,
          { currentVersion: current.version },
        );
      }
      previous = { assigneeId: current.assigneeId, groupId: current.groupId };
      const patch = patchFrom(current, data);
      if (data.formId !== undefined) patch.formId = await this.fields.resolveFormId(data.formId, m);
      if (data.customFields) {
        patch.customFields = await this.fields.mergeValues(current.customFields, data.customFields, m);
      }
      return this.applyChanges(actor, current, patch, m, 'updated', data.auditExtra ?? {});
    };
    if (manager) return run(manager);
    const change = await this.repo.transaction(run);
    await this.publishChange(change, previous);
    return change;
  }

  /**
   * Validates and writes a patch on a locked ticket, with its audit event. Shared by every
   * ticket change (updates, merges, field edits) so all of them are audited the same way.
   * `extra` records changes that are not ticket columns (followers, links, merges); with it
   * an audit event is written even when no column changes.
   */
  async applyChanges(
    actor: Actor,
    current: Ticket,
    patch: Partial<Ticket>,
    m: EntityManager,
    action = 'updated',
    extra: Record<string, FieldChange> = {},
  ): Promise<TicketChange> {
    if ('assigneeId' in patch || 'groupId' in patch) {
      await this.validateAssignment(
        patch.assigneeId !== current.assigneeId ? patch.assigneeId : undefined,
        patch.groupId !== current.groupId ? patch.groupId : undefined,
        m,
      );
    }
    const next = { ...current, ...patch };
    // Zendesk rule: required fields block solving (agents and API); automations run as system and may solve
    if (next.status === 'solved' && current.status !== 'solved' && actor.kind !== 'system') {
      await this.fields.assertRequiredForSolve(next, m);
    }
    const changes = { ...diffTickets(current, next), ...extra };
    if (!Object.keys(changes).length) return { ticket: current, audit: null };
    const ticket = await this.repo.applyPatch(current.id, patch, m);
    if (changes.subject) await this.repo.indexSubject(ticket.id, toTsVectorText(ticket.subject), m);
    const audit = await this.repo.insertAudit({ ...this.actorOf(actor), ticketId: ticket.id, action, changes }, m);
    return { ticket, audit };
  }

  /** Row lock on a ticket in the caller's transaction, returning the row (no access check: the caller's job). */
  lockRow(id: string, manager: EntityManager): Promise<Ticket | null> {
    return this.repo.lockById(id, manager);
  }

  /**
   * A message or note was stored on the ticket (its row locked by the caller): bumps the activity
   * time (newest first in inboxes; neither a version bump nor an audit event) and makes the text
   * findable by ticket search (weight D; the index stops growing near its size limit, trigram
   * search on messages still works), in one statement. Returns the updated ticket.
   */
  async recordMessage(ticketId: string, text: string, manager: EntityManager): Promise<Ticket> {
    const ticket = await this.repo.touchAndIndex(ticketId, toTsVectorText(text), MAX_SEARCH_VECTOR_BYTES, manager);
    if (!ticket) throw new NotFoundError('Ticket', ticketId);
    return ticket;
  }

  /**
   * A new ticket for the requester of a closed ticket, linked to it as `follow_up` (closed
   * tickets never reopen). Copies subject, group, assignee (while active), priority, type, tags
   * and form. Called for replies to closed tickets; with `manager` the caller publishes.
   */
  async createFollowUp(
    actor: Actor,
    closedTicketId: string,
    data: FollowUpData = {},
    manager?: EntityManager,
  ): Promise<TicketChange> {
    assertCanWrite(actor);
    const run = async (m: EntityManager): Promise<TicketChange> => {
      // row locks before the audit inserts (which serialise commits; see ConversationsRealtime migration)
      const closed = await this.repo.lockById(closedTicketId, m);
      if (!closed || !canSeeTicket(actor, closed)) throw new NotFoundError('Ticket', closedTicketId);
      if (closed.status !== 'closed') {
        throw new ValidationError(`Ticket #${closed.number} is ${closed.status}; only closed tickets get follow-ups.`);
      }
      const assignee = closed.assigneeId ? (await this.agents.agentsByIds([closed.assigneeId], m))[0] : undefined;
      const change = await this.create(
        actor,
        {
          subject: data.subject?.trim() || closed.subject,
          requester: { contactId: closed.requesterId },
          priority: closed.priority,
          type: closed.type,
          channel: data.channel ?? closed.channel,
          assigneeId: assignee?.isActive && assignee.role !== 'viewer' ? assignee.id : null,
          groupId: closed.groupId,
          tags: closed.tags,
          formId: await this.fields.activeFormOrDefault(closed.formId, m),
        },
        m,
      );
      await this.relations.insertLink(change.ticket.id, closed.id, 'follow_up', m);
      const link = { from: null, to: { kind: 'follow_up', ticketId: closed.id, number: closed.number } };
      await this.repo.insertAudit(
        { ...this.actorOf(actor), ticketId: change.ticket.id, action: 'linked', changes: { followUpOf: link } },
        m,
      );
      const back = { from: null, to: { ticketId: change.ticket.id, number: change.ticket.number } };
      await this.repo.insertAudit(
        { ...this.actorOf(actor), ticketId: closed.id, action: 'follow_up_created', changes: { followUp: back } },
        m,
      );
      return change;
    };
    if (manager) return run(manager);
    const change = await this.repo.transaction(run);
    await this.publishChange(change);
    return change;
  }

  /**
   * Tells live subscribers (any process) that the ticket changed; call after commit. Never
   * throws: the change is committed, so failing the request would make clients retry it (a
   * second ticket), and subscribers catch up from their cursor on the next event or resync.
   */
  async publishChange(change: TicketChange, previous?: Pick<Ticket, 'assigneeId' | 'groupId'>): Promise<void> {
    const event = changeEvent(change, previous);
    if (!event) return;
    await this.bus
      .publish(event)
      .catch((err: Error) => log.warn({ err: err.message, ticketId: change.ticket.id }, 'publish failed'));
  }

  auditEvents(ticketId: string, afterId = 0, limit = 500): Promise<AuditEvent[]> {
    return this.repo.auditEvents(ticketId, afterId, limit);
  }

  /** Audit events of tickets the caller already may see (field resolvers), the first 500 of each. */
  async auditEventsOf(ticketIds: readonly string[], limit = 500): Promise<Map<string, AuditEvent[]>> {
    const out = new Map<string, AuditEvent[]>(ticketIds.map((id) => [id, []]));
    for (const e of await this.repo.auditEventsOf(ticketIds, limit)) out.get(e.ticketId)?.push(e);
    return out;
  }

  actorOf(actor: Actor): { actorKind: 'agent' | 'system' | 'api'; actorAgentId: string | null } {
    if (actor.kind === 'system') return { actorKind: 'system', actorAgentId: null };
    return { actorKind: actor.via === 'token' ? 'api' : 'agent', actorAgentId: actor.agentId };
  }
}

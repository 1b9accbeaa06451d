import { Injectable } from '@nestjs/common';
import { assertCanRead, assertCanWrite, type Actor } from '../common/auth/actor';
import { NotFoundError, ValidationError } from '../common/errors/domain-error';
import { AgentsService } from '../identity/agents.service';
import type { Ticket } from '../tickets/entities';
import { TicketFieldsService } from '../tickets/ticket-fields.service';
import { TicketFollowersService } from '../tickets/ticket-followers.service';
import { TicketsService } from '../tickets/tickets.service';
import { AutomationRepository } from './automation.repository';
import { Macro, type MacroAction } from './entities';
import { parseActions, planMacro } from './macro-actions';
import { assertMayManage, ownerFor, visibleOr404 } from './ownership';
import { TemplateContextService } from './template-context.service';

export interface MacroData {
  name: string;
  description?: string;
  actions: unknown;
  isActive?: boolean;
}

export interface AppliedMacro {
  ticket: Ticket;
  /** The macro's text with variables filled, for the composer (null when it has none). */
  text: string | null;
  mode: 'reply' | 'note' | null;
  /** Variables in the text that are not known (left as written). */
  unknownVariables: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cleanName = (raw: string) => {
  const name = raw.trim();
  if (!name || name.length > 120) throw new ValidationError('A macro needs a name of 1 to 120 characters.');
  return name;
};

/** Macros: shared ones managed by administrators, personal ones by their agent; applied through TicketsService. */
@Injectable()
export class MacrosService {
  constructor(
    private readonly repo: AutomationRepository,
    private readonly tickets: TicketsService,
    private readonly followers: TicketFollowersService,
    private readonly fields: TicketFieldsService,
    private readonly agents: AgentsService,
    private readonly templates: TemplateContextService,
  ) {}

  /** Shared macros, then the actor's own; inactive ones only for managing. */
  list(actor: Actor, includeInactive = false): Promise<Macro[]> {
    assertCanRead(actor);
    return this.repo.macros(actor.agentId, includeInactive);
  }

  async get(actor: Actor, id: string): Promise<Macro> {
    return visibleOr404(actor, await this.repo.findById(Macro, id), 'Macro', id);
  }

  async create(actor: Actor, data: MacroData & { personal?: boolean }): Promise<Macro> {
    const ownerAgentId = ownerFor(actor, !data.personal);
    const actions = await this.validActions(data.actions);
    return this.repo.insert(Macro, {
      name: cleanName(data.name),
      description: (data.description ?? '').trim().slice(0, 500),
      ownerAgentId,
      actions,
      isActive: data.isActive ?? true,
      position: await this.repo.nextPosition(Macro, ownerAgentId),
    });
  }

  async update(actor: Actor, id: string, data: Partial<MacroData>): Promise<Macro> {
    const macro = await this.get(actor, id);
    assertMayManage(actor, macro.ownerAgentId);
    return this.repo.update(Macro, id, {
      ...(data.name !== undefined && { name: cleanName(data.name) }),
      ...(data.description !== undefined && { description: data.description.trim().slice(0, 500) }),
      ...(data.actions !== undefined && { actions: await this.validActions(data.actions) }),
      ...(data.isActive !== undefined && { isActive: data.isActive }),
    });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const macro = await this.get(actor, id);
    assertMayManage(actor, macro.ownerAgentId);
    await this.repo.delete(Macro, id);
  }

  /** Puts the given macros (all shared, or all the actor's own) in this order. */
  async reorder(actor: Actor, ids: string[]): Promise<Macro[]> {
    if (!ids.length || ids.length > 200 || ids.some((id) => !UUID.test(id))) {
      throw new ValidationError('Give 1 to 200 macro ids.');
    }
    const macros = await Promise.all(ids.map((id) => this.get(actor, id)));
    const owners = new Set(macros.map((m) => m.ownerAgentId));
    if (owners.size > 1) throw new ValidationError('Order shared and personal macros separately.');
    if (new Set(ids).size !== ids.length) throw new ValidationError('A macro appears twice in the order.');
    assertMayManage(actor, macros[0]?.ownerAgentId ?? null);
    await this.repo.setPositions(Macro, ids);
    return this.list(actor, true);
  }

  /** Moves one macro up or down within its list (the settings page's buttons). */
  async move(actor: Actor, id: string, by: -1 | 1): Promise<void> {
    const macro = await this.get(actor, id);
    const peers = (await this.list(actor, true)).filter((m) => m.ownerAgentId === macro.ownerAgentId);
    const from = peers.findIndex((m) => m.id === id);
    const to = Math.min(peers.length - 1, Math.max(0, from + by));
    const order = peers.map((m) => m.id);
    order.splice(to, 0, ...order.splice(from, 1));
    await this.reorder(actor, order);
  }

  /**
   * Applies a macro's field actions through the ticket services (permissions, status rules,
   * audit, version) and returns the ticket and the macro's text with its variables filled.
   */
  async apply(actor: Actor, ticketId: string, macroId: string): Promise<AppliedMacro> {
    assertCanWrite(actor);
    const macro = await this.get(actor, macroId);
    if (!macro.isActive) throw new NotFoundError('Macro', macroId);
    let ticket = await this.tickets.get(actor, ticketId);
    const plan = planMacro(macro.actions, ticket, actor.agentId);
    if (Object.keys(plan.update).length) {
      const auditExtra = { macro: { from: null, to: { id: macro.id, name: macro.name } } };
      ticket = (await this.tickets.update(actor, ticket.id, { ...plan.update, auditExtra })).ticket;
    }
    for (const agentId of plan.followers) ticket = await this.followers.add(actor, ticket.id, agentId);
    if (!plan.text) return { ticket, text: null, mode: null, unknownVariables: [] };
    const rendered = await this.templates.render(actor, plan.text.value, ticket);
    return { ticket, text: rendered.text, mode: plan.text.mode, unknownVariables: rendered.unknown };
  }

  /** Checks the actions and that the agents, group and custom fields they name exist. */
  private async validActions(raw: unknown): Promise<MacroAction[]> {
    const actions = parseActions(raw);
    const agentIds = new Set<string>();
    const customFields: Record<string, unknown> = {};
    for (const a of actions) {
      if ((a.type === 'assignee' || a.type === 'add_follower') && a.value && a.value !== 'current') {
        agentIds.add(a.value);
      }
      if (a.type === 'group' && a.value) await this.agents.getGroup(a.value);
      if (a.type === 'custom_field') customFields[a.key] = a.value;
    }
    const found = await this.agents.agentsByIds([...agentIds]);
    for (const id of agentIds) {
      const agent = found.find((x) => x.id === id);
      if (!agent?.isActive) throw new NotFoundError('Agent', id);
    }
    await this.fields.mergeValues({}, customFields);
    return actions;
  }
}

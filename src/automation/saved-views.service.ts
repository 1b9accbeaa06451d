import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { ValidationError } from '../common/errors/domain-error';
import { AgentsService } from '../identity/agents.service';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../tickets/entities';
import { normalizeTags } from '../tickets/ticket-changes';
import { TicketFieldsService } from '../tickets/ticket-fields.service';
import type { TicketSearchInput } from '../tickets/ticket-search.service';
import { AutomationRepository } from './automation.repository';
import { SavedView, type SavedViewFilters, type SavedViewSort } from './entities';
import { assertMayManage, ownerFor, visibleOr404 } from './ownership';

export const SAVED_VIEW_SORTS: readonly SavedViewSort[] = ['updated', 'priority', 'created', 'number'];
/** The inbox shows at most this many saved views (their counts are computed on every page). */
export const MAX_SAVED_VIEWS = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SavedViewData {
  name: string;
  filters: SavedViewFilters;
  sort?: SavedViewSort;
}

/** Saved inbox views: personal, or shared by administrators with everyone. */
@Injectable()
export class SavedViewsService {
  constructor(
    private readonly repo: AutomationRepository,
    private readonly agents: AgentsService,
    private readonly fields: TicketFieldsService,
  ) {}

  list(actor: Actor): Promise<SavedView[]> {
    return this.repo.savedViews(actor.agentId, MAX_SAVED_VIEWS);
  }

  async get(actor: Actor, id: string): Promise<SavedView> {
    return visibleOr404(actor, await this.repo.findById(SavedView, id), 'SavedView', id);
  }

  async create(actor: Actor, data: SavedViewData & { shared?: boolean }): Promise<SavedView> {
    const ownerAgentId = ownerFor(actor, !!data.shared);
    if ((await this.list(actor)).filter((v) => v.ownerAgentId === ownerAgentId).length >= MAX_SAVED_VIEWS) {
      throw new ValidationError(`There can be at most ${MAX_SAVED_VIEWS} views; delete one first.`);
    }
    return this.repo.insert(SavedView, {
      ...(await this.validate(data)),
      ownerAgentId,
      position: await this.repo.nextPosition(SavedView, ownerAgentId),
    });
  }

  async update(actor: Actor, id: string, data: Partial<SavedViewData>): Promise<SavedView> {
    const view = await this.get(actor, id);
    assertMayManage(actor, view.ownerAgentId);
    return this.repo.update(SavedView, id, await this.validate({ ...view, ...data }));
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const view = await this.get(actor, id);
    assertMayManage(actor, view.ownerAgentId);
    await this.repo.delete(SavedView, id);
  }

  /** The view as a ticket filter for this actor (`me` is whoever looks at it). */
  filterOf(actor: Actor, view: SavedView): TicketSearchInput {
    const f = view.filters;
    const input: TicketSearchInput = {
      status: f.status,
      priority: f.priority,
      channel: f.channel,
      groupId: f.groupId,
      tags: f.tags,
      customFields: f.customFields as TicketSearchInput['customFields'],
    };
    if (f.assignee === 'me') input.assigneeId = actor.agentId ?? undefined;
    else if (f.assignee === 'none') input.unassigned = true;
    else if (f.assignee) input.assigneeId = f.assignee;
    return input;
  }

  private async validate(data: SavedViewData): Promise<Pick<SavedView, 'name' | 'filters' | 'sort'>> {
    const name = data.name.trim();
    if (!name || name.length > 80) throw new ValidationError('A view needs a name of 1 to 80 characters.');
    const sort = data.sort ?? 'updated';
    if (!SAVED_VIEW_SORTS.includes(sort)) throw new ValidationError(`Sort by one of ${SAVED_VIEW_SORTS.join(', ')}.`);
    return { name, sort, filters: await this.validFilters(data.filters ?? {}) };
  }

  private async validFilters(raw: SavedViewFilters): Promise<SavedViewFilters> {
    const out: SavedViewFilters = {};
    const list = <T extends string>(v: unknown, allowed: readonly T[], what: string): T[] | undefined => {
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || v.some((x) => !allowed.includes(x as T))) {
        throw new ValidationError(`Unknown ${what}; use ${allowed.join(', ')}.`);
      }
      return v.length ? [...new Set(v as T[])] : undefined;
    };
    out.status = list<TicketStatus>(raw.status, TICKET_STATUSES, 'status');
    out.priority = list<TicketPriority>(raw.priority, TICKET_PRIORITIES, 'priority');
    if (raw.channel !== undefined && raw.channel !== null && raw.channel !== '') {
      if (typeof raw.channel !== 'string' || !/^[a-z_]{1,40}$/.test(raw.channel)) {
        throw new ValidationError('The channel must be a channel name like email or widget.');
      }
      out.channel = raw.channel;
    }
    if (raw.groupId) {
      if (typeof raw.groupId !== 'string' || !UUID.test(raw.groupId)) throw new ValidationError('Pick a group.');
      out.groupId = (await this.agents.getGroup(raw.groupId)).id;
    }
    if (raw.assignee) {
      const a = raw.assignee;
      if (a !== 'me' && a !== 'none' && !(typeof a === 'string' && UUID.test(a))) {
        throw new ValidationError('The assignee must be me, none or an agent id.');
      }
      out.assignee = a;
    }
    if (raw.tags !== undefined && raw.tags !== null) {
      if (!Array.isArray(raw.tags) || raw.tags.some((t) => typeof t !== 'string') || raw.tags.length > 10) {
        throw new ValidationError('Give at most 10 tags.');
      }
      const tags = normalizeTags(raw.tags);
      if (tags.length) out.tags = tags;
    }
    if (raw.customFields !== undefined && raw.customFields !== null) {
      if (typeof raw.customFields !== 'object' || Array.isArray(raw.customFields)) {
        throw new ValidationError('Custom field filters are an object of field key to value.');
      }
      const given = Object.fromEntries(Object.entries(raw.customFields).filter(([, v]) => v !== null && v !== ''));
      const values = await this.fields.mergeValues({}, given);
      if (Object.keys(values).length) out.customFields = values;
    }
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
  }
}

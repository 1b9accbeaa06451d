import { Injectable } from '@nestjs/common';
import { ContactsService } from '../../contacts/contacts.service';
import { AgentsService } from '../../identity/agents.service';
import type { Ticket } from '../../tickets/entities';
import { initials } from '../core/render';

export interface TicketRow {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  channel: string;
  tags: string[];
  moreTags: number;
  requester: string;
  assignee: { name: string; initials: string } | null;
  group: string | null;
  updatedAt: Date;
  createdAt: Date;
  version: number;
}

/**
 * Ticket list rows with the names they show. Requesters, assignees and groups are loaded in one
 * batch per kind (three queries for any page size), never per row.
 */
@Injectable()
export class TicketRowsPresenter {
  constructor(
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
  ) {}

  async rows(tickets: Ticket[]): Promise<TicketRow[]> {
    if (!tickets.length) return [];
    const unique = (ids: Array<string | null>) => [...new Set(ids.filter((id): id is string => !!id))];
    const [contacts, agents, groups] = await Promise.all([
      this.contacts.getMany(unique(tickets.map((t) => t.requesterId))),
      this.agents.agentsByIds(unique(tickets.map((t) => t.assigneeId))),
      tickets.some((t) => t.groupId) ? this.agents.listGroups() : Promise.resolve([]),
    ]);
    const contactName = new Map(contacts.map((c) => [c.id, c.name]));
    const agentName = new Map(agents.map((a) => [a.id, a.name]));
    const groupName = new Map(groups.map((g) => [g.id, g.name]));
    return tickets.map((t) => {
      const assignee = t.assigneeId ? agentName.get(t.assigneeId) : undefined;
      return {
        id: t.id,
        number: t.number,
        subject: t.subject,
        status: t.status,
        priority: t.priority,
        channel: t.channel,
        tags: t.tags.slice(0, 3),
        moreTags: Math.max(0, t.tags.length - 3),
        requester: contactName.get(t.requesterId) || '—',
        assignee: assignee ? { name: assignee, initials: initials(assignee) } : null,
        group: t.groupId ? (groupName.get(t.groupId) ?? null) : null,
        updatedAt: t.updatedAt,
        createdAt: t.createdAt,
        version: t.version,
      };
    });
  }
}

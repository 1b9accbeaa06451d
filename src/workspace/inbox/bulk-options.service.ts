import { Injectable } from '@nestjs/common';
import { MacrosService } from '../../automation/macros.service';
import { AgentsService } from '../../identity/agents.service';
import type { PageContext } from '../core/page-context';
import { PICKABLE_STATUSES } from '../core/taxonomy';

export interface AgentOption {
  id: string;
  name: string;
  isMe: boolean;
}

/** The choices of the bulk-action bar and of assignee pickers: agents who can take tickets. */
@Injectable()
export class BulkOptionsService {
  constructor(
    private readonly agents: AgentsService,
    private readonly macros: MacrosService,
  ) {}

  async assignees(page: PageContext): Promise<AgentOption[]> {
    const all = await this.agents.list(page.actor);
    return all
      .filter((a) => a.isActive && a.role !== 'viewer')
      .map((a) => ({ id: a.id, name: a.name, isMe: a.id === page.agent.id }))
      .sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name));
  }

  async options(page: PageContext) {
    if (!page.canWrite) return null;
    const [agents, macros] = await Promise.all([this.assignees(page), this.macros.list(page.actor)]);
    return { agents, statuses: PICKABLE_STATUSES, macros: macros.map((m) => ({ id: m.id, name: m.name })) };
  }
}

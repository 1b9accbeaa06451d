import { Injectable } from '@nestjs/common';
import { assertCanRead, type Actor } from '../common/auth/actor';
import { DomainError, NotFoundError, ValidationError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-codes';
import { AgentsService } from '../identity/agents.service';
import { TicketsService } from '../tickets/tickets.service';
import { AutomationRepository } from './automation.repository';
import { CannedResponse } from './entities';
import { assertMayManage, ownerFor } from './ownership';
import type { RenderedTemplate } from './template';
import { TemplateContextService } from './template-context.service';

export interface CannedResponseData {
  shortcut: string;
  title: string;
  body: string;
  /** Shared responses only: limit to one group (null: everyone). */
  groupId?: string | null;
}

export const SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const MAX_CANNED_BODY = 20_000;

/** Canned responses: an agent's own, shared with everyone, or shared with one group. */
@Injectable()
export class CannedResponsesService {
  constructor(
    private readonly repo: AutomationRepository,
    private readonly tickets: TicketsService,
    private readonly agents: AgentsService,
    private readonly templates: TemplateContextService,
  ) {}

  /** What the actor may insert (admins also see every group's, to manage them), optionally filtered. */
  list(actor: Actor, search?: string | null, forManaging = false): Promise<CannedResponse[]> {
    assertCanRead(actor);
    const q = search?.trim().replace(/^[/#]/, '').slice(0, 60) || null;
    return this.repo.cannedFor(actor.agentId, actor.groupIds, forManaging && actor.role === 'admin', q);
  }

  async get(actor: Actor, id: string): Promise<CannedResponse> {
    assertCanRead(actor);
    const row = await this.repo.findById(CannedResponse, id);
    const visible =
      row &&
      (row.ownerAgentId
        ? row.ownerAgentId === actor.agentId
        : !row.groupId || actor.role === 'admin' || actor.groupIds.includes(row.groupId));
    if (!visible) throw new NotFoundError('CannedResponse', id);
    return row;
  }

  async create(actor: Actor, data: CannedResponseData & { shared?: boolean }): Promise<CannedResponse> {
    const ownerAgentId = ownerFor(actor, !!data.shared);
    const clean = await this.validate(data, ownerAgentId, null);
    return this.repo.insert(CannedResponse, { ...clean, ownerAgentId, groupId: ownerAgentId ? null : clean.groupId });
  }

  async update(actor: Actor, id: string, data: Partial<CannedResponseData>): Promise<CannedResponse> {
    const row = await this.get(actor, id);
    assertMayManage(actor, row.ownerAgentId);
    const clean = await this.validate({ ...row, ...data }, row.ownerAgentId, id);
    return this.repo.update(CannedResponse, id, { ...clean, groupId: row.ownerAgentId ? null : clean.groupId });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    const row = await this.get(actor, id);
    assertMayManage(actor, row.ownerAgentId);
    await this.repo.delete(CannedResponse, id);
  }

  /** The response's text with the ticket's variables filled (the ticket must be visible to the actor). */
  async render(actor: Actor, id: string, ticketId: string | null): Promise<RenderedTemplate & { row: CannedResponse }> {
    const row = await this.get(actor, id);
    const ticket = ticketId ? await this.tickets.get(actor, ticketId) : null;
    return { ...(await this.templates.render(actor, row.body, ticket)), row };
  }

  private async validate(
    data: CannedResponseData,
    ownerAgentId: string | null,
    exceptId: string | null,
  ): Promise<Required<CannedResponseData>> {
    const shortcut = data.shortcut.trim().replace(/^[/#]/, '').toLowerCase();
    const problems: string[] = [];
    if (!SHORTCUT_PATTERN.test(shortcut)) {
      problems.push('The shortcut must be 1 to 40 lowercase letters, digits, - or _, starting with a letter or digit.');
    }
    const title = data.title.trim();
    if (!title || title.length > 120) problems.push('The title must be 1 to 120 characters.');
    const body = data.body.replace(/\r\n/g, '\n');
    if (!body.trim() || body.length > MAX_CANNED_BODY) {
      problems.push(`The text must be 1 to ${MAX_CANNED_BODY} characters.`);
    }
    if (body.includes('\u0000') || title.includes('\u0000')) problems.push('The text cannot contain NUL characters.');
    if (problems.length) throw new ValidationError(problems.join(' '), { problems });
    if (data.groupId) await this.agents.getGroup(data.groupId);
    if (await this.repo.shortcutTaken(shortcut, ownerAgentId, exceptId)) {
      throw new DomainError(ErrorCode.ALREADY_EXISTS, `The shortcut ${shortcut} is already used.`);
    }
    return { shortcut, title, body, groupId: data.groupId ?? null };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { assertAdmin, assertWriteScope, type Actor } from '../common/auth/actor';
import { credentialEvents } from '../common/auth/credential-events';
import { generatePassword, hashPassword, newToken, sha256 } from '../common/auth/secrets';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-codes';
import { MailService } from '../common/mail/mail.service';
import { AGENT_PRESENCE_TOPIC } from '../common/auth/connections';
import { RealtimeBus } from '../common/pubsub/realtime-bus';
import { AuthService, type ClientInfo, type NewSession } from './auth.service';
import type { Agent, AgentGroup, AgentInvitation, AgentRole, AgentStatus, Locale, TicketAccess } from './entities';
import { IdentityRepository } from './identity.repository';

const INVITE_TTL_MS = 7 * 24 * 3600_000;

/**
 * What an agent may read, as an actor (read scope, acting through the system): for checks made on
 * their behalf, e.g. whether a mention, a notice or a transfer may reach them.
 */
export function readerActorOf(agent: Pick<Agent, 'id' | 'role' | 'ticketAccess'>, groupIds: string[]): Actor {
  return {
    kind: 'agent',
    agentId: agent.id,
    role: agent.role,
    ticketAccess: agent.ticketAccess,
    groupIds,
    via: 'system',
    scopes: ['read'],
  };
}

/** Agents, their groups, invitations, deactivation. */
@Injectable()
export class AgentsService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly auth: AuthService,
    private readonly mail: MailService,
    private readonly bus: RealtimeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** On an empty database: creates the first admin with a generated password, returned once. */
  async ensureFirstAdmin(): Promise<{ email: string; password: string } | null> {
    if ((await this.repo.countAgents()) > 0) return null;
    const password = generatePassword();
    try {
      await this.repo.saveAgent({
        email: this.config.adminEmail,
        name: 'Admin',
        role: 'admin',
        passwordHash: await hashPassword(password),
      });
    } catch {
      return null; // another process created it first
    }
    return { email: this.config.adminEmail, password };
  }

  async get(actor: Actor, id: string): Promise<Agent> {
    void actor;
    const agent = await this.repo.findAgent(id);
    if (!agent) throw new NotFoundError('Agent', id);
    return agent;
  }

  list(actor: Actor, includeInactive = false): Promise<Agent[]> {
    return this.repo.listAgents(includeInactive && actor.role === 'admin');
  }

  async me(actor: Actor): Promise<Agent> {
    if (!actor.agentId) throw new ForbiddenError('Only agents have a profile.');
    return this.get(actor, actor.agentId);
  }

  /** Admin creates an agent directly (seeding, tests, CLI); people normally arrive by invitation. */
  async create(
    actor: Actor,
    input: {
      email: string;
      name: string;
      role: AgentRole;
      password: string;
      ticketAccess?: TicketAccess;
      groupIds?: string[];
      locale?: Locale;
    },
  ): Promise<Agent> {
    assertAdmin(actor);
    if (await this.repo.findAgentByEmailWithHash(input.email)) {
      throw new DomainError(ErrorCode.ALREADY_EXISTS, `An agent with email ${input.email} already exists.`);
    }
    return this.repo.transaction(async (m) => {
      const agent = await this.repo.saveAgent(
        {
          email: input.email.trim(),
          name: input.name.trim(),
          role: input.role,
          ticketAccess: input.ticketAccess ?? 'all',
          locale: input.locale ?? 'en',
          passwordHash: await hashPassword(input.password),
        },
        m,
      );
      await this.repo.addAgentToGroups(agent.id, input.groupIds ?? [], m);
      return agent;
    });
  }

  async updateProfile(
    actor: Actor,
    input: { name?: string; locale?: Locale; timezone?: string; signature?: string },
  ): Promise<Agent> {
    assertWriteScope(actor);
    const me = await this.me(actor);
    if (input.timezone && !isValidTimeZone(input.timezone))
      throw new ValidationError(`Unknown time zone ${input.timezone}.`);
    await this.repo.updateAgent(me.id, stripUndefined(input));
    return this.get(actor, me.id);
  }

  async setStatus(actor: Actor, status: AgentStatus): Promise<Agent> {
    assertWriteScope(actor);
    const me = await this.me(actor);
    // choosing a status is a sign of life: it counts as presence until the grace period lapses
    await this.repo.updateAgent(me.id, { status, presenceAt: new Date(), connected: true });
    await this.bus.publish({ kind: AGENT_PRESENCE_TOPIC, id: me.id, topics: [AGENT_PRESENCE_TOPIC] });
    return this.get(actor, me.id);
  }

  async update(
    actor: Actor,
    input: { id: string; name?: string; role?: AgentRole; ticketAccess?: TicketAccess },
  ): Promise<Agent> {
    assertAdmin(actor);
    const agent = await this.get(actor, input.id);
    await this.repo.transaction(async (m) => {
      if (agent.role === 'admin' && input.role && input.role !== 'admin') await this.assertNotLastAdmin(agent.id, m);
      await this.repo.updateAgent(
        agent.id,
        stripUndefined({ name: input.name, role: input.role, ticketAccess: input.ticketAccess }),
        m,
      );
    });
    const rightsChanged =
      (input.role !== undefined && input.role !== agent.role) ||
      (input.ticketAccess !== undefined && input.ticketAccess !== agent.ticketAccess);
    if (rightsChanged) await this.auth.announce(credentialEvents.rightsChanged(agent.id));
    return this.get(actor, agent.id);
  }

  /** Deactivation takes effect at once: sessions and tokens are revoked, sockets are closed. */
  async deactivate(actor: Actor, id: string): Promise<Agent> {
    assertAdmin(actor);
    if (id === actor.agentId) throw new ForbiddenError('You cannot deactivate yourself.');
    const agent = await this.get(actor, id);
    await this.repo.transaction(async (m) => {
      if (agent.role === 'admin') await this.assertNotLastAdmin(id, m);
      await this.repo.updateAgent(id, { isActive: false, deactivatedAt: new Date(), status: 'offline' }, m);
      await this.repo.revokeAgentCredentials(id, m);
    });
    await this.auth.announce(credentialEvents.agentDeactivated(id));
    return this.get(actor, id);
  }

  async reactivate(actor: Actor, id: string): Promise<Agent> {
    assertAdmin(actor);
    await this.get(actor, id);
    await this.repo.updateAgent(id, { isActive: true, deactivatedAt: null });
    return this.get(actor, id);
  }

  /**
   * Under a lock held until the caller's transaction ends, so two admins demoting or deactivating
   * each other at the same moment cannot both pass the check and leave nobody in charge.
   */
  private async assertNotLastAdmin(id: string, m: EntityManager): Promise<void> {
    await this.repo.lockAdminChanges(m);
    const admins = await this.repo.countActiveAdmins(m);
    if (admins <= 1)
      throw new ConflictError('This is the last active administrator; promote another agent first.', { id });
  }

  // ---- invitations ----
  async invite(
    actor: Actor,
    input: { email: string; name?: string; role: AgentRole; groupIds?: string[] },
  ): Promise<{ invitation: AgentInvitation; token: string }> {
    assertAdmin(actor);
    if (await this.repo.findAgentByEmailWithHash(input.email)) {
      throw new DomainError(ErrorCode.ALREADY_EXISTS, `An agent with email ${input.email} already exists.`);
    }
    const token = newToken('inv_');
    const invitation = await this.repo.saveInvitation({
      email: input.email.trim(),
      name: input.name?.trim() ?? '',
      role: input.role,
      groupIds: input.groupIds ?? [],
      tokenHash: sha256(token),
      invitedById: actor.agentId,
      expiresAt: new Date(Date.now() + INVITE_TTL_MS),
    });
    const link = `${this.config.baseUrl}/app/invite/${token}`;
    await this.mail.send({
      to: invitation.email,
      purpose: 'invitation',
      subject: "You're invited to Sori / Sori에 초대되었습니다",
      text:
        `You have been invited to join the support team on Sori. Accept within 7 days:\n${link}\n\n` +
        `Sori 상담팀에 초대되었습니다. 7일 안에 수락하세요:\n${link}`,
    });
    return { invitation, token };
  }

  listInvitations(actor: Actor): Promise<AgentInvitation[]> {
    assertAdmin(actor);
    return this.repo.listInvitations();
  }

  async acceptInvitation(
    input: { token: string; name: string; password: string },
    client: ClientInfo,
  ): Promise<NewSession> {
    const agent = await this.repo.transaction(async (m) => {
      const inv = await this.repo.liveInvitationByHash(sha256(input.token), m);
      if (!inv) throw new DomainError(ErrorCode.INVALID_TOKEN, 'This invitation is invalid, used or expired.');
      if (await this.repo.findAgentByEmailWithHash(inv.email)) {
        throw new DomainError(ErrorCode.ALREADY_EXISTS, 'An agent with this email already exists; sign in instead.');
      }
      await m.query(`UPDATE agent_invitation SET accepted_at = now() WHERE id = $1`, [inv.id]);
      const created = await this.repo.saveAgent(
        { email: inv.email, name: input.name.trim(), role: inv.role, passwordHash: await hashPassword(input.password) },
        m,
      );
      await this.repo.addAgentToGroups(created.id, inv.groupIds, m);
      return created;
    });
    return this.auth.createSession(agent, client);
  }

  // ---- groups ----
  listGroups(): Promise<AgentGroup[]> {
    return this.repo.listGroups();
  }

  /** `manager`: read inside the caller's transaction instead of taking a second pool connection. */
  async getGroup(id: string, manager?: EntityManager): Promise<AgentGroup> {
    const g = await this.repo.findGroup(id, manager);
    if (!g) throw new NotFoundError('Group', id);
    return g;
  }

  /** Batch load for field resolvers (e.g. the group of each ticket in a list). */
  groupsByIds(ids: readonly string[]): Promise<AgentGroup[]> {
    return this.repo.findGroups(ids);
  }

  async createGroup(actor: Actor, input: { name: string; description?: string }): Promise<AgentGroup> {
    assertAdmin(actor);
    if (await this.repo.findGroupByName(input.name.trim())) {
      throw new DomainError(ErrorCode.ALREADY_EXISTS, `A group named ${input.name} already exists.`);
    }
    return this.repo.saveGroup({ name: input.name.trim(), description: input.description ?? '' });
  }

  async updateGroup(actor: Actor, input: { id: string; name?: string; description?: string }): Promise<AgentGroup> {
    assertAdmin(actor);
    const g = await this.getGroup(input.id);
    if (input.name) {
      const other = await this.repo.findGroupByName(input.name.trim());
      if (other && other.id !== g.id)
        throw new DomainError(ErrorCode.ALREADY_EXISTS, `A group named ${input.name} already exists.`);
    }
    return this.repo.saveGroup({
      ...g,
      ...stripUndefined({ name: input.name?.trim(), description: input.description }),
    });
  }

  async deleteGroup(actor: Actor, id: string): Promise<void> {
    assertAdmin(actor);
    await this.getGroup(id);
    const members = await this.repo.membersOfGroup(id);
    await this.repo.deleteGroup(id);
    for (const m of members) await this.auth.announce(credentialEvents.rightsChanged(m.id));
  }

  async setMembership(actor: Actor, groupId: string, agentId: string, member: boolean): Promise<AgentGroup> {
    assertAdmin(actor);
    const g = await this.getGroup(groupId);
    await this.get(actor, agentId);
    if (member) await this.repo.addMembers(groupId, [agentId]);
    else await this.repo.removeMember(groupId, agentId);
    await this.auth.announce(credentialEvents.rightsChanged(agentId));
    return g;
  }

  membersOfGroup(groupId: string): Promise<Agent[]> {
    return this.repo.membersOfGroup(groupId);
  }

  async groupsByAgent(agentIds: string[], manager?: EntityManager): Promise<Map<string, AgentGroup[]>> {
    const rows = await this.repo.groupsOfAgents(agentIds, manager);
    const map = new Map<string, AgentGroup[]>(agentIds.map((id) => [id, []]));
    for (const r of rows) map.get(r.agentId)?.push(r.group);
    return map;
  }

  /** How permission rules see an agent who is not the caller (a follower, a transfer target): read-only. */
  async readerActor(agent: Agent, manager?: EntityManager): Promise<Actor> {
    return readerActorOf(
      agent,
      ((await this.groupsByAgent([agent.id], manager)).get(agent.id) ?? []).map((g) => g.id),
    );
  }

  async agentsByIds(ids: string[], manager?: EntityManager): Promise<Agent[]> {
    return this.repo.findAgents(ids, manager);
  }

  /** For channels: the active agent with this email (an agent forwarding or answering by mail), if any. */
  async activeAgentByEmail(email: string): Promise<Agent | null> {
    const agent = await this.repo.findAgentByEmailWithHash(email);
    return agent?.isActive ? Object.assign(agent, { passwordHash: null }) : null;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import {
  Agent,
  AgentGroup,
  AgentInvitation,
  AgentSession,
  ApiToken,
  GroupMembership,
  PasswordReset,
  type AgentRole,
  type TicketAccess,
  type TokenScope,
} from './entities';

interface ActorSqlRow {
  agent_id: string;
  role: AgentRole;
  ticket_access: TicketAccess;
  group_ids: string[];
}

const ACTOR_COLUMNS = `a.id AS agent_id, a.role, a.ticket_access,
  ARRAY(SELECT gm.group_id FROM group_membership gm WHERE gm.agent_id = a.id) AS group_ids`;

function toActorRow(r: ActorSqlRow): ActorRow {
  return { agentId: r.agent_id, role: r.role, ticketAccess: r.ticket_access, groupIds: r.group_ids };
}

export interface ActorRow {
  agentId: string;
  role: AgentRole;
  ticketAccess: TicketAccess;
  groupIds: string[];
}

/** Every query of the identity context. */
@Injectable()
export class IdentityRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  countAgents(): Promise<number> {
    return this.ds.getRepository(Agent).count();
  }

  findAgent(id: string): Promise<Agent | null> {
    return this.ds.getRepository(Agent).findOneBy({ id });
  }

  findAgents(ids: string[], manager?: EntityManager): Promise<Agent[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.m(manager).getRepository(Agent).createQueryBuilder('a').where('a.id = ANY(:ids)', { ids }).getMany();
  }

  findAgentByEmailWithHash(email: string): Promise<Agent | null> {
    return this.ds
      .getRepository(Agent)
      .createQueryBuilder('a')
      .addSelect('a.passwordHash')
      .where('lower(a.email) = lower(:email)', { email })
      .getOne();
  }

  findAgentWithHash(id: string): Promise<Agent | null> {
    return this.ds
      .getRepository(Agent)
      .createQueryBuilder('a')
      .addSelect('a.passwordHash')
      .where('a.id = :id', { id })
      .getOne();
  }

  listAgents(includeInactive: boolean): Promise<Agent[]> {
    const q = this.ds.getRepository(Agent).createQueryBuilder('a').orderBy('lower(a.name)', 'ASC');
    if (!includeInactive) q.where('a.isActive');
    return q.getMany();
  }

  countActiveAdmins(manager?: EntityManager): Promise<number> {
    return this.m(manager).getRepository(Agent).countBy({ role: 'admin', isActive: true });
  }

  /** Serialises changes that can remove an administrator, until the transaction ends. */
  async lockAdminChanges(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('sori.identity.admins'))`);
  }

  saveAgent(agent: Partial<Agent>, manager?: EntityManager): Promise<Agent> {
    return this.m(manager)
      .getRepository(Agent)
      .save(agent as Agent);
  }

  async updateAgent(id: string, patch: Partial<Agent>, manager?: EntityManager): Promise<void> {
    await this.m(manager).getRepository(Agent).update({ id }, patch);
  }

  /**
   * Failed login: bump the counter and lock when it reaches `max`, atomically. A lock that has
   * run out starts the count afresh, so one typo after a lockout does not lock again at once.
   */
  async recordFailedLogin(id: string, max: number, lockMinutes: number): Promise<{ lockedUntil: Date | null }> {
    // Wrapped in a SELECT: TypeORM returns `[rows, count]` instead of rows for a bare UPDATE.
    const rows: Array<{ locked_until: Date | null }> = await this.ds.query(
      `WITH u AS (
         UPDATE agent SET
           failed_login_count = CASE WHEN locked_until <= now() THEN 1 ELSE failed_login_count + 1 END,
           locked_until = CASE
             WHEN (CASE WHEN locked_until <= now() THEN 1 ELSE failed_login_count + 1 END) >= $2
               THEN now() + make_interval(mins => $3)
             WHEN locked_until <= now() THEN NULL
             ELSE locked_until END
          WHERE id = $1 RETURNING locked_until)
       SELECT locked_until FROM u`,
      [id, max, lockMinutes],
    );
    const lockedUntil = rows[0]?.locked_until ?? null;
    return { lockedUntil: lockedUntil && lockedUntil > new Date() ? lockedUntil : null };
  }

  /** Loads what an Actor needs about an active agent, or null when deactivated/missing. */
  /**
   * A live session and what its agent may do, in one round trip (this runs on every request).
   * Null for unknown, expired or revoked sessions and for deactivated agents.
   */
  async liveSessionWithActor(id: string): Promise<{ session: AgentSession; actor: ActorRow } | null> {
    const rows: Array<ActorSqlRow & { csrf_token: string; last_seen_at: Date; expires_at: Date; created_at: Date }> =
      await this.ds.query(
        `SELECT s.csrf_token, s.last_seen_at, s.expires_at, s.created_at, ${ACTOR_COLUMNS}
           FROM agent_session s JOIN agent a ON a.id = s.agent_id AND a.is_active
          WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [id],
      );
    const r = rows[0];
    if (!r) return null;
    const session = Object.assign(new AgentSession(), {
      id,
      agentId: r.agent_id,
      csrfToken: r.csrf_token,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
      revokedAt: null,
    });
    return { session, actor: toActorRow(r) };
  }

  /** A live API token and what its agent may do, in one round trip. */
  async liveApiTokenWithActor(tokenHash: string): Promise<{
    tokenId: string;
    scopes: TokenScope[];
    lastUsedAt: Date | null;
    expiresAt: Date | null;
    actor: ActorRow;
  } | null> {
    const rows: Array<
      ActorSqlRow & { token_id: string; scopes: TokenScope[]; last_used_at: Date | null; expires_at: Date | null }
    > = await this.ds.query(
      `SELECT t.id AS token_id, t.scopes, t.last_used_at, t.expires_at, ${ACTOR_COLUMNS}
           FROM api_token t JOIN agent a ON a.id = t.agent_id AND a.is_active
          WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
      [tokenHash],
    );
    const r = rows[0];
    return r
      ? {
          tokenId: r.token_id,
          scopes: r.scopes,
          lastUsedAt: r.last_used_at,
          expiresAt: r.expires_at,
          actor: toActorRow(r),
        }
      : null;
  }

  // ---- sessions ----
  saveSession(s: Partial<AgentSession>): Promise<AgentSession> {
    return this.ds.getRepository(AgentSession).save(s as AgentSession);
  }

  async touchSession(id: string): Promise<void> {
    await this.ds.query(`UPDATE agent_session SET last_seen_at = now() WHERE id = $1`, [id]);
  }

  async revokeSession(id: string): Promise<void> {
    await this.ds.query(`UPDATE agent_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
  }

  /** Revokes every live session of the agent but `keepId`; returns the revoked session ids. */
  async revokeOtherSessions(agentId: string, keepId: string | null): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.ds.query(
      `WITH u AS (UPDATE agent_session SET revoked_at = now()
                  WHERE agent_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $2 RETURNING id)
       SELECT id FROM u`,
      [agentId, keepId],
    );
    return rows.map((r) => r.id);
  }

  async revokeAgentCredentials(agentId: string, manager?: EntityManager): Promise<void> {
    const m = this.m(manager);
    await m.query(`UPDATE agent_session SET revoked_at = now() WHERE agent_id = $1 AND revoked_at IS NULL`, [agentId]);
    await m.query(`UPDATE api_token SET revoked_at = now() WHERE agent_id = $1 AND revoked_at IS NULL`, [agentId]);
  }

  // ---- API tokens ----
  saveApiToken(t: Partial<ApiToken>): Promise<ApiToken> {
    return this.ds.getRepository(ApiToken).save(t as ApiToken);
  }

  async touchApiToken(id: string): Promise<void> {
    await this.ds.query(
      `UPDATE api_token SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  listApiTokens(agentId: string): Promise<ApiToken[]> {
    return this.ds.getRepository(ApiToken).find({ where: { agentId }, order: { createdAt: 'DESC' } });
  }

  findApiToken(id: string): Promise<ApiToken | null> {
    return this.ds.getRepository(ApiToken).findOneBy({ id });
  }

  async revokeApiToken(id: string): Promise<void> {
    await this.ds.getRepository(ApiToken).update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  // ---- invitations and resets ----
  saveInvitation(i: Partial<AgentInvitation>): Promise<AgentInvitation> {
    return this.ds.getRepository(AgentInvitation).save(i as AgentInvitation);
  }

  liveInvitationByHash(tokenHash: string, manager?: EntityManager): Promise<AgentInvitation | null> {
    return this.m(manager)
      .getRepository(AgentInvitation)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.tokenHash = :tokenHash AND i.acceptedAt IS NULL AND i.revokedAt IS NULL AND i.expiresAt > now()', {
        tokenHash,
      })
      .getOne();
  }

  listInvitations(): Promise<AgentInvitation[]> {
    return this.ds.getRepository(AgentInvitation).find({ order: { createdAt: 'DESC' }, take: 200 });
  }

  savePasswordReset(r: Partial<PasswordReset>): Promise<PasswordReset> {
    return this.ds.getRepository(PasswordReset).save(r as PasswordReset);
  }

  liveResetByHash(tokenHash: string, manager: EntityManager): Promise<PasswordReset | null> {
    return manager
      .getRepository(PasswordReset)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.tokenHash = :tokenHash AND r.usedAt IS NULL AND r.expiresAt > now()', { tokenHash })
      .getOne();
  }

  // ---- groups ----
  listGroups(): Promise<AgentGroup[]> {
    return this.ds.getRepository(AgentGroup).find({ order: { name: 'ASC' } });
  }

  findGroup(id: string, manager?: EntityManager): Promise<AgentGroup | null> {
    return this.m(manager).getRepository(AgentGroup).findOneBy({ id });
  }

  findGroups(ids: readonly string[]): Promise<AgentGroup[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(AgentGroup).createQueryBuilder('g').where('g.id = ANY(:ids)', { ids }).getMany();
  }

  findGroupByName(name: string): Promise<AgentGroup | null> {
    return this.ds
      .getRepository(AgentGroup)
      .createQueryBuilder('g')
      .where('lower(g.name) = lower(:name)', { name })
      .getOne();
  }

  saveGroup(g: Partial<AgentGroup>): Promise<AgentGroup> {
    return this.ds.getRepository(AgentGroup).save(g as AgentGroup);
  }

  async deleteGroup(id: string): Promise<void> {
    await this.ds.getRepository(AgentGroup).delete({ id });
  }

  groupsOfAgents(agentIds: string[], manager?: EntityManager): Promise<Array<{ agentId: string; group: AgentGroup }>> {
    return this.m(manager)
      .query(
        `SELECT gm.agent_id, g.* FROM group_membership gm JOIN agent_group g ON g.id = gm.group_id
          WHERE gm.agent_id = ANY($1) ORDER BY g.name`,
        [agentIds],
      )
      .then((rows: Array<{ agent_id: string; id: string; name: string; description: string; created_at: Date }>) =>
        rows.map((r) => ({
          agentId: r.agent_id,
          group: Object.assign(new AgentGroup(), {
            id: r.id,
            name: r.name,
            description: r.description,
            createdAt: r.created_at,
          }),
        })),
      );
  }

  membersOfGroup(groupId: string): Promise<Agent[]> {
    return this.ds
      .getRepository(Agent)
      .createQueryBuilder('a')
      .innerJoin(GroupMembership, 'gm', 'gm.agent_id = a.id')
      .where('gm.group_id = :groupId', { groupId })
      .orderBy('a.name')
      .getMany();
  }

  async addMembers(groupId: string, agentIds: string[], manager?: EntityManager): Promise<void> {
    if (!agentIds.length) return;
    await this.m(manager).query(
      `INSERT INTO group_membership (group_id, agent_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [groupId, agentIds],
    );
  }

  async addAgentToGroups(agentId: string, groupIds: string[], manager?: EntityManager): Promise<void> {
    if (!groupIds.length) return;
    await this.m(manager).query(
      `INSERT INTO group_membership (group_id, agent_id)
       SELECT g.id, $1 FROM agent_group g WHERE g.id = ANY($2::uuid[]) ON CONFLICT DO NOTHING`,
      [agentId, groupIds],
    );
  }

  async removeMember(groupId: string, agentId: string): Promise<void> {
    await this.ds.getRepository(GroupMembership).delete({ groupId, agentId });
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AgentStatus } from '../identity/entities';

export interface AgentLoadRow {
  agentId: string;
  status: AgentStatus;
  present: boolean;
  chats: number;
  offers: number;
  tickets: number;
  capacity: number;
  ownCapacity: number | null;
}

/** Statuses of tickets that still count as work on an agent's desk. */
const OPEN_TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold'];

/**
 * Who is present and how loaded they are. Load reads the live chat tables (participants and
 * offers) and tickets by SQL only: routing decides, it never writes them.
 */
@Injectable()
export class RoutingRepository {
  constructor(private readonly ds: DataSource) {}

  /** Marks agents present now; returns the ones that were not present before. */
  async touch(agentIds: string[]): Promise<string[]> {
    if (!agentIds.length) return [];
    const [rows] = await this.ds.query<[Array<{ id: string; was: boolean }>, number]>(
      `WITH before AS (SELECT id, connected FROM agent WHERE id = ANY($1::uuid[]) FOR UPDATE)
       UPDATE agent a SET presence_at = now(), connected = true FROM before
        WHERE a.id = before.id RETURNING a.id, before.connected AS "was"`,
      [agentIds],
    );
    return rows.filter((r) => !r.was).map((r) => r.id);
  }

  /** Agents whose last sign of presence is older than the grace period: marked gone, returned. */
  async lapse(graceSeconds: number): Promise<string[]> {
    const [rows] = await this.ds.query<[Array<{ id: string }>, number]>(
      `UPDATE agent SET connected = false
        WHERE connected AND (presence_at IS NULL OR presence_at < now() - make_interval(secs => $1))
        RETURNING id`,
      [graceSeconds],
    );
    return rows.map((r) => r.id);
  }

  /** Active non-viewer agents with the given status whose presence is fresh, optionally in a group. */
  async countPresent(statuses: AgentStatus[], groupId: string | null, graceSeconds: number): Promise<number> {
    const rows = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM agent a
        WHERE a.status = ANY($1::text[]) AND a.is_active AND a.role <> 'viewer'
          AND a.presence_at > now() - make_interval(secs => $3)
          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM group_membership g WHERE g.agent_id = a.id AND g.group_id = $2))`,
      [statuses, groupId, graceSeconds],
    );
    return rows[0].n;
  }

  /** Load and capacity of agents (all active ones when `agentIds` is null). */
  loads(agentIds: string[] | null, graceSeconds: number): Promise<AgentLoadRow[]> {
    return this.ds.query(
      `SELECT a.id AS "agentId", a.status, (a.presence_at > now() - make_interval(secs => $2)) AS present,
              ${LOAD_COLUMNS},
              coalesce(a.chat_capacity, s.default_chat_capacity) AS capacity, a.chat_capacity AS "ownCapacity"
         FROM agent a CROSS JOIN routing_setting s
        WHERE a.is_active AND a.role <> 'viewer' AND ($1::uuid[] IS NULL OR a.id = ANY($1::uuid[]))
        ORDER BY lower(a.name)`,
      [agentIds, graceSeconds, OPEN_TICKET_STATUSES],
    );
  }

  /**
   * The present agent (with one of `statuses`) below capacity with the lightest chat load, in
   * `groupId` when given, otherwise one who sees every ticket; null when nobody fits. Run inside
   * the dispatch transaction, which holds the routing lock.
   */
  async pickAgent(
    m: EntityManager,
    q: { statuses: AgentStatus[]; groupId: string | null; exclude: string[]; graceSeconds: number },
  ): Promise<string | null> {
    const rows = await m.query<Array<{ agentId: string }>>(
      `SELECT x."agentId" FROM (
         SELECT a.id AS "agentId", a.name, ${LOAD_COLUMNS},
                coalesce(a.chat_capacity, s.default_chat_capacity) AS capacity,
                (SELECT max(o.created_at) FROM chat_offer o WHERE o.agent_id = a.id) AS "lastOfferAt"
           FROM agent a CROSS JOIN routing_setting s
          WHERE a.is_active AND a.role <> 'viewer' AND a.status = ANY($1::text[])
            AND a.presence_at > now() - make_interval(secs => $2)
            AND NOT (a.id = ANY($4::uuid[]))
            AND CASE WHEN $5::uuid IS NULL THEN a.role = 'admin' OR a.ticket_access = 'all'
                     ELSE EXISTS (SELECT 1 FROM group_membership g WHERE g.agent_id = a.id AND g.group_id = $5) END
       ) x
       WHERE x.chats + x.offers < x.capacity
       ORDER BY x.chats + x.offers, x."lastOfferAt" NULLS FIRST, lower(x.name)
       LIMIT 1`,
      [q.statuses, q.graceSeconds, OPEN_TICKET_STATUSES, q.exclude, q.groupId],
    );
    return rows[0]?.agentId ?? null;
  }

  async defaultCapacity(): Promise<number> {
    const rows = await this.ds.query<Array<{ n: number }>>(`SELECT default_chat_capacity AS n FROM routing_setting`);
    return rows[0]?.n ?? 3;
  }

  async setDefaultCapacity(n: number): Promise<void> {
    await this.ds.query(`UPDATE routing_setting SET default_chat_capacity = $1, updated_at = now()`, [n]);
  }

  async setAgentCapacity(agentId: string, n: number | null): Promise<void> {
    await this.ds.query(`UPDATE agent SET chat_capacity = $2 WHERE id = $1`, [agentId, n]);
  }

  /** Takes the workspace-wide routing lock for the rest of the transaction. */
  async lock(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('sori:chat-routing'))`);
  }

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}

/** Chats in progress, pending offers and unsolved assigned tickets of agent `a` ($3 = open ticket statuses). */
const LOAD_COLUMNS = `
  (SELECT count(*)::int FROM chat_participant p JOIN conversation c ON c.id = p.conversation_id
    WHERE p.agent_id = a.id AND p.left_at IS NULL AND c.state = 'active') AS chats,
  (SELECT count(*)::int FROM chat_offer o WHERE o.agent_id = a.id AND o.state = 'pending') AS offers,
  (SELECT count(*)::int FROM ticket t WHERE t.assignee_id = a.id AND t.status = ANY($3::text[])) AS tickets`;

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../common/auth/actor';
import { generatePassword } from '../common/auth/secrets';
import { logger } from '../common/logging/logger';
import { AgentsService } from '../identity/agents.service';
import type { AgentRole, Locale } from '../identity/entities';
import type { TicketPriority, TicketStatus } from '../tickets/entities';
import { TicketsService } from '../tickets/tickets.service';
import { demoTickets } from './demo-data';

export interface DemoSeedResult {
  seeded: boolean;
  agents: Array<{ email: string; role: AgentRole }>;
  password?: string;
}

const DEMO_AGENTS: Array<{ email: string; name: string; role: AgentRole; locale: Locale; groups: string[] }> = [
  { email: 'minjun@demo.sori.dev', name: '김민준', role: 'agent', locale: 'ko', groups: ['Support', 'Billing'] },
  { email: 'sarah@demo.sori.dev', name: 'Sarah Lee', role: 'agent', locale: 'en', groups: ['Support'] },
  { email: 'jiwoo@demo.sori.dev', name: '박지우', role: 'agent', locale: 'ko', groups: ['Billing'] },
  { email: 'alex@demo.sori.dev', name: 'Alex Morgan', role: 'viewer', locale: 'en', groups: [] },
];

/**
 * Loads a demo workspace: agents, groups, customers and tickets in English and Korean.
 * Runs once: a database that already has tickets is left alone.
 */
export async function seedDemo(app: INestApplication): Promise<DemoSeedResult> {
  const ds = app.get(DataSource);
  const [{ count }] = await ds.query<Array<{ count: number }>>('SELECT count(*)::int AS count FROM ticket');
  if (count > 0) return { seeded: false, agents: [] };
  const agents = app.get(AgentsService);
  const tickets = app.get(TicketsService);
  const password = generatePassword();

  const groups = new Map<string, string>();
  for (const [name, description] of [
    ['Support', 'Product questions and troubleshooting'],
    ['Billing', 'Payments, refunds and invoices'],
  ]) {
    groups.set(name, (await agents.createGroup(SYSTEM_ACTOR, { name, description })).id);
  }
  const agentIds = new Map<string, string>();
  for (const a of DEMO_AGENTS) {
    const created = await agents.create(SYSTEM_ACTOR, {
      ...a,
      password,
      groupIds: a.groups.map((g) => groups.get(g) as string),
    });
    agentIds.set(a.email, created.id);
  }

  for (const d of demoTickets) {
    const { ticket } = await tickets.create(SYSTEM_ACTOR, {
      subject: d.subject,
      requester: { email: d.email, name: d.name },
      priority: d.priority as TicketPriority,
      channel: d.channel,
      tags: d.tags,
      groupId: groups.get(d.group) ?? null,
      assigneeId: d.assignee ? (agentIds.get(d.assignee) ?? null) : null,
    });
    if (d.status !== 'new' && d.status !== ticket.status) {
      await tickets.update(SYSTEM_ACTOR, ticket.id, { status: d.status as TicketStatus });
    }
  }
  logger('demo').info({ agents: DEMO_AGENTS.length, tickets: demoTickets.length }, 'demo workspace loaded');
  return { seeded: true, agents: DEMO_AGENTS.map((a) => ({ email: a.email, role: a.role })), password };
}

import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../common/auth/actor';
import { generatePassword } from '../common/auth/secrets';
import { logger } from '../common/logging/logger';
import { OrganizationsService } from '../contacts/organizations.service';
import { AgentsService } from '../identity/agents.service';
import type { AgentRole, Locale } from '../identity/entities';
import type { TicketPriority, TicketStatus } from '../tickets/entities';
import { TicketsService } from '../tickets/tickets.service';
import type { ChannelKind } from '../conversations/entities';
import { MessagesService } from '../conversations/messages.service';
import { NotesService } from '../conversations/notes.service';
import { TicketRepliesService } from '../conversations/ticket-replies.service';
import { demoTickets, type DemoTicket } from './demo-data';

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
  const replies = app.get(TicketRepliesService);
  const password = generatePassword();

  const groups = new Map<string, string>();
  for (const [name, description] of [
    ['Support', 'Product questions and troubleshooting'],
    ['Billing', 'Payments, refunds and invoices'],
  ]) {
    groups.set(name, (await agents.createGroup(SYSTEM_ACTOR, { name, description })).id);
  }
  const orgs = app.get(OrganizationsService);
  await orgs.create(SYSTEM_ACTOR, { name: 'Northwind Traders', domains: ['northwind.example'] });
  await orgs.create(SYSTEM_ACTOR, { name: 'Contoso', domains: ['contoso.example'] });
  await orgs.create(SYSTEM_ACTOR, { name: '한빛상사', domains: ['example.co.kr'] });
  const agentIds = new Map<string, string>();
  const actors = new Map<string, Actor>();
  for (const a of DEMO_AGENTS) {
    const created = await agents.create(SYSTEM_ACTOR, {
      ...a,
      password,
      groupIds: a.groups.map((g) => groups.get(g) as string),
    });
    agentIds.set(a.email, created.id);
    const groupIds = a.groups.map((g) => groups.get(g) as string);
    actors.set(a.email, {
      kind: 'agent',
      agentId: created.id,
      role: a.role,
      ticketAccess: 'all',
      groupIds,
      via: 'system',
      scopes: ['read', 'write'],
    });
  }

  for (const d of demoTickets) {
    const { change } = await replies.openTicket(SYSTEM_ACTOR, {
      subject: d.subject,
      requester: { email: d.email, name: d.name },
      body: d.body,
      bodyFormat: 'TEXT',
      author: 'requester',
      priority: d.priority as TicketPriority,
      channel: d.channel as ChannelKind,
      tags: d.tags,
      groupId: groups.get(d.group),
      assigneeId: d.assignee ? agentIds.get(d.assignee) : undefined,
    });
    const assignee = d.assignee ? actors.get(d.assignee) : undefined;
    if (assignee) await converse(app, change.ticket.id, assignee, d);
    const current = await tickets.get(SYSTEM_ACTOR, change.ticket.id);
    if (d.status !== 'new' && d.status !== current.status) {
      await tickets.update(SYSTEM_ACTOR, current.id, { status: d.status as TicketStatus });
    }
  }
  logger('demo').info({ agents: DEMO_AGENTS.length, tickets: demoTickets.length }, 'demo workspace loaded');
  return { seeded: true, agents: DEMO_AGENTS.map((a) => ({ email: a.email, role: a.role })), password };
}

/** The assignee's reply, the customer's answer and a note, where the demo ticket has them. */
async function converse(app: INestApplication, ticketId: string, assignee: Actor, d: DemoTicket): Promise<void> {
  if (d.reply) {
    const { written } = await app
      .get(TicketRepliesService)
      .reply(assignee, { ticketId, body: d.reply, bodyFormat: 'TEXT' });
    if (d.followUp) {
      await app.get(MessagesService).receiveMessage(SYSTEM_ACTOR, {
        conversationId: written.conversation.id,
        text: d.followUp,
      });
    }
  }
  if (d.note) await app.get(NotesService).addNote(assignee, { ticketId, body: d.note, bodyFormat: 'TEXT' });
}

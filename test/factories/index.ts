import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { SYSTEM_ACTOR, type Actor } from '../../src/common/auth/actor';
import { AgentsService } from '../../src/identity/agents.service';
import { AuthService } from '../../src/identity/auth.service';
import type { Agent, AgentRole, TicketAccess } from '../../src/identity/entities';
import { TicketsService, type CreateTicketData } from '../../src/tickets/tickets.service';
import { MessagesService } from '../../src/conversations/messages.service';
import { TicketRepliesService, type OpenTicketData } from '../../src/conversations/ticket-replies.service';
import type { Ticket } from '../../src/tickets/entities';

const uid = () => randomBytes(4).toString('hex');

export interface AgentWithCredentials {
  agent: Agent;
  password: string;
  /** A read+write API token of this agent. */
  token: string;
  actor: Actor;
}

/** Test data through the real services, so every factory-made row obeys the same rules. */
export function factories(app: INestApplication) {
  const agents = app.get(AgentsService);
  const auth = app.get(AuthService);
  const tickets = app.get(TicketsService);

  const agent = async (
    opts: { role?: AgentRole; ticketAccess?: TicketAccess; groupIds?: string[]; name?: string } = {},
  ): Promise<AgentWithCredentials> => {
    const password = `pw-${uid()}-${uid()}`;
    const created = await agents.create(SYSTEM_ACTOR, {
      email: `agent-${uid()}@example.test`,
      name: opts.name ?? `Agent ${uid()}`,
      role: opts.role ?? 'agent',
      ticketAccess: opts.ticketAccess,
      groupIds: opts.groupIds,
      password,
    });
    const actor = (await auth.actorFromSession((await auth.createSession(created, {})).token))!.actor;
    const { token } = await auth.createApiToken(actor, {
      name: 'test',
      scopes: created.role === 'viewer' ? ['read'] : ['read', 'write'],
    });
    return { agent: created, password, token, actor };
  };

  const group = async (name = `Group ${uid()}`) => agents.createGroup(SYSTEM_ACTOR, { name });

  const ticket = async (data: Partial<CreateTicketData> = {}): Promise<Ticket> =>
    (
      await tickets.create(SYSTEM_ACTOR, {
        subject: data.subject ?? `Problem ${uid()}`,
        requester: data.requester ?? { email: `customer-${uid()}@example.test`, name: 'Customer' },
        ...data,
      })
    ).ticket;

  /** A ticket opened by a customer's first message (ticket, conversation and message, like a channel). */
  const conversationTicket = async (
    data: Partial<Omit<OpenTicketData, 'requester'>> & { requester?: OpenTicketData['requester'] } = {},
  ) => {
    const { change, written } = await app.get(TicketRepliesService).openTicket(SYSTEM_ACTOR, {
      subject: data.subject ?? `Question ${uid()}`,
      requester: data.requester ?? { email: `customer-${uid()}@example.test`, name: 'Customer' },
      body: data.body ?? 'Hello, I need help.',
      bodyFormat: data.bodyFormat ?? 'TEXT',
      author: data.author ?? 'requester',
      channel: data.channel ?? 'email',
      ...data,
    });
    return { ticket: change.ticket, conversation: written.conversation, message: written.message };
  };

  /** A message from the customer on a conversation, as a channel adapter would store it. */
  const customerMessage = (conversationId: string, text: string, html?: string) =>
    app.get(MessagesService).receiveMessage(SYSTEM_ACTOR, { conversationId, text, html });

  return { agent, group, ticket, conversationTicket, customerMessage };
}

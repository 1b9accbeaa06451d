import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { ContactsService } from '../contacts/contacts.service';
import { AgentsService } from '../identity/agents.service';
import type { Ticket } from '../tickets/entities';
import { renderTemplate, templateValues, type RenderedTemplate } from './template';

/** Fills template variables from a ticket, its requester and the acting agent. */
@Injectable()
export class TemplateContextService {
  constructor(
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
  ) {}

  async render(actor: Actor, template: string, ticket: Ticket | null): Promise<RenderedTemplate> {
    const [contact, identities, agent] = await Promise.all([
      ticket ? this.contacts.getMany([ticket.requesterId]).then((c) => c[0] ?? null) : null,
      ticket ? this.contacts.identitiesOf([ticket.requesterId]) : [],
      actor.agentId ? this.agents.agentsByIds([actor.agentId]).then((a) => a[0] ?? null) : null,
    ]);
    const email = identities.find((i) => i.kind === 'email')?.value ?? null;
    const values = templateValues({
      contact: contact ? { name: contact.name, email } : null,
      agent: agent ? { name: agent.name, email: agent.email } : null,
      ticket: ticket
        ? { number: ticket.number, subject: ticket.subject, status: ticket.status, priority: ticket.priority }
        : null,
    });
    return renderTemplate(template, values, 'text');
  }
}

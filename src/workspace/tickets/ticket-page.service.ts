import { Injectable } from '@nestjs/common';
import { VisitorsService } from '../../channels/widget/visitors.service';
import { ContactsService } from '../../contacts/contacts.service';
import { OrganizationsService } from '../../contacts/organizations.service';
import { ConversationsService } from '../../conversations/conversations.service';
import { AuthorKindEnum, MessageDto } from '../../conversations/dto/conversation.dto';
import type { TwoWayPageArgs } from '../../conversations/dto/page-args';
import { TimelineService } from '../../conversations/timeline.service';
import { AgentsService } from '../../identity/agents.service';
import { toAuditEventDto } from '../../tickets/dto/mappers';
import { TICKET_TYPES, type Ticket } from '../../tickets/entities';
import { TRANSITIONS } from '../../tickets/status';
import { TicketFieldsService } from '../../tickets/ticket-fields.service';
import { TicketFollowersService } from '../../tickets/ticket-followers.service';
import { TicketMergeService } from '../../tickets/ticket-merge.service';
import { TicketSearchService } from '../../tickets/ticket-search.service';
import { TicketsService } from '../../tickets/tickets.service';
import type { PageContext } from '../core/page-context';
import { initials } from '../core/render';
import { channelIcon, PRIORITIES } from '../core/taxonomy';
import { visitorContextView } from '../core/visitor-context';
import { BulkOptionsService } from '../inbox/bulk-options.service';
import { TicketRowsPresenter } from '../inbox/ticket-rows';
import { fieldInputs, fieldLabel, fieldsInEffect } from './custom-fields-form';
import { TimelinePresenter, type TimelineContext } from './timeline.presenter';

const IDENTITY_ICON: Record<string, string> = {
  email: 'mail',
  phone: 'phone',
  external_id: 'fingerprint',
  visitor: 'globe',
};
const TIMELINE_PAGE = 40;

/** Everything the ticket pane shows, gathered from the services in parallel batches. */
@Injectable()
export class TicketPageService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly timeline: TimelineService,
    private readonly conversations: ConversationsService,
    private readonly contacts: ContactsService,
    private readonly orgs: OrganizationsService,
    private readonly search: TicketSearchService,
    private readonly fields: TicketFieldsService,
    private readonly followers: TicketFollowersService,
    private readonly merges: TicketMergeService,
    private readonly agents: AgentsService,
    private readonly presenter: TimelinePresenter,
    private readonly rows: TicketRowsPresenter,
    private readonly options: BulkOptionsService,
    private readonly visitors: VisitorsService,
  ) {}

  async timelineContext(page: PageContext, ticket: Ticket): Promise<TimelineContext> {
    const [conversations, groups, fields] = await Promise.all([
      this.conversations.ofTickets([ticket.id]),
      this.agents.listGroups(),
      this.fields.list(page.actor, true),
    ]);
    const labels = new Map(fields.map((f) => [f.key, fieldLabel(f, page.locale)]));
    return {
      locale: page.locale,
      conversations,
      groups: new Map(groups.map((g) => [g.id, g.name])),
      fieldLabel: (key) => labels.get(key) ?? key,
    };
  }

  /** One page of the timeline as items, with the cursors to read on from. */
  async timelinePage(page: PageContext, ticket: Ticket, args: TwoWayPageArgs, ctx?: TimelineContext) {
    const context = ctx ?? (await this.timelineContext(page, ticket));
    const connection = await this.timeline.timeline(page.actor, ticket.id, args);
    const items = await this.presenter.items(connection, context);
    return {
      items,
      first: connection.pageInfo.startCursor,
      last: connection.pageInfo.endCursor,
      hasOlder: connection.pageInfo.hasPreviousPage,
    };
  }

  /** Names of other agents who replied to the customer after the timeline position the composer saw. */
  async repliesSince(page: PageContext, ticket: Ticket, seen: string | null): Promise<string[]> {
    if (!seen) return [];
    const connection = await this.timeline.timeline(page.actor, ticket.id, { first: 100, after: seen });
    const ids = connection.edges
      .map((e) => e.node)
      .filter((n): n is MessageDto => n instanceof MessageDto && n.authorKind === AuthorKindEnum.agent)
      .map((n) => n.authorAgentId)
      .filter((id): id is string => !!id && id !== page.agent.id);
    if (!ids.length) return [];
    return (await this.agents.agentsByIds([...new Set(ids)])).map((a) => a.name);
  }

  async build(page: PageContext, ticket: Ticket, args: { before?: string }) {
    const ctx = await this.timelineContext(page, ticket);
    const [timeline, requester, identities, past, fields, forms, followerRows, links, audits, assignees, visitor] =
      await Promise.all([
        this.timelinePage(
          page,
          ticket,
          args.before ? { last: TIMELINE_PAGE, before: args.before } : { last: TIMELINE_PAGE },
          ctx,
        ),
        this.contacts.get(page.actor, ticket.requesterId),
        this.contacts.identitiesOf([ticket.requesterId]),
        this.search.list(page.actor, { filter: { requesterId: ticket.requesterId }, first: 6 }),
        this.fields.list(page.actor),
        this.fields.listForms(page.actor),
        this.followers.followersOf([ticket.id]),
        this.merges.linksOf(page.actor, [ticket.id]),
        this.tickets.auditEvents(ticket.id, 0, 200),
        page.canWrite ? this.options.assignees(page) : Promise.resolve([]),
        this.visitors.context(
          ticket.requesterId,
          null,
          undefined,
          ctx.conversations.filter((c) => c.channelKind === 'widget').map((c) => c.id),
        ),
      ]);
    const linkViews = links.get(ticket.id) ?? [];
    const followerIds = followerRows.map((f) => f.agentId);
    const [org, linkedTickets, followerAgents, pastRows, history] = await Promise.all([
      requester.organizationId ? this.orgs.get(page.actor, requester.organizationId).catch(() => null) : null,
      this.tickets.getMany(
        page.actor,
        linkViews.map((l) => l.otherTicketId),
      ),
      this.agents.agentsByIds(followerIds),
      this.rows.rows(
        past.edges
          .map((e) => e.node)
          .filter((t) => t.id !== ticket.id)
          .slice(0, 5),
      ),
      this.presenter.items(
        { edges: audits.map((a) => ({ cursor: '', node: toAuditEventDto(a) })), pageInfo: emptyPageInfo },
        ctx,
      ),
    ]);
    const linked = new Map(linkedTickets.map((t) => [t.id, t]));
    const final = ticket.status === 'closed' || ticket.status === 'merged';
    const latest = ctx.conversations
      .slice()
      .sort((a, b) => (b.lastMessageAt?.getTime() ?? 0) - (a.lastMessageAt?.getTime() ?? 0))[0];
    return {
      ticket: {
        ...ticket,
        tagsText: ticket.tags.join(', '),
        isFinal: final,
        isMine: ticket.assigneeId === page.agent.id,
      },
      timeline,
      requester: {
        id: requester.id,
        name: requester.name || identities[0]?.value || '—',
        initials: initials(requester.name || identities[0]?.value || '?'),
        locale: requester.locale,
        timezone: requester.timezone,
        notes: requester.notes,
        identities: identities.map((i) => ({
          kind: i.kind,
          value: i.value,
          icon: IDENTITY_ICON[i.kind] ?? channelIcon(i.kind),
        })),
        organization: org ? { id: org.id, name: org.name } : null,
        visitor: visitorContextView(visitor, page.locale),
      },
      pastTickets: pastRows,
      /** The composer can also start a new email to the requester (e.g. to continue a chat by email). */
      newEmailTo: page.canWrite ? (identities.find((i) => i.kind === 'email')?.value ?? null) : null,
      conversations: ctx.conversations.map((c) => ({
        id: c.id,
        channel: c.channelKind,
        subject: c.subject,
        selected: c.id === latest?.id,
      })),
      panel: {
        statuses: [ticket.status, ...TRANSITIONS[ticket.status]].filter((s) => s !== 'merged'),
        priorities: PRIORITIES,
        types: TICKET_TYPES,
        assignees,
        groups: [...ctx.groups].map(([id, name]) => ({ id, name })),
        fields: fieldInputs(fieldsInEffect(ticket, fields, forms), ticket.customFields, page.locale),
        followers: followerAgents.map((a) => ({ id: a.id, name: a.name, initials: initials(a.name) })),
        isFollowing: followerIds.includes(page.agent.id),
        readOnly: !page.canWrite || final,
      },
      links: linkViews.map((l) => {
        const other = linked.get(l.otherTicketId);
        return {
          kind: l.link.kind,
          direction: l.direction,
          number: other?.number,
          subject: other?.subject,
          status: other?.status,
          visible: !!other,
        };
      }),
      history: history.reverse(),
      historyIds: audits.map((a) => a.id),
    };
  }
}

const emptyPageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

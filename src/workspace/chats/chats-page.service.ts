import { Injectable } from '@nestjs/common';
import { ChatPanelService, type PanelChat } from '../../channels/widget/chat-panel.service';
import { LiveChatService } from '../../channels/widget/live-chat.service';
import { VisitorsService } from '../../channels/widget/visitors.service';
import { t } from '../../common/i18n/i18n';
import { ContactsService } from '../../contacts/contacts.service';
import { AgentsService } from '../../identity/agents.service';
import { CapacityService } from '../../routing/capacity.service';
import { TicketsService } from '../../tickets/tickets.service';
import { formatShort } from '../core/format';
import type { PageContext } from '../core/page-context';
import { initials } from '../core/render';
import { visitorContextView } from '../core/visitor-context';
import { TicketPageService } from '../tickets/ticket-page.service';

const TIMELINE_PAGE = 50;

/** What the chat panel page shows: the list, the open chat with its timeline and visitor, transfer targets. */
@Injectable()
export class ChatsPageService {
  constructor(
    private readonly panel: ChatPanelService,
    private readonly chats: LiveChatService,
    private readonly visitors: VisitorsService,
    private readonly contacts: ContactsService,
    private readonly agents: AgentsService,
    private readonly capacity: CapacityService,
    private readonly tickets: TicketsService,
    private readonly ticketPages: TicketPageService,
  ) {}

  async build(page: PageContext, selectedId: string | null) {
    // opening a chat reads it: mark the visitor's messages read first, so the list counts are current
    const opened = selectedId ? await this.chat(page, selectedId, null) : null;
    const list = await this.panel.list(page.actor);
    const names = new Map(
      (await this.contacts.getMany([...new Set(list.map((c) => c.conversation.contactId))])).map((c) => [c.id, c.name]),
    );
    const row = (c: PanelChat) => {
      const name = names.get(c.conversation.contactId) || t(page.locale, 'chats.visitor');
      return {
        id: c.conversation.id,
        name,
        initials: initials(name),
        subject: c.conversation.subject,
        unread: c.unread,
        offered: c.offered,
        queued: c.queued,
        transferred: c.transferred,
        transferNote: c.transferNote,
        when: formatShort(c.conversation.lastMessageAt ?? c.conversation.createdAt, page.locale, page.timezone),
        current: c.conversation.id === selectedId,
      };
    };
    const rows = list.map(row);
    const selected = selectedId ?? rows.find((r) => !r.offered && !r.queued)?.id ?? null;
    return {
      offers: rows.filter((r) => r.offered),
      active: rows.filter((r) => !r.offered && !r.queued),
      queue: rows.filter((r) => r.queued),
      chat: opened
        ? { ...opened, ...pick(rows.find((r) => r.id === selected)) }
        : selected
          ? await this.chat(page, selected, rows.find((r) => r.id === selected) ?? null)
          : null,
      load: await this.summary(page),
    };
  }

  private async chat(page: PageContext, id: string, row: { offered: boolean; name: string } | null) {
    const { conversation, wc } = await this.chats.get(page.actor, id);
    const ticket = await this.tickets.get(page.actor, conversation.ticketId as string);
    const [timeline, ctx, loads, groups] = await Promise.all([
      this.ticketPages.timelinePage(page, ticket, { last: TIMELINE_PAGE }),
      this.visitors.context(conversation.contactId, wc.widgetId, wc.visitorId, [id]),
      this.capacity.loads(page.actor),
      this.agents.listGroups(),
    ]);
    const others = loads.filter((l) => l.acceptsTransfers && l.agentId !== page.agent.id).map((l) => l.agentId);
    const agentNames = new Map((await this.agents.agentsByIds(others)).map((a) => [a.id, a.name]));
    const lastMessage = Math.max(
      0,
      ...timeline.items
        .map((i) => i.key)
        .filter((k) => k.startsWith('message:'))
        .map((k) => Number(k.slice(8))),
    );
    if (lastMessage > 0 && !row?.offered) await this.chats.markRead(page.actor, id, lastMessage);
    const max = (kind: string) =>
      String(
        Math.max(
          0,
          ...timeline.items
            .map((i) => i.key)
            .filter((k) => k.startsWith(`${kind}:`))
            .map((k) => Number(k.slice(kind.length + 1))),
        ),
      );
    return {
      id,
      ticketId: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      name: row?.name ?? t(page.locale, 'chats.visitor'),
      state: conversation.state,
      offered: row?.offered ?? false,
      live: conversation.state === 'active',
      timeline,
      cursors: { message: max('message'), audit: '0' },
      visitor: visitorContextView(ctx, page.locale),
      transferAgents: others.map((id) => ({ id, name: agentNames.get(id) ?? '' })),
      groups: groups.map((g) => ({ id: g.id, name: g.name })),
    };
  }

  /** The badge (offers plus unread messages) and the agent's load line. */
  async summary(page: PageContext) {
    const [list, load] = await Promise.all([
      this.panel.list(page.actor),
      this.capacity.loadOf(page.actor, page.agent.id),
    ]);
    const attention = list.filter((c) => c.offered || c.unread > 0).length;
    const queued = list.filter((c) => c.queued).length;
    return {
      attention,
      badge: attention ? t(page.locale, 'chats.badge', { count: attention }) : '',
      offers: list.filter((c) => c.offered).length,
      queued,
      unread: list.reduce((n, c) => n + c.unread, 0),
      line: load
        ? t(page.locale, 'load.summary', { chats: load.chats, capacity: load.capacity, tickets: load.tickets })
        : '',
    };
  }
}

function pick(row: { offered: boolean; name: string } | undefined) {
  return row ? { offered: row.offered, name: row.name } : {};
}

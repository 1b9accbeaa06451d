import { Injectable } from '@nestjs/common';
import { CannedResponsesService } from '../../automation/canned-responses.service';
import { MacrosService } from '../../automation/macros.service';
import type { Response } from 'express';
import type { Ticket } from '../../tickets/entities';
import { TicketsService } from '../../tickets/tickets.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { renderPage } from '../core/render';
import { InboxDataService, isInboxView, type InboxView } from '../inbox/inbox-data.service';
import { TicketPageService } from './ticket-page.service';

export interface ComposerState {
  mode: 'reply' | 'note';
  body: string;
  conversationId?: string;
  /** Names of agents who replied since the composer was opened: shown before sending again. */
  collision?: string[];
  /** A message key shown above the composer (a macro was applied, a response inserted). */
  notice?: string;
}

/** Renders the ticket page inside the inbox panes (view list, the view's tickets, the ticket). */
@Injectable()
export class TicketScreen {
  constructor(
    private readonly tickets: TicketsService,
    private readonly pages: TicketPageService,
    private readonly inbox: InboxDataService,
    private readonly macros: MacrosService,
    private readonly canned: CannedResponsesService,
  ) {}

  /** The ticket behind a number in the URL; merged tickets lead to the one they were merged into. */
  async find(page: PageContext, raw: string): Promise<Ticket> {
    const number = Number(raw);
    return this.tickets.getByNumber(page.actor, Number.isSafeInteger(number) && number > 0 ? number : -1);
  }

  viewOf(raw: unknown): InboxView {
    return isInboxView(raw) ? raw : 'mine';
  }

  async render(
    req: PageRequest,
    res: Response,
    ticket: Ticket,
    opts: { view?: unknown; before?: unknown; composer?: ComposerState; status?: number },
  ): Promise<void> {
    const page = req.page as PageContext;
    if (ticket.status === 'merged' && ticket.mergedIntoId) {
      const target = await this.tickets.get(page.actor, ticket.mergedIntoId).catch(() => null);
      if (target) {
        setFlash(res, { kind: 'warn', key: 'ticket.mergedRedirect', vars: { from: ticket.number, to: target.number } });
        return res.redirect(303, `/app/tickets/${target.number}`);
      }
    }
    const view = this.viewOf(opts.view);
    const before = typeof opts.before === 'string' && opts.before.length <= 500 ? opts.before : undefined;
    const [views, list, data, tools] = await Promise.all([
      this.inbox.views(page, view),
      this.inbox.list(page, view, {}),
      this.pages.build(page, ticket, { before }),
      this.composerTools(page),
    ]);
    renderPage(
      req,
      res,
      'workspace/ticket',
      {
        nav: 'inbox',
        title: `#${ticket.number} ${ticket.subject}`,
        views,
        list,
        bulk: null,
        currentTicketId: ticket.id,
        viewId: view,
        composer: opts.composer ?? { mode: 'reply', body: '' },
        olderHref:
          data.timeline.hasOlder && data.timeline.first
            ? `/app/tickets/${ticket.number}?view=${view}&before=${encodeURIComponent(data.timeline.first)}`
            : null,
        latestHref: before ? `/app/tickets/${ticket.number}?view=${view}` : null,
        cursors: liveCursors(
          data.timeline.items.map((i) => i.key),
          data.historyIds,
        ),
        mentionsJson: JSON.stringify(data.panel.assignees.map((a) => ({ id: a.id, name: a.name }))),
        ...tools,
        ...data,
      },
      opts.status,
    );
  }

  /** The composer's macro and canned-response pickers (only for agents who can write). */
  private async composerTools(page: PageContext) {
    if (!page.canWrite) return { macros: [], canned: [], cannedJson: '[]' };
    const [macros, canned] = await Promise.all([this.macros.list(page.actor), this.canned.list(page.actor)]);
    return {
      macros: macros.map((m) => ({ id: m.id, name: m.name, description: m.description, personal: !!m.ownerAgentId })),
      canned: canned.map((c) => ({ id: c.id, shortcut: c.shortcut, title: c.title })),
      cannedJson: JSON.stringify(canned.map((c) => ({ id: c.id, shortcut: c.shortcut, title: c.title }))),
    };
  }
}

/**
 * Where the page's live subscriptions start: after the newest message and change the page shows,
 * so nothing written between rendering and subscribing is missed (the server replays it).
 */
function liveCursors(keys: string[], auditIds: number[]): { message: string; audit: string } {
  const max = (kind: string) =>
    Math.max(0, ...keys.filter((k) => k.startsWith(`${kind}:`)).map((k) => Number(k.slice(kind.length + 1))));
  return { message: String(max('message')), audit: String(Math.max(max('audit'), ...auditIds, 0)) };
}

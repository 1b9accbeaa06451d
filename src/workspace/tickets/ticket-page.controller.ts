import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPartial } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { TicketPageService } from './ticket-page.service';
import { TicketScreen } from './ticket-screen.service';

type QueryParams = Record<string, unknown>;
const cursor = (v: unknown) => (typeof v === 'string' && v.length <= 500 ? v : undefined);

/** The ticket page and the fragments its script swaps in (new timeline items, refreshed panel). */
@Controller('app/tickets')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class TicketPageController {
  constructor(
    private readonly screen: TicketScreen,
    private readonly pages: TicketPageService,
  ) {}

  @Get(':number')
  async show(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Query() q: QueryParams) {
    const ticket = await this.screen.find(req.page as PageContext, number);
    await this.screen.render(req, res, ticket, { view: q.view, before: q.before });
  }

  /** Timeline items after (live updates) or before (earlier history) a cursor. */
  @Get(':number/timeline')
  async timeline(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('number') number: string,
    @Query() q: QueryParams,
  ) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const before = cursor(q.before);
    const after = cursor(q.after);
    const args = before ? { last: 40, before } : after ? { first: 100, after } : { last: 40 };
    const timeline = await this.pages.timelinePage(page, ticket, args);
    renderPartial(req, res, 'partials/ticket/timeline-chunk', { timeline, ticket });
  }

  /** The header and side panel, re-read after someone else changed the ticket. */
  @Get(':number/panel')
  async panel(@Req() req: PageRequest, @Res() res: Response, @Param('number') number: string, @Query() q: QueryParams) {
    const page = req.page as PageContext;
    const ticket = await this.screen.find(page, number);
    const data = await this.pages.build(page, ticket, {});
    renderPartial(req, res, 'partials/ticket/refresh', { ...data, viewId: this.screen.viewOf(q.view) });
  }
}

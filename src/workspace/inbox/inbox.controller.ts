import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { NotFoundError } from '../../common/errors/domain-error';
import { t } from '../../common/i18n/i18n';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { isPartial, renderPage, renderPartial } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { InboxDataService, isInboxView, type InboxView } from './inbox-data.service';
import { BulkOptionsService } from './bulk-options.service';

type QueryParams = Record<string, unknown>;

/** The inbox: views with live counts, one view's tickets (keyset pages), bulk actions. */
@Controller('app')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class InboxController {
  constructor(
    private readonly data: InboxDataService,
    private readonly bulk: BulkOptionsService,
  ) {}

  @Get()
  home(@Req() req: PageRequest, @Res() res: Response, @Query() q: QueryParams) {
    return this.show(req, res, 'mine', q);
  }

  /** View counts for the client's live updates. */
  @Get('inbox/counts')
  async counts(@Req() req: PageRequest, @Res() res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await this.data.counts(req.page as PageContext));
  }

  @Get('inbox/:view')
  view(@Req() req: PageRequest, @Res() res: Response, @Param('view') view: string, @Query() q: QueryParams) {
    if (!isInboxView(view)) throw new NotFoundError('View', view);
    return this.show(req, res, view, q);
  }

  /** The first page's ticket ids and versions: the client compares them to tell "3 new" without moving the list. */
  @Get('inbox/:view/head')
  async head(@Req() req: PageRequest, @Res() res: Response, @Param('view') view: string, @Query() q: QueryParams) {
    if (!isInboxView(view)) throw new NotFoundError('View', view);
    const list = await this.data.list(req.page as PageContext, view, { sort: q.sort });
    res.setHeader('Cache-Control', 'no-store');
    res.json(list.rows.map((r) => ({ id: r.id, updatedAt: r.updatedAt.toISOString() })));
  }

  private async show(req: PageRequest, res: Response, view: InboxView, q: QueryParams) {
    const page = req.page as PageContext;
    if (isPartial(req)) {
      const list = await this.data.list(page, view, q);
      return renderPartial(req, res, 'partials/inbox/list', { list, bulk: await this.bulk.options(page) });
    }
    const [views, list, bulk] = await Promise.all([
      this.data.views(page, view),
      this.data.list(page, view, q),
      this.bulk.options(page),
    ]);
    renderPage(req, res, 'workspace/inbox', {
      nav: 'inbox',
      title: list.title ?? t(page.locale, `view.${view}`),
      views,
      list,
      bulk,
      viewId: view,
    });
  }
}

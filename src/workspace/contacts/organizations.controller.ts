import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { t } from '../../common/i18n/i18n';
import { ContactsService } from '../../contacts/contacts.service';
import { OrganizationsService } from '../../contacts/organizations.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { ContactRowsPresenter } from './contact-rows';

type QueryParams = Record<string, unknown>;
type Form = Record<string, unknown>;
const str = (v: unknown, max = 500) => (typeof v === 'string' ? v.slice(0, max) : '');
const domainsOf = (v: unknown) =>
  str(v, 5000)
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);

/** Organizations: list, page with their contacts; administrators create and edit them. */
@Controller('app/organizations')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class OrganizationsController {
  constructor(
    private readonly orgs: OrganizationsService,
    private readonly contacts: ContactsService,
    private readonly rows: ContactRowsPresenter,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: Response, @Query() q: QueryParams) {
    const page = req.page as PageContext;
    const search = str(q.q, 200).trim();
    const after = str(q.after) || null;
    const result = await this.orgs.list(page.actor, { search, after, first: 30 });
    const base = `/app/organizations${search ? `?q=${encodeURIComponent(search)}` : ''}`;
    renderPage(req, res, 'workspace/organizations', {
      nav: 'contacts',
      title: t(page.locale, 'orgs.title'),
      tab: 'organizations',
      search,
      orgs: result.edges.map((e) => e.node),
      firstHref: after ? base : null,
      nextHref:
        result.pageInfo.hasNextPage && result.pageInfo.endCursor
          ? `${base}${search ? '&' : '?'}after=${encodeURIComponent(result.pageInfo.endCursor)}`
          : null,
    });
  }

  @Post()
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = req.page as PageContext;
    const org = await this.orgs.create(page.actor, { name: str(body.name, 200), domains: domainsOf(body.domains) });
    setFlash(res, { kind: 'ok', key: 'orgs.created' });
    res.redirect(303, `/app/organizations/${org.id}`);
  }

  @Get(':id')
  async show(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const page = req.page as PageContext;
    const [org, members] = await Promise.all([
      this.orgs.get(page.actor, id),
      this.contacts.list(page.actor, { organizationId: id, first: 50 }),
    ]);
    renderPage(req, res, 'workspace/organization', {
      nav: 'contacts',
      title: org.name,
      org: { ...org, domainsText: org.domains.join(', ') },
      members: await this.rows.rows(members.edges.map((e) => e.node)),
    });
  }

  @Post(':id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = req.page as PageContext;
    if (body.delete === '1') {
      await this.orgs.delete(page.actor, id);
      setFlash(res, { kind: 'ok', key: 'orgs.deleted' });
      return res.redirect(303, '/app/organizations');
    }
    await this.orgs.update(page.actor, id, {
      name: str(body.name, 200),
      domains: domainsOf(body.domains),
      notes: str(body.notes, 10_000),
    });
    setFlash(res, { kind: 'ok', key: 'orgs.saved' });
    res.redirect(303, `/app/organizations/${id}`);
  }
}

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
import { ContactMergeService } from '../../contacts/contact-merge.service';
import { ContactsService } from '../../contacts/contacts.service';
import type { IdentityKind } from '../../contacts/entities';
import { OrganizationsService } from '../../contacts/organizations.service';
import { TicketSearchService } from '../../tickets/ticket-search.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { initials, renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { TicketRowsPresenter } from '../inbox/ticket-rows';
import { ContactRowsPresenter } from './contact-rows';

type QueryParams = Record<string, unknown>;
type Form = Record<string, unknown>;
const str = (v: unknown, max = 500) => (typeof v === 'string' ? v.slice(0, max) : '');
const IDENTITY_KINDS: IdentityKind[] = ['email', 'phone', 'external_id', 'whatsapp', 'telegram', 'line', 'sms'];

/** Contacts: list and search, a contact's page with identities and tickets, edits and merges. */
@Controller('app/contacts')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly orgs: OrganizationsService,
    private readonly merges: ContactMergeService,
    private readonly search: TicketSearchService,
    private readonly rows: ContactRowsPresenter,
    private readonly ticketRows: TicketRowsPresenter,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: Response, @Query() q: QueryParams) {
    const page = req.page as PageContext;
    const search = str(q.q, 200).trim();
    const after = str(q.after) || null;
    const result = await this.contacts.list(page.actor, { search, after, first: 30 });
    const base = `/app/contacts${search ? `?q=${encodeURIComponent(search)}` : ''}`;
    renderPage(req, res, 'workspace/contacts', {
      nav: 'contacts',
      title: t(page.locale, 'contacts.title'),
      tab: 'contacts',
      search,
      rows: await this.rows.rows(result.edges.map((e) => e.node)),
      firstHref: after ? base : null,
      nextHref:
        result.pageInfo.hasNextPage && result.pageInfo.endCursor
          ? `${base}${search ? '&' : '?'}after=${encodeURIComponent(result.pageInfo.endCursor)}`
          : null,
    });
  }

  @Get(':id')
  async show(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: QueryParams,
  ) {
    const page = req.page as PageContext;
    const contact = await this.contacts.get(page.actor, id);
    if (contact.id !== id) return res.redirect(303, `/app/contacts/${contact.id}`);
    const mergeSearch = str(q.merge, 200).trim();
    const [identities, org, tickets, orgs, candidates] = await Promise.all([
      this.contacts.identitiesOf([contact.id]),
      contact.organizationId ? this.orgs.get(page.actor, contact.organizationId).catch(() => null) : null,
      this.search.list(page.actor, { filter: { requesterId: contact.id }, first: 25 }),
      this.orgs.list(page.actor, { first: 100 }),
      mergeSearch ? this.contacts.list(page.actor, { search: mergeSearch, first: 8 }) : null,
    ]);
    const others = candidates ? candidates.edges.map((e) => e.node).filter((c) => c.id !== contact.id) : [];
    renderPage(req, res, 'workspace/contact', {
      nav: 'contacts',
      title: contact.name || identities[0]?.value || t(page.locale, 'contacts.title'),
      contact: { ...contact, displayName: contact.name || identities[0]?.value || '—' },
      contactInitials: initials(contact.name || identities[0]?.value || '?'),
      identities,
      identityKinds: IDENTITY_KINDS,
      organization: org,
      organizations: orgs.edges.map((e) => e.node),
      tickets: await this.ticketRows.rows(tickets.edges.map((e) => e.node)),
      mergeSearch,
      candidates: mergeSearch ? await this.rows.rows(others) : null,
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
    await this.contacts.update(page.actor, id, {
      name: str(body.name, 200),
      organizationId: str(body.organizationId, 36) || null,
      locale: str(body.locale, 35) || null,
      timezone: str(body.timezone, 64) || null,
      notes: str(body.notes, 10_000),
    });
    setFlash(res, { kind: 'ok', key: 'contacts.saved' });
    res.redirect(303, `/app/contacts/${id}`);
  }

  @Post(':id/identities')
  async identity(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = req.page as PageContext;
    const remove = str(body.remove, 36);
    if (remove) await this.contacts.removeIdentity(page.actor, remove);
    else {
      const kind = IDENTITY_KINDS.includes(body.kind as IdentityKind) ? (body.kind as IdentityKind) : 'email';
      await this.contacts.addIdentity(page.actor, id, kind, str(body.value, 320));
    }
    setFlash(res, { kind: 'ok', key: 'contacts.saved' });
    res.redirect(303, `/app/contacts/${id}`);
  }

  /** Merges the contact `source` into this one: every identity, conversation and ticket moves here. */
  @Post(':id/merge')
  async merge(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = req.page as PageContext;
    const target = await this.merges.merge(page.actor, str(body.source, 36), id);
    setFlash(res, { kind: 'ok', key: 'contacts.merged' });
    res.redirect(303, `/app/contacts/${target.id}`);
  }
}

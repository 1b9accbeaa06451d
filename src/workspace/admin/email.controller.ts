import {
  Body,
  Controller,
  Get,
  Inject,
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
import type { ImapAfterFetch, InboundStatus, Mailbox, SmtpSecurity } from '../../channels/email/entities';
import { InboundAdminService } from '../../channels/email/inbound/inbound-admin.service';
import { MailboxesService, type MailboxData } from '../../channels/email/mailboxes/mailboxes.service';
import { t } from '../../common/i18n/i18n';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { AgentsService } from '../../identity/agents.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { formatDateTime } from '../core/format';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { adminPage, str } from './admin';

type Form = Record<string, unknown>;
const SECURITY: SmtpSecurity[] = ['starttls', 'tls', 'none'];
const AFTER_FETCH: ImapAfterFetch[] = ['seen', 'move'];
const on = (v: unknown) => v === '1' || v === 'on' || v === 'true';
const port = (v: unknown, fallback: number) => {
  const n = Number(str(v, 6));
  return str(v, 6).trim() === '' ? fallback : n;
};
/** A write-only password field: empty keeps the stored one, the clear box removes it. */
const password = (value: unknown, clear: unknown) => (on(clear) ? null : str(value, 1000) || undefined);

/** The mailbox form, read into what MailboxesService takes; the service validates it. */
export function mailboxFromForm(body: Form, editing: boolean): MailboxData {
  const smtpHost = str(body.smtpHost, 253).trim();
  const imapHost = str(body.imapHost, 253).trim();
  return {
    address: str(body.address, 320),
    name: str(body.name, 200),
    senderName: str(body.senderName, 200) || null,
    groupId: str(body.groupId, 36) || null,
    signature: str(body.signature, 5000),
    locale: body.locale === 'ko' ? 'ko' : 'en',
    subjectTag: str(body.subjectTag, 40),
    ackEnabled: on(body.ackEnabled),
    quoteHistory: on(body.quoteHistory),
    replyToToken: on(body.replyToToken),
    brandColor: str(body.brandColor, 7) || undefined,
    isDefault: on(body.isDefault),
    ...(editing ? { isActive: on(body.isActive) } : {}),
    smtp: smtpHost
      ? {
          host: smtpHost,
          port: port(body.smtpPort, 587),
          security: SECURITY.includes(body.smtpSecurity as SmtpSecurity)
            ? (body.smtpSecurity as SmtpSecurity)
            : 'starttls',
          user: str(body.smtpUser, 320) || null,
          password: password(body.smtpPassword, body.smtpPasswordClear),
        }
      : null,
    imap: imapHost
      ? {
          enabled: on(body.imapEnabled),
          host: imapHost,
          port: port(body.imapPort, 993),
          tls: on(body.imapTls),
          user: str(body.imapUser, 320),
          password: password(body.imapPassword, body.imapPasswordClear),
          folder: str(body.imapFolder, 200) || 'INBOX',
          afterFetch: AFTER_FETCH.includes(body.imapAfterFetch as ImapAfterFetch)
            ? (body.imapAfterFetch as ImapAfterFetch)
            : 'seen',
          moveTo: str(body.imapMoveTo, 200) || null,
        }
      : null,
  };
}

/** What the form shows of a mailbox: never a password, only whether one is stored. */
function formValues(m: Mailbox) {
  return {
    id: m.id,
    address: m.address,
    name: m.name,
    senderName: m.senderName,
    groupId: m.groupId,
    signature: m.signature,
    locale: m.locale,
    subjectTag: m.subjectTag,
    ackEnabled: m.ackEnabled,
    quoteHistory: m.quoteHistory,
    replyToToken: m.replyToToken,
    brandColor: m.brandColor,
    isDefault: m.isDefault,
    isActive: m.isActive,
    smtpHost: m.smtpHost,
    smtpPort: m.smtpPort,
    smtpSecurity: m.smtpSecurity,
    smtpUser: m.smtpUser,
    smtpPasswordSet: !!m.smtpPasswordEnc,
    imapEnabled: m.imapEnabled,
    imapHost: m.imapHost,
    imapPort: m.imapPort,
    imapTls: m.imapTls,
    imapUser: m.imapUser,
    imapPasswordSet: !!m.imapPasswordEnc,
    imapFolder: m.imapFolder,
    imapAfterFetch: m.imapAfterFetch,
    imapMoveTo: m.imapMoveTo,
    imapLastError: m.imapLastError,
  };
}

const NEW_MAILBOX = {
  locale: 'en',
  subjectTag: '[#{number}]',
  ackEnabled: true,
  quoteHistory: true,
  replyToToken: false,
  brandColor: '#4f46e5',
  isActive: true,
  smtpSecurity: 'starttls',
  imapTls: true,
  imapFolder: 'INBOX',
  imapAfterFetch: 'seen',
};

/** Settings → Channels → Email: mailboxes (create, edit, remove) and the mails that failed to parse. */
@Controller('app/settings/email')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class EmailSettingsController {
  constructor(
    private readonly mailboxes: MailboxesService,
    private readonly inbound: InboundAdminService,
    private readonly agents: AgentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    const [mailboxes, groups] = await Promise.all([this.mailboxes.list(page.actor), this.agents.listGroups()]);
    const groupName = new Map(groups.map((g) => [g.id, g.name]));
    renderPage(req, res, 'workspace/settings/email', {
      nav: 'settings',
      tab: 'email',
      title: t(page.locale, 'email.mailboxes'),
      mailboxes: mailboxes.map((m) => ({
        ...formValues(m),
        group: m.groupId ? groupName.get(m.groupId) : null,
        way: m.imapEnabled ? 'imap' : 'smtp',
      })),
    });
  }

  @Get('new')
  async newForm(@Req() req: PageRequest, @Res() res: Response) {
    const page = adminPage(req);
    await this.renderForm(req, res, page, { ...NEW_MAILBOX }, null);
  }

  @Post()
  async create(@Req() req: PageRequest, @Res() res: Response, @Body() body: Form) {
    const page = adminPage(req);
    const { mailbox, webhookSecret } = await this.mailboxes.create(page.actor, mailboxFromForm(body, false));
    // the webhook secret is shown this once, so this answer is the page itself (no redirect)
    await this.renderForm(req, res, page, formValues(mailbox), webhookSecret);
  }

  @Get('failed')
  async failed(@Req() req: PageRequest, @Res() res: Response, @Query('status') status?: string) {
    const page = adminPage(req);
    const shown: InboundStatus = status === 'ignored' ? 'ignored' : 'failed';
    const [list, mailboxes] = await Promise.all([
      this.inbound.list(page.actor, { status: shown, first: 100 }),
      this.mailboxes.list(page.actor),
    ]);
    const address = new Map(mailboxes.map((m) => [m.id, m.address]));
    renderPage(req, res, 'workspace/settings/email-failed', {
      nav: 'settings',
      tab: 'email-failed',
      title: t(page.locale, 'email.failedMails'),
      status: shown,
      mails: list.edges.map(({ node: m }) => ({
        id: m.id,
        receivedAt: formatDateTime(m.receivedAt, page.locale, page.timezone),
        receivedIso: m.receivedAt.toISOString(),
        from: m.fromAddress ?? m.envelopeFrom,
        subject: m.subject,
        problem: m.error ?? m.reason,
        mailbox: m.mailboxId ? address.get(m.mailboxId) : null,
        source: m.source,
        size: Math.max(1, Math.round(m.sizeBytes / 1024)),
        attempts: m.attempts,
      })),
    });
  }

  @Post('failed/:id/retry')
  async retry(@Req() req: PageRequest, @Res() res: Response, @Param('id') id: string) {
    const page = adminPage(req);
    const mailId = /^[1-9]\d{0,15}$/.test(id) ? Number(id) : -1;
    await this.inbound.retry(page.actor, mailId);
    setFlash(res, { kind: 'ok', key: 'email.retryQueued', vars: { id: mailId } });
    res.redirect(303, '/app/settings/email/failed');
  }

  @Get(':id')
  async edit(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const page = adminPage(req);
    await this.renderForm(req, res, page, formValues(await this.mailboxes.get(page.actor, id)), null);
  }

  @Post(':id')
  async update(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
  ) {
    const page = adminPage(req);
    if (body.delete === '1') {
      await this.mailboxes.remove(page.actor, id);
      setFlash(res, { kind: 'ok', key: 'email.mailboxRemoved' });
      return res.redirect(303, '/app/settings/email');
    }
    await this.mailboxes.update(page.actor, id, mailboxFromForm(body, true));
    setFlash(res, { kind: 'ok', key: 'settings.saved' });
    res.redirect(303, `/app/settings/email/${id}`);
  }

  private async renderForm(
    req: PageRequest,
    res: Response,
    page: PageContext,
    mailbox: Record<string, unknown>,
    webhookSecret: string | null,
  ) {
    const groups = await this.agents.listGroups();
    const editing = typeof mailbox.id === 'string';
    renderPage(req, res, 'workspace/settings/email-mailbox', {
      nav: 'settings',
      tab: 'email',
      title: editing ? String(mailbox.name) : t(page.locale, 'email.newMailbox'),
      editing,
      mailbox,
      webhookSecret,
      webhookUrl: editing ? `${this.config.baseUrl}/webhooks/email/${String(mailbox.id)}` : null,
      groups,
      securities: SECURITY,
      afterFetches: AFTER_FETCH,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../common/auth/actor';
import type { VisitorAuthResult, VisitorConnection, VisitorPrincipal } from '../../common/auth/visitor';
import { DomainError, NotFoundError, RateLimitedError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { logger } from '../../common/logging/logger';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { ContactMergeService } from '../../contacts/contact-merge.service';
import { ContactsService } from '../../contacts/contacts.service';
import { normalizeIdentity } from '../../contacts/identity-values';
import { isValidTimezone } from './business-hours';
import type { Widget, WidgetVisitor } from './entities';
import { verifyIdentityJwt } from './identity-jwt';
import { Gauge, SlidingWindow } from './rate-limits';
import { parseUserAgent } from './user-agent';
import { signVisitorToken, verifyVisitorToken } from './visitor-token';
import { VisitorsRepository } from './visitors.repository';
import { WidgetsService } from './widgets.service';

export interface NewVisitorInfo {
  ip: string | undefined;
  userAgent: string | undefined;
  origin: string | undefined;
  locale?: string | null;
  timezone?: string | null;
  referrer?: string | null;
}

const log = logger('widget');

/** Visitors: signed tokens, connection checks, identity verification, what they browse. */
@Injectable()
export class VisitorsService {
  private readonly newVisitorsPerIp = new SlidingWindow(30, 10 * 60_000);
  private readonly eventsPerVisitor = new SlidingWindow(120, 60_000);
  private readonly connectionsPerIp = new Gauge(50);

  constructor(
    private readonly repo: VisitorsRepository,
    private readonly widgets: WidgetsService,
    private readonly contacts: ContactsService,
    private readonly merges: ContactMergeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new anonymous visitor with its own contact; the token is kept by the browser. */
  async create(widgetId: string, info: NewVisitorInfo): Promise<{ visitor: WidgetVisitor; token: string }> {
    const widget = await this.widgets.getActive(widgetId);
    assertOrigin(widget, info.origin);
    const wait = this.newVisitorsPerIp.hit(info.ip ?? 'unknown');
    if (wait) throw new RateLimitedError(wait);
    const id = randomUUID();
    const contact = await this.contacts.resolve({
      identities: [{ kind: 'visitor', value: id }],
      name: `Visitor ${id.slice(0, 4).toUpperCase()}`,
    });
    const device = parseUserAgent(info.userAgent);
    const visitor = await this.repo.insertVisitor({
      id,
      widgetId,
      contactId: contact.id,
      ip: info.ip ?? null,
      userAgent: info.userAgent?.slice(0, 500) ?? null,
      ...device,
      locale: info.locale === 'ko' || info.locale === 'en' ? info.locale : null,
      timezone: info.timezone && isValidTimezone(info.timezone) ? info.timezone : null,
      referrer: info.referrer?.slice(0, 2000) ?? null,
    });
    return { visitor, token: this.tokenOf(visitor) };
  }

  tokenOf(visitor: WidgetVisitor): string {
    return signVisitorToken(this.config.secrets.app, { visitorId: visitor.id, version: visitor.tokenVersion });
  }

  /** The WebSocket (and HTTP) check of a visitor token: signature, version, widget, origin, IP slots. */
  async authenticate(c: VisitorConnection): Promise<VisitorAuthResult> {
    const claims = verifyVisitorToken(this.config.secrets.app, c.token);
    if (!claims) return { ok: false, code: 4401, reason: 'Invalid visitor token' };
    const visitor = await this.repo.findVisitor(claims.visitorId);
    if (!visitor || visitor.tokenVersion !== claims.version) {
      return { ok: false, code: 4401, reason: 'Invalid visitor token' };
    }
    let widget: Widget;
    try {
      widget = await this.widgets.getActive(visitor.widgetId);
      assertOrigin(widget, c.origin);
    } catch {
      return { ok: false, code: 4403, reason: 'This widget is not available here' };
    }
    const slot = c.ip ?? 'unknown';
    if (!this.connectionsPerIp.acquire(slot)) return { ok: false, code: 4429, reason: 'Too many connections' };
    await this.repo.touch(visitor.id, c.ip).catch(() => undefined);
    return {
      ok: true,
      principal: { kind: 'visitor', visitorId: visitor.id, widgetId: widget.id, ip: c.ip },
      release: () => this.connectionsPerIp.release(slot),
    };
  }

  async get(principal: VisitorPrincipal): Promise<WidgetVisitor> {
    const visitor = await this.repo.findVisitor(principal.visitorId);
    if (!visitor) throw new NotFoundError('Visitor', principal.visitorId);
    return visitor;
  }

  /** Name, email (not verified), language and timezone the widget learned. */
  async update(
    principal: VisitorPrincipal,
    data: { name?: string; email?: string; phone?: string; locale?: string; timezone?: string },
  ): Promise<WidgetVisitor> {
    const visitor = await this.get(principal);
    if (data.phone?.trim()) await this.addPhone(visitor, data.phone);
    const patch: Partial<WidgetVisitor> = {};
    if (data.name !== undefined) patch.name = data.name.trim().slice(0, 100) || null;
    if (data.locale === 'en' || data.locale === 'ko') patch.locale = data.locale;
    if (data.timezone !== undefined && isValidTimezone(data.timezone)) patch.timezone = data.timezone;
    if (data.email !== undefined) {
      patch.email = data.email.trim().toLowerCase();
      // an unverified email joins the visitor's own contact only when nobody else has it
      await this.contacts.addIdentity(SYSTEM_ACTOR, visitor.contactId, 'email', patch.email).catch((err) => {
        if (!(err instanceof DomainError)) throw err;
      });
    }
    if (patch.name && !visitor.identifiedAt) {
      await this.contacts.update(SYSTEM_ACTOR, visitor.contactId, { name: patch.name }).catch(() => undefined);
    }
    return this.repo.updateVisitor(visitor.id, patch);
  }

  /** A phone number from the pre-chat form joins the visitor's contact, unless another contact has it. */
  private async addPhone(visitor: WidgetVisitor, raw: string): Promise<void> {
    let phone: string;
    try {
      phone = normalizeIdentity('phone', raw);
    } catch {
      throw new ValidationError('Enter the phone number with its country code, like +82 10-1234-5678.', {
        field: 'phone',
      });
    }
    await this.contacts.addIdentity(SYSTEM_ACTOR, visitor.contactId, 'phone', phone).catch((err) => {
      if (!(err instanceof DomainError)) throw err;
    });
  }

  /**
   * Verifies the customer's JWT with the widget's secret and attaches the visitor to that
   * contact. An anonymous visitor's contact is merged into it, so the conversations started
   * before signing in follow the person; a visitor identified as someone else just switches.
   */
  async identify(principal: VisitorPrincipal, jwt: string): Promise<WidgetVisitor> {
    const visitor = await this.get(principal);
    const secret = await this.widgets.identitySecret(visitor.widgetId);
    const result = verifyIdentityJwt(secret, jwt);
    if (!result.ok) {
      log.warn({ visitorId: visitor.id, reason: result.reason }, 'identity token refused');
      if (result.reason === 'expired') {
        throw new DomainError(ErrorCode.IDENTITY_TOKEN_EXPIRED, 'The identity token has expired; sign a new one.');
      }
      throw new DomainError(ErrorCode.IDENTITY_TOKEN_INVALID, 'The identity token is not valid for this widget.', {
        reason: result.reason,
      });
    }
    const { externalId, email, name } = result.claims;
    const target = await this.contacts.resolve({
      externalId: externalId ?? undefined,
      email: email ?? undefined,
      name: name ?? undefined,
    });
    const current = await this.contacts.get(SYSTEM_ACTOR, visitor.contactId);
    if (current.id !== target.id) {
      if (!visitor.identifiedAt) await this.merges.merge(SYSTEM_ACTOR, current.id, target.id);
      else await this.repo.updateVisitor(visitor.id, { contactId: target.id });
    }
    if (name && !target.name.trim()) await this.contacts.update(SYSTEM_ACTOR, target.id, { name });
    return this.repo.updateVisitor(visitor.id, {
      contactId: target.id,
      identifiedAt: new Date(),
      email: email?.toLowerCase() ?? visitor.email,
      name: name ?? visitor.name,
    });
  }

  async trackPage(principal: VisitorPrincipal, page: { url: string; title: string; referrer?: string | null }) {
    if (this.eventsPerVisitor.hit(principal.visitorId)) return false;
    const url = cleanUrl(page.url);
    if (!url) return false;
    await this.repo.insertPageView({
      visitorId: principal.visitorId,
      url,
      title: page.title.slice(0, 300),
      referrer: page.referrer ? cleanUrl(page.referrer) : null,
    });
    const patch: Partial<WidgetVisitor> = { currentUrl: url, currentTitle: page.title.slice(0, 300) };
    const visitor = await this.get(principal);
    if (!visitor.referrer && page.referrer) patch.referrer = cleanUrl(page.referrer);
    await this.repo.updateVisitor(principal.visitorId, patch);
    return true;
  }

  async track(principal: VisitorPrincipal, name: string, properties: Record<string, unknown> = {}) {
    if (this.eventsPerVisitor.hit(principal.visitorId)) return false;
    const json = JSON.stringify(properties);
    if (json.length > 4000) throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Event properties are over 4 KB.');
    await this.repo.insertEvent({ visitorId: principal.visitorId, name, properties });
    return true;
  }

  /**
   * For agents: the visitors of a contact on a widget (null: on any widget), what they did, and the
   * pre-chat answers of the newest of `conversationIds` (the chat or ticket on screen) that has any.
   */
  async context(contactId: string, widgetId: string | null, preferVisitorId?: string, conversationIds: string[] = []) {
    const visitors = await this.repo.visitorsOfContact(contactId, widgetId);
    const main = visitors.find((v) => v.id === preferVisitorId) ?? visitors[0];
    if (!main) return null;
    const ids = visitors.map((v) => v.id);
    const [pages, events, answers] = await Promise.all([
      this.repo.pageViews(ids, 50),
      this.repo.events(ids, 50),
      this.repo.prechatAnswers(conversationIds),
    ]);
    return { visitor: main, pages, events, answers };
  }

  findVisitors(ids: readonly string[]): Promise<WidgetVisitor[]> {
    return this.repo.findVisitors(ids);
  }
}

function assertOrigin(widget: Widget, origin: string | undefined): void {
  if (!widget.allowedOrigins.length || !origin) return;
  if (!widget.allowedOrigins.includes(origin.toLowerCase().replace(/\/$/, ''))) {
    throw new DomainError(ErrorCode.FORBIDDEN, 'This widget is not allowed on this site.');
  }
}

function cleanUrl(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString().slice(0, 2000) : null;
  } catch {
    return null;
  }
}

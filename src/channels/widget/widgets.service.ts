import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { assertAdmin, assertCanRead, type Actor } from '../../common/auth/actor';
import { NotFoundError, ValidationError } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { AgentsService } from '../../identity/agents.service';
import { PresenceService } from '../../routing/presence.service';
import {
  describeProblem,
  formatReturn,
  isOpen,
  isValidTimezone,
  nextOpening,
  scheduleProblems,
  type Schedule,
} from './business-hours';
import type { BusinessHours, OpeningInterval, Widget } from './entities';
import { validatePreChatFields } from './prechat';
import { WidgetsRepository, type WidgetValues } from './widgets.repository';

export type WidgetData = Partial<Omit<WidgetValues, 'isActive'>> & { isActive?: boolean };

export interface BusinessHoursData {
  name?: string;
  timezone?: string;
  weekly?: OpeningInterval[];
  holidays?: Array<{ date: string; name: string }>;
}

export interface Availability {
  online: boolean;
  reason: 'OPEN' | 'OFF_HOURS' | 'NO_AGENTS';
  nextOpenAt: Date | null;
  backText: string | null;
}

const newSecret = () => `whs_${randomBytes(32).toString('base64url')}`;

/** Widgets and business hours: admin settings, and whether someone can answer right now. */
@Injectable()
export class WidgetsService {
  constructor(
    private readonly repo: WidgetsRepository,
    private readonly agents: AgentsService,
    private readonly presence: PresenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  /** APP_SECRET, which signs visitor tokens and file links. */
  get secret(): string {
    return this.config.secrets.app;
  }

  /** For visitors and the public config endpoint: an active widget or WIDGET_NOT_FOUND. */
  async getActive(id: string): Promise<Widget> {
    const widget = await this.repo.findWidget(id);
    if (!widget || !widget.isActive) throw new NotFoundError('Widget', id);
    return widget;
  }

  async get(actor: Actor, id: string): Promise<Widget> {
    assertCanRead(actor);
    const widget = await this.repo.findWidget(id);
    if (!widget) throw new NotFoundError('Widget', id);
    return widget;
  }

  list(actor: Actor): Promise<Widget[]> {
    assertCanRead(actor);
    return this.repo.listWidgets();
  }

  async create(actor: Actor, data: WidgetData & { name: string }): Promise<{ widget: Widget; secret: string }> {
    assertAdmin(actor);
    await this.validate(data);
    const secret = newSecret();
    const widget = await this.repo.insertWidget({ ...data, identitySecret: secret });
    return { widget, secret };
  }

  async update(actor: Actor, id: string, data: WidgetData): Promise<Widget> {
    assertAdmin(actor);
    await this.get(actor, id);
    await this.validate(data);
    return (await this.repo.updateWidget(id, data)) as Widget;
  }

  async rotateSecret(actor: Actor, id: string): Promise<{ widget: Widget; secret: string }> {
    assertAdmin(actor);
    await this.get(actor, id);
    const secret = newSecret();
    const widget = (await this.repo.updateWidget(id, { identitySecret: secret })) as Widget;
    return { widget, secret };
  }

  async delete(actor: Actor, id: string): Promise<boolean> {
    assertAdmin(actor);
    if (!(await this.repo.deleteWidget(id))) throw new NotFoundError('Widget', id);
    return true;
  }

  /** The HS256 secret identity JWTs are checked with (never sent to clients after creation). */
  async identitySecret(widgetId: string): Promise<string> {
    const secret = await this.repo.identitySecret(widgetId);
    if (!secret) throw new NotFoundError('Widget', widgetId);
    return secret;
  }

  private async validate(data: WidgetData): Promise<void> {
    if (data.logoUrl && !/^https?:\/\/\S+$/.test(data.logoUrl)) {
      throw new ValidationError('logoUrl must be an http(s) URL.', { field: 'logoUrl' });
    }
    for (const origin of data.allowedOrigins ?? []) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
        throw new ValidationError(`"${origin}" is not an origin like https://www.example.com.`, {
          field: 'allowedOrigins',
          value: origin,
        });
      }
    }
    if (data.businessHoursId && !(await this.repo.findBusinessHours(data.businessHoursId))) {
      throw new NotFoundError('BusinessHours', data.businessHoursId);
    }
    if (data.groupId) await this.agents.getGroup(data.groupId);
    if (data.preChatFields) data.preChatFields = validatePreChatFields(data.preChatFields);
    if ((data.allowedOrigins ?? []).length > 20) {
      throw new ValidationError('At most 20 allowed origins.', { field: 'allowedOrigins' });
    }
  }

  /** Can someone answer now? Off hours first (with when the team is back), then agents online and connected. */
  async availability(widget: Widget, locale: 'en' | 'ko', timezone: string | null, now = new Date()) {
    const hours = widget.businessHoursId ? await this.repo.findBusinessHours(widget.businessHoursId) : null;
    if (hours && !isOpen(hours, now)) {
      const next = nextOpening(hours, now);
      const tz = timezone && isValidTimezone(timezone) ? timezone : hours.timezone;
      const backText = next ? formatReturn(next, locale, tz, now) : null;
      return { online: false, reason: 'OFF_HOURS', nextOpenAt: next, backText } satisfies Availability;
    }
    if ((await this.presence.countPresent(['online'], widget.groupId)) === 0) {
      return { online: false, reason: 'NO_AGENTS', nextOpenAt: null, backText: null } satisfies Availability;
    }
    return { online: true, reason: 'OPEN', nextOpenAt: null, backText: null } satisfies Availability;
  }

  // ---- business hours ----

  async getBusinessHours(actor: Actor, id: string): Promise<BusinessHours> {
    assertCanRead(actor);
    const hours = await this.repo.findBusinessHours(id);
    if (!hours) throw new NotFoundError('BusinessHours', id);
    return hours;
  }

  listBusinessHours(actor: Actor): Promise<BusinessHours[]> {
    assertCanRead(actor);
    return this.repo.listBusinessHours();
  }

  async saveBusinessHours(actor: Actor, id: string | null, data: BusinessHoursData): Promise<BusinessHours> {
    assertAdmin(actor);
    const current = id ? await this.getBusinessHours(actor, id) : null;
    if (!current && !data.name) throw new ValidationError('Business hours need a name.', { field: 'name' });
    if (data.timezone !== undefined && !isValidTimezone(data.timezone)) {
      throw new ValidationError(`"${data.timezone}" is not a timezone; use an IANA name such as Asia/Seoul.`, {
        field: 'timezone',
      });
    }
    const problems = scheduleProblems(data.weekly ?? [], data.holidays ?? []);
    if (problems.length) {
      const messages = problems.map(describeProblem);
      throw new ValidationError(messages.join(' '), { problems: messages, scheduleProblems: problems });
    }
    return this.repo.saveBusinessHours({ ...(current ?? {}), ...stripUndefined(data) });
  }

  async deleteBusinessHours(actor: Actor, id: string): Promise<boolean> {
    assertAdmin(actor);
    if (!(await this.repo.deleteBusinessHours(id))) throw new NotFoundError('BusinessHours', id);
    return true;
  }

  scheduleState(hours: Schedule, now = new Date()): { isOpenNow: boolean; nextOpeningAt: Date | null } {
    return { isOpenNow: isOpen(hours, now), nextOpeningAt: nextOpening(hours, now) };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

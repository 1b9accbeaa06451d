import { onColorFor, embedSnippet } from '../appearance';
import type { BusinessHours, ProactiveRule, Widget, WidgetBlock, WidgetVisitor } from '../entities';
import type { PreChatAnswer, PreChatField, WidgetEvent, WidgetPageView } from '../entities';
import { VisitorContextDto, WidgetAppearanceDto } from './visitor.dto';
import {
  BlockKindEnum,
  BusinessHoursDto,
  PreChatAnswerDto,
  PreChatFieldDto,
  PreChatFieldTypeEnum,
  ProactiveRuleDto,
  RuleAudienceEnum,
  WidgetBlockDto,
  WidgetDto,
  WidgetLocaleEnum,
  WidgetModeEnum,
  WidgetPositionEnum,
} from './widget.dto';

export function toPreChatFieldDto(f: PreChatField): PreChatFieldDto {
  return {
    key: f.key,
    label: f.label,
    labelKo: f.labelKo ?? '',
    type: (f.type as PreChatFieldTypeEnum | undefined) ?? null,
    options: f.options ?? [],
    required: f.required,
  };
}

export function toPreChatAnswerDto(a: PreChatAnswer): PreChatAnswerDto {
  return { ...a, type: a.type as PreChatFieldTypeEnum, value: String(a.value) };
}

const defaultLauncher = { en: 'Chat with us', ko: '문의하기' };

export function toWidgetDto(w: Widget, baseUrl: string): WidgetDto {
  const on = onColorFor(w.color);
  return Object.assign(new WidgetDto(), {
    ...w,
    mode: w.mode as WidgetModeEnum,
    position: w.position as WidgetPositionEnum,
    locale: w.locale as WidgetLocaleEnum,
    preChatFields: w.preChatFields.map(toPreChatFieldDto),
    embedSnippet: embedSnippet(baseUrl, w.id),
    preview: {
      onColor: on.color,
      contrast: Math.round(on.contrast * 100) / 100,
      launcherLabelEn: w.launcherText || defaultLauncher.en,
      launcherLabelKo: w.launcherText || defaultLauncher.ko,
      greeting: w.greeting,
      previewUrl: `${baseUrl}/widget/${w.id}/preview`,
    },
  });
}

export function toAppearanceDto(w: Widget): WidgetAppearanceDto {
  return Object.assign(new WidgetAppearanceDto(), {
    id: w.id,
    name: w.name,
    mode: w.mode as WidgetModeEnum,
    color: w.color,
    onColor: onColorFor(w.color).color,
    logoUrl: w.logoUrl,
    position: w.position as WidgetPositionEnum,
    launcherText: w.launcherText,
    greeting: w.greeting,
    greetingKo: w.greetingKo,
    preChatFields: w.preChatFields.map(toPreChatFieldDto),
    locale: w.locale as WidgetLocaleEnum,
    requireIdentified: w.requireIdentified,
  });
}

export function toBusinessHoursDto(
  h: BusinessHours,
  state: { isOpenNow: boolean; nextOpeningAt: Date | null },
): BusinessHoursDto {
  return Object.assign(new BusinessHoursDto(), { ...h, ...state });
}

export function toRuleDto(r: ProactiveRule): ProactiveRuleDto {
  return Object.assign(new ProactiveRuleDto(), { ...r, audience: r.audience as RuleAudienceEnum });
}

export function toBlockDto(b: WidgetBlock): WidgetBlockDto {
  return Object.assign(new WidgetBlockDto(), { ...b, kind: b.kind as BlockKindEnum });
}

export function toVisitorContextDto(
  v: WidgetVisitor,
  pages: WidgetPageView[],
  events: WidgetEvent[],
  answers: PreChatAnswer[] = [],
) {
  return Object.assign(new VisitorContextDto(), {
    preChatAnswers: answers.map(toPreChatAnswerDto),
    visitorId: v.id,
    widgetId: v.widgetId,
    contactId: v.contactId,
    identified: !!v.identifiedAt,
    email: v.email,
    browser: v.browser,
    os: v.os,
    deviceType: v.deviceType,
    locale: v.locale,
    timezone: v.timezone,
    referrer: v.referrer,
    currentUrl: v.currentUrl,
    currentTitle: v.currentTitle,
    ip: v.ip,
    visitCount: v.visitCount,
    lastSeenAt: v.lastSeenAt,
    pages: pages.map((p) => ({ url: p.url, title: p.title, referrer: p.referrer, viewedAt: p.viewedAt })),
    events: events.map((e) => ({ name: e.name, properties: e.properties, occurredAt: e.occurredAt })),
  });
}

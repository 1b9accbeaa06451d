import type { PreChatAnswer, WidgetEvent, WidgetPageView, WidgetVisitor } from '../../channels/widget/entities';
import { answerText } from '../../channels/widget/prechat';
import { t, type UiLocale } from '../../common/i18n/i18n';

/** Pages shown before "n more": the panel stays compact. */
const PAGES_SHOWN = 5;
const EVENTS_SHOWN = 5;

export interface VisitorContext {
  visitor: WidgetVisitor;
  pages: WidgetPageView[];
  events: WidgetEvent[];
  answers?: PreChatAnswer[];
}

/**
 * What the side panels (chat panel, ticket page) show of a widget visitor: current page, referrer,
 * device, locale, visits, the newest pages viewed and tracked events, and the pre-chat answers labelled
 * in the agent's language. Values stay raw; templates escape.
 */
export function visitorContextView(ctx: VisitorContext | null, locale: UiLocale) {
  if (!ctx) return null;
  const v = ctx.visitor;
  return {
    currentUrl: v.currentUrl,
    currentTitle: v.currentTitle || v.currentUrl,
    referrer: v.referrer,
    device: [v.browser, v.os, v.deviceType].filter(Boolean).join(' · '),
    locale: v.locale,
    timezone: v.timezone,
    visitCount: v.visitCount,
    pages: ctx.pages.slice(0, PAGES_SHOWN).map((p) => ({ url: p.url, title: p.title || p.url, at: p.viewedAt })),
    morePages: Math.max(0, ctx.pages.length - PAGES_SHOWN),
    events: ctx.events.slice(0, EVENTS_SHOWN).map((e) => ({ name: e.name, at: e.occurredAt })),
    answers: (ctx.answers ?? []).map((a) => ({
      key: a.key,
      label: (locale === 'ko' && a.labelKo) || a.label,
      value: answerText(a, t(locale, 'chats.prechatYes')),
    })),
  };
}

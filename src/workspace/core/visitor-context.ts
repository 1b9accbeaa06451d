import type { WidgetEvent, WidgetPageView, WidgetVisitor } from '../../channels/widget/entities';

/** Pages shown before "n more": the panel stays compact. */
const PAGES_SHOWN = 5;
const EVENTS_SHOWN = 5;

export interface VisitorContext {
  visitor: WidgetVisitor;
  pages: WidgetPageView[];
  events: WidgetEvent[];
}

/**
 * What the side panels (chat panel, ticket page) show of a widget visitor: current page, referrer,
 * device, locale, visits, the newest pages viewed and tracked events. Values stay raw; templates escape.
 */
export function visitorContextView(ctx: VisitorContext | null) {
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
  };
}

import { contrastRatio, onColorFor } from '../../channels/widget/appearance';
import type { RuleData } from '../../channels/widget/rules-blocks.service';
import type { PreChatField, RuleAudience, Widget, WidgetLocale, WidgetMode } from '../../channels/widget/entities';
import type { WidgetData } from '../../channels/widget/widgets.service';
import { ValidationError } from '../../common/errors/domain-error';
import { str } from './admin';
import { parseCustomFields } from './prechat-form';

type Form = Record<string, unknown>;

export const MODES: WidgetMode[] = ['messaging', 'live_chat'];
export const LOCALES: WidgetLocale[] = ['auto', 'en', 'ko'];
export const PRECHAT_KEYS: Array<PreChatField['key']> = ['name', 'email', 'phone'];
export const AUDIENCES: RuleAudience[] = ['all', 'identified', 'anonymous'];

/** A form value that must be one of a few choices; anything else is a clear error, never a silent default. */
function oneOf<T extends string>(v: unknown, choices: readonly T[], field: string): T {
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  throw new ValidationError(`${field} must be one of ${choices.join(', ')}.`, { field });
}

/** A whole number in a range, from a form field that may be empty (null). */
export function intField(v: unknown, min: number, max: number, field: string): number | null {
  const s = str(v, 20).trim();
  if (!s) return null;
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new ValidationError(`${field} must be a whole number from ${min} to ${max}.`, { field, min, max });
  }
  return Number(s);
}

function required(v: unknown, max: number, field: string): string {
  const s = str(v, max + 1).trim();
  if (!s) throw new ValidationError(`${field} is required.`, { field });
  if (s.length > max) throw new ValidationError(`${field} is at most ${max} characters.`, { field, max });
  return s;
}

/** The name and mode asked for when a widget is created. */
export function parseNewWidget(body: Form): { name: string; mode: WidgetMode } {
  return { name: required(body.name, 100, 'name'), mode: oneOf(body.mode, MODES, 'mode') };
}

/** The editor's form: every setting of a widget (checkboxes absent mean off). */
export function parseWidgetForm(body: Form): WidgetData {
  const color = str(body.color, 7).toLowerCase();
  if (!/^#[0-9a-f]{6}$/.test(color)) throw new ValidationError('color must be like #4f46e5.', { field: 'color' });
  const minutes = intField(body.unreadEmailDelayMinutes, 0, 1440, 'unreadEmailDelayMinutes');
  return {
    name: required(body.name, 100, 'name'),
    mode: oneOf(body.mode, MODES, 'mode'),
    color,
    logoUrl: str(body.logoUrl, 2000).trim() || null,
    position: oneOf(body.position, ['left', 'right'] as const, 'position'),
    launcherText: str(body.launcherText, 40).trim(),
    greeting: str(body.greeting, 500).trim(),
    greetingKo: str(body.greetingKo, 500).trim(),
    locale: oneOf(body.locale, LOCALES, 'locale'),
    preChatFields: [
      ...PRECHAT_KEYS.filter((k) => body[`pre_${k}`] === 'on').map((key) => {
        const labelKo = str(body[`pre_${key}_labelKo`], 80).trim();
        return {
          key,
          label: str(body[`pre_${key}_label`], 80).trim() || key,
          ...(labelKo ? { labelKo } : {}),
          required: body[`pre_${key}_required`] === 'on',
        };
      }),
      ...parseCustomFields(body),
    ],
    requireIdentified: body.requireIdentified === 'on',
    businessHoursId: str(body.businessHoursId, 36) || null,
    groupId: str(body.groupId, 36) || null,
    unreadEmailDelaySeconds: (minutes ?? 3) * 60,
    inactivityMinutes: intField(body.inactivityMinutes, 1, 1440, 'inactivityMinutes') ?? 15,
    allowedOrigins: str(body.allowedOrigins, 5000)
      .split(/[\s,]+/)
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean)
      .slice(0, 21),
    isActive: body.isActive === 'on',
  };
}

export function parseRuleForm(body: Form): RuleData {
  return {
    name: required(body.name, 100, 'ruleName'),
    message: required(body.message, 1000, 'ruleMessage'),
    urlPattern: str(body.urlPattern, 500).trim() || null,
    minSecondsOnPage: intField(body.minSecondsOnPage, 0, 86400, 'minSecondsOnPage'),
    minVisitCount: intField(body.minVisitCount, 1, 10000, 'minVisitCount'),
    audience: oneOf(body.audience, AUDIENCES, 'audience'),
    isActive: body.isActive === 'on',
  };
}

/** WCAG AA for the launcher's text on the accent: 4.5:1 for normal text. */
export function contrastOf(color: string): { on: string; ratio: string; passes: boolean } {
  const { color: on } = onColorFor(color);
  const ratio = contrastRatio(color, on);
  return { on, ratio: ratio.toFixed(2), passes: ratio >= 4.5 };
}

/** What the editor shows for a widget's pre-chat form: all three fields, on or off. */
export function preChatRows(w: Widget) {
  return PRECHAT_KEYS.map((key) => {
    const f = w.preChatFields.find((p) => p.key === key);
    return { key, on: !!f, label: f?.label ?? '', labelKo: f?.labelKo ?? '', required: f?.required ?? false };
  });
}

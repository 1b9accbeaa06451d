import type { UiLocale } from '../../common/i18n/i18n';
import type { CustomFieldValue, TicketField } from '../../tickets/entities';
import { fieldLabel } from '../tickets/custom-fields-form';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Form = Record<string, unknown>;

/** The last value of a form field (a repeated name gives a list), trimmed and capped. */
export function one(body: Form, name: string, max = 500): string {
  const raw = body[name];
  const v: unknown = Array.isArray(raw) ? (raw as unknown[])[raw.length - 1] : raw;
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}

export function many(body: Form, name: string): string[] {
  const raw = body[name];
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((x): x is string => typeof x === 'string').slice(0, 50);
}

export const wordsOf = (v: string) =>
  v
    .split(/[,\s]+/)
    .filter(Boolean)
    .slice(0, 20);

/** One select or input per active custom field, named `cf_<key>`; empty means "leave alone" / "any". */
export interface FieldChoice {
  key: string;
  name: string;
  label: string;
  type: string;
  options: Array<{ value: string; label: string; selected: boolean }>;
  value: string;
}

export function fieldChoices(
  fields: TicketField[],
  values: Record<string, CustomFieldValue | undefined>,
  locale: UiLocale,
  yesNo: { yes: string; no: string },
): FieldChoice[] {
  return fields
    .filter((f) => f.active)
    .map((f) => {
      const current = values[f.key];
      const value = current === null || current === undefined ? '' : String(current);
      const options =
        f.type === 'checkbox'
          ? [
              { value: 'true', label: yesNo.yes },
              { value: 'false', label: yesNo.no },
            ]
          : f.options.map((o) => ({ value: o, label: o }));
      return {
        key: f.key,
        name: `cf_${f.key}`,
        label: fieldLabel(f, locale),
        type: f.type,
        options: options.map((o) => ({ ...o, selected: o.value === value })),
        value,
      };
    });
}

/** `cf_<key>` inputs back into values; empty ones are left out, numbers and booleans typed. */
export function fieldValuesOf(body: Form, fields: TicketField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields.filter((x) => x.active)) {
    const text = one(body, `cf_${f.key}`, 10_000);
    if (!text) continue;
    if (f.type === 'checkbox') out[f.key] = text === 'true';
    else if (f.type === 'number' && /^-?\d+(\.\d+)?$/.test(text)) out[f.key] = Number(text);
    else out[f.key] = text;
  }
  return out;
}

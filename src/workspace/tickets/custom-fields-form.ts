import type { UiLocale } from '../../common/i18n/i18n';
import type { CustomFieldValue, Ticket, TicketField, TicketForm } from '../../tickets/entities';

export interface FieldInput {
  key: string;
  name: string;
  label: string;
  type: string;
  required: boolean;
  options: string[];
  value: string;
  checked: boolean;
}

/** The fields a ticket shows: those of its form (or the default form), in form order; all active ones without forms. */
export function fieldsInEffect(
  ticket: Pick<Ticket, 'formId'>,
  fields: TicketField[],
  forms: TicketForm[],
): TicketField[] {
  const active = fields.filter((f) => f.active);
  const form =
    forms.find((f) => f.id === ticket.formId) ?? (ticket.formId ? undefined : forms.find((f) => f.isDefault));
  if (!form) return active.sort((a, b) => a.position - b.position);
  const byId = new Map(active.map((f) => [f.id, f]));
  return form.fieldIds.map((id) => byId.get(id)).filter((f): f is TicketField => !!f);
}

export function fieldLabel(f: Pick<TicketField, 'label' | 'labelKo'>, locale: UiLocale): string {
  return locale === 'ko' && f.labelKo ? f.labelKo : f.label;
}

export function fieldInputs(fields: TicketField[], values: Record<string, CustomFieldValue>, locale: UiLocale) {
  return fields.map((f): FieldInput => ({
    key: f.key,
    name: `cf_${f.key}`,
    label: fieldLabel(f, locale),
    type: f.type,
    required: f.required,
    options: f.options,
    value: values[f.key] === null || values[f.key] === undefined ? '' : String(values[f.key]),
    checked: values[f.key] === true,
  }));
}

/**
 * Form fields `cf_<key>` back into custom field values: empty clears, numbers are numbers,
 * checkboxes come as a hidden "false" plus the box's "true". The service validates them.
 */
export function parseFieldInputs(body: Record<string, unknown>, fields: TicketField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = body[`cf_${f.key}`];
    if (raw === undefined) continue;
    const value: unknown = Array.isArray(raw) ? (raw as unknown[])[raw.length - 1] : raw;
    const text = typeof value === 'string' ? value.trim() : '';
    if (f.type === 'checkbox') out[f.key] = text === 'true';
    else if (!text) out[f.key] = null;
    else if (f.type === 'number') out[f.key] = Number.isFinite(Number(text)) ? Number(text) : text;
    else out[f.key] = text;
  }
  return out;
}

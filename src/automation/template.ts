/**
 * Variables in canned responses and macro text: `{{contact.name}}`, `{{ticket.number}}` …
 * Deliberately not Handlebars: a fixed list of names looked up in a Map (no helpers, no
 * property paths into objects, no prototype access), one pass (a value that itself contains
 * `{{…}}` stays as typed), and unknown names left visible and reported, never an error.
 */

export const TEMPLATE_VARIABLES = [
  'contact.name',
  'contact.first_name',
  'contact.email',
  'agent.name',
  'agent.first_name',
  'agent.email',
  'ticket.number',
  'ticket.subject',
  'ticket.status',
  'ticket.priority',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateContext {
  contact?: { name: string | null; email: string | null } | null;
  agent?: { name: string; email: string } | null;
  ticket?: { number: number; subject: string; status: string; priority: string } | null;
}

export interface RenderedTemplate {
  text: string;
  /** Names in `{{…}}` that are not variables; they stay in the text as written. */
  unknown: string[];
}

/** Longest value a variable may insert (a hostile subject or name cannot blow up a reply). */
const MAX_VALUE = 500;
const PLACEHOLDER = /\{\{\s*([^{}]{0,60}?)\s*\}\}/g;

const firstName = (name: string | null | undefined) => (name ?? '').trim().split(/\s+/)[0] ?? '';

/** Control characters (but not tab/newline) and bidi overrides never come out of a variable. */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').slice(0, MAX_VALUE);
}

export function templateValues(ctx: TemplateContext): Map<TemplateVariable, string> {
  const values = new Map<TemplateVariable, string>();
  const set = (k: TemplateVariable, v: string | number | null | undefined) => values.set(k, clean(String(v ?? '')));
  set('contact.name', ctx.contact?.name);
  set('contact.first_name', firstName(ctx.contact?.name));
  set('contact.email', ctx.contact?.email);
  set('agent.name', ctx.agent?.name);
  set('agent.first_name', firstName(ctx.agent?.name));
  set('agent.email', ctx.agent?.email);
  set('ticket.number', ctx.ticket?.number);
  set('ticket.subject', ctx.ticket?.subject);
  set('ticket.status', ctx.ticket?.status);
  set('ticket.priority', ctx.ticket?.priority);
  return values;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"'`]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c] as string,
  );
}

/**
 * Fills the variables. `text` output is plain text for the composer (the message pipeline
 * escapes it like anything an agent types); `html` escapes the whole result, template included.
 */
export function renderTemplate(
  template: string,
  values: Map<TemplateVariable, string>,
  format: 'text' | 'html' = 'text',
): RenderedTemplate {
  const unknown = new Set<string>();
  // NUL marks substituted values below; text never carries it (PostgreSQL cannot store it anyway)
  // eslint-disable-next-line no-control-regex
  const out = template.replace(/\u0000/g, '').replace(PLACEHOLDER, (whole, raw: string) => {
    const name = raw.trim().toLowerCase() as TemplateVariable;
    const value = values.get(name);
    if (value === undefined) {
      unknown.add(raw.trim());
      return whole;
    }
    // kept apart from the escaping below so a value never becomes markup or a new placeholder
    return `\u0000${TEMPLATE_VARIABLES.indexOf(name)}\u0000`;
  });
  const escape = format === 'html' ? escapeHtml : (s: string) => s;
  const text = out
    // eslint-disable-next-line no-control-regex
    .split(/\u0000(\d+)\u0000/)
    .map((part, i) => (i % 2 ? escape(values.get(TEMPLATE_VARIABLES[Number(part)]) ?? '') : escape(part)))
    .join('');
  return { text, unknown: [...unknown] };
}

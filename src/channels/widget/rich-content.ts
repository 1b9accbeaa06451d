import { ValidationError } from '../../common/errors/domain-error';

/** Rich content agents and bots send, and what the visitor answers with. */
export type RichContent =
  | { type: 'quick_replies'; replies: Array<{ label: string; value: string }> }
  | { type: 'buttons'; buttons: LinkButton[] }
  | { type: 'carousel'; cards: Card[] }
  | { type: 'form'; fields: FormField[]; submitLabel: string }
  | { type: 'quick_reply_answer'; value: string }
  | { type: 'form_response'; replyTo: string; values: Record<string, string> };

interface LinkButton {
  label: string;
  url: string;
}
interface Card {
  title: string;
  subtitle: string;
  imageUrl: string | null;
  buttons: LinkButton[];
}
interface FormField {
  key: string;
  label: string;
  kind: 'text' | 'email' | 'number' | 'select';
  required: boolean;
  options: string[];
}

const AGENT_TYPES = ['quick_replies', 'buttons', 'carousel', 'form'];
const VISITOR_TYPES = ['quick_reply_answer', 'form_response'];

function fail(message: string): never {
  throw new ValidationError(`Rich content: ${message}`);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(`${what} must be an object.`);
  return v as Record<string, unknown>;
}

function str(v: unknown, what: string, max: number, optional = false): string {
  if (v === undefined || v === null || v === '') {
    if (optional) return '';
    fail(`${what} is required.`);
  }
  if (typeof v !== 'string') fail(`${what} must be text.`);
  const s = v.trim();
  if (s.length > max) fail(`${what} is longer than ${max} characters.`);
  return s;
}

function list(v: unknown, what: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) fail(`${what} needs ${min} to ${max} items.`);
  return v;
}

function url(v: unknown, what: string): string {
  const s = str(v, what, 2000);
  let parsed: URL;
  try {
    parsed = new URL(s);
  } catch {
    fail(`${what} is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') fail(`${what} must be an http(s) URL.`);
  return parsed.toString();
}

const button = (v: unknown, i: number): LinkButton => {
  const b = obj(v, `button ${i + 1}`);
  return { label: str(b.label, `button ${i + 1} label`, 40), url: url(b.url, `button ${i + 1} url`) };
};

function field(v: unknown, i: number): FormField {
  const f = obj(v, `field ${i + 1}`);
  const kind = f.kind ?? 'text';
  if (kind !== 'text' && kind !== 'email' && kind !== 'number' && kind !== 'select') {
    fail(`field ${i + 1} kind must be text, email, number or select.`);
  }
  const key = str(f.key, `field ${i + 1} key`, 40);
  if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(key)) fail(`field ${i + 1} key must be letters, digits and _.`);
  const options = kind === 'select' ? list(f.options, `field ${i + 1} options`, 1, 20) : [];
  return {
    key,
    label: str(f.label, `field ${i + 1} label`, 80),
    kind,
    required: f.required === true,
    options: options.map((o, j) => str(o, `option ${j + 1}`, 80)),
  };
}

/** Validates and normalises content (unknown keys dropped). `from` says who may send which types. */
export function parseRichContent(raw: unknown, from: 'agent' | 'visitor'): RichContent {
  const c = obj(raw, 'content');
  const allowed = from === 'agent' ? AGENT_TYPES : VISITOR_TYPES;
  if (typeof c.type !== 'string' || !allowed.includes(c.type)) {
    fail(`type must be one of ${allowed.join(', ')}.`);
  }
  switch (c.type) {
    case 'quick_replies':
      return {
        type: 'quick_replies',
        replies: list(c.replies, 'replies', 1, 10).map((r, i) => {
          const o = typeof r === 'string' ? { label: r } : obj(r, `reply ${i + 1}`);
          const label = str(o.label, `reply ${i + 1} label`, 40);
          return { label, value: str(o.value, `reply ${i + 1} value`, 200, true) || label };
        }),
      };
    case 'buttons':
      return { type: 'buttons', buttons: list(c.buttons, 'buttons', 1, 5).map(button) };
    case 'carousel':
      return {
        type: 'carousel',
        cards: list(c.cards, 'cards', 1, 10).map((v, i) => {
          const card = obj(v, `card ${i + 1}`);
          return {
            title: str(card.title, `card ${i + 1} title`, 80),
            subtitle: str(card.subtitle, `card ${i + 1} subtitle`, 300, true),
            imageUrl: card.imageUrl ? url(card.imageUrl, `card ${i + 1} image`) : null,
            buttons: card.buttons === undefined ? [] : list(card.buttons, `card ${i + 1} buttons`, 0, 3).map(button),
          };
        }),
      };
    case 'form':
      return {
        type: 'form',
        fields: list(c.fields, 'fields', 1, 8).map(field),
        submitLabel: str(c.submitLabel, 'submitLabel', 40, true) || 'Send',
      };
    case 'quick_reply_answer':
      return { type: 'quick_reply_answer', value: str(c.value, 'value', 200) };
    default: {
      const values = obj(c.values, 'values');
      const entries = Object.entries(values);
      if (entries.length > 8) fail('a form has at most 8 values.');
      return {
        type: 'form_response',
        replyTo: str(c.replyTo, 'replyTo', 20),
        values: Object.fromEntries(entries.map(([k, v]) => [k.slice(0, 40), str(v, k, 1000, true)])),
      };
    }
  }
}

/** A one-line text for content without a body (notifications, search, email). */
export function contentSummary(c: RichContent): string {
  switch (c.type) {
    case 'quick_replies':
      return c.replies.map((r) => `[${r.label}]`).join(' ');
    case 'buttons':
      return c.buttons.map((b) => `${b.label}: ${b.url}`).join('\n');
    case 'carousel':
      return c.cards.map((card) => card.title).join(' · ');
    case 'form':
      return c.fields.map((f) => f.label).join(', ');
    case 'quick_reply_answer':
      return c.value;
    case 'form_response':
      return Object.entries(c.values)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n');
  }
}

import { ValidationError } from '../../common/errors/domain-error';

/**
 * Pre-chat fields: the three built-in questions (name, email, phone, which go onto the visitor)
 * and the admin's own questions (`custom:<slug>`), whose answers are kept with the conversation.
 */
export type BuiltInPreChatKey = 'name' | 'email' | 'phone';
export type PreChatFieldType = 'text' | 'number' | 'select' | 'checkbox';

export interface PreChatField {
  /** name, email, phone or custom:<slug>. */
  key: string;
  label: string;
  /** Shown to visitors reading Korean; empty or absent uses `label`. */
  labelKo?: string;
  /** Custom fields only. */
  type?: PreChatFieldType;
  /** Select fields only: the choices, in order. */
  options?: string[];
  required: boolean;
}

export type PreChatValue = string | number | boolean;

/** One answer as stored with the conversation: the question as it was asked, and the value. */
export interface PreChatAnswer {
  key: string;
  label: string;
  labelKo: string;
  type: PreChatFieldType;
  value: PreChatValue;
}

export const BUILT_IN_KEYS: readonly BuiltInPreChatKey[] = ['name', 'email', 'phone'];
export const FIELD_TYPES: readonly PreChatFieldType[] = ['text', 'number', 'select', 'checkbox'];
export const MAX_FIELDS = 10;
export const MAX_OPTIONS = 20;
export const MAX_LABEL = 80;
export const MAX_TEXT_ANSWER = 500;
const SLUG = /^[a-z0-9_]{1,40}$/;

export const isCustomKey = (key: string): key is `custom:${string}` => key.startsWith('custom:');

/** `reason` picks the admin page's translated message (widgets.invalid.preChatFields.<reason>). */
type FieldProblem = 'count' | 'duplicate' | 'label' | 'key' | 'type' | 'options';

function invalid(message: string, field: string, reason: FieldProblem, extra: Record<string, unknown> = {}): never {
  throw new ValidationError(message, { field: 'preChatFields', preChatField: field, reason, ...extra });
}

/** Checks the admin's list and returns it cleaned (trimmed labels, no stray type/options on built-ins). */
export function validatePreChatFields(fields: readonly PreChatField[]): PreChatField[] {
  if (fields.length > MAX_FIELDS) invalid(`At most ${MAX_FIELDS} pre-chat fields.`, 'preChatFields', 'count');
  const seen = new Set<string>();
  return fields.map((f) => {
    const key = String(f.key ?? '');
    if (seen.has(key))
      invalid(`Pre-chat field "${key}" appears twice; each field can be asked once.`, key, 'duplicate');
    seen.add(key);
    const label = (f.label ?? '').trim();
    const labelKo = (f.labelKo ?? '').trim();
    if (!label) invalid(`Pre-chat field "${key}" needs a label.`, key, 'label');
    if (label.length > MAX_LABEL || labelKo.length > MAX_LABEL) {
      invalid(`The labels of pre-chat field "${key}" are at most ${MAX_LABEL} characters.`, key, 'label');
    }
    const base = { label, ...(labelKo ? { labelKo } : {}), required: !!f.required };
    if ((BUILT_IN_KEYS as readonly string[]).includes(key)) return { key: key as BuiltInPreChatKey, ...base };
    if (!isCustomKey(key) || !SLUG.test(key.slice(7))) {
      invalid(
        `Pre-chat field key "${key}" must be name, email, phone or custom:<slug> (a–z, 0–9 and _, 1 to 40).`,
        key,
        'key',
      );
    }
    if (!f.type || !FIELD_TYPES.includes(f.type)) {
      invalid(`Pre-chat field "${key}" needs a type: ${FIELD_TYPES.join(', ')}.`, key, 'type');
    }
    if (f.type !== 'select') {
      if (f.options?.length) invalid(`Only select fields have options ("${key}" is ${f.type}).`, key, 'options');
      return { key, type: f.type, ...base };
    }
    const options = (f.options ?? []).map((o) => String(o).trim());
    if (!options.length) invalid(`Select field "${key}" needs at least one option.`, key, 'options');
    if (options.length > MAX_OPTIONS)
      invalid(`Select field "${key}" has at most ${MAX_OPTIONS} options.`, key, 'options');
    const bad = options.find((o) => !o || o.length > MAX_LABEL);
    if (bad !== undefined)
      invalid(`Options of "${key}" are 1 to ${MAX_LABEL} characters.`, key, 'options', { option: bad });
    if (new Set(options).size !== options.length) invalid(`Options of "${key}" must differ.`, key, 'options');
    return { key, type: 'select', options, ...base };
  });
}

function answerInvalid(message: string, key: string): never {
  throw new ValidationError(message, { field: 'preChatAnswers', preChatField: key });
}

/** Empty text, null and an unticked box all mean "not answered". */
function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === false || (typeof v === 'string' && !v.trim());
}

function coerce(field: PreChatField, raw: unknown): PreChatValue {
  const name = `"${field.label}"`;
  switch (field.type ?? 'text') {
    case 'text':
      if (typeof raw !== 'string') answerInvalid(`${name} must be text.`, field.key);
      if (raw.trim().length > MAX_TEXT_ANSWER) {
        answerInvalid(`${name} is at most ${MAX_TEXT_ANSWER} characters.`, field.key);
      }
      return raw.trim();
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw.trim()) : NaN;
      if (!Number.isFinite(n) || Math.abs(n) > 1e15) answerInvalid(`${name} must be a number.`, field.key);
      return n;
    }
    case 'select':
      if (typeof raw !== 'string' || !(field.options ?? []).includes(raw)) {
        answerInvalid(`${name} must be one of: ${(field.options ?? []).join(', ')}.`, field.key);
      }
      return raw;
    case 'checkbox':
      if (raw !== true) answerInvalid(`${name} must be true or false.`, field.key);
      return true;
  }
}

/**
 * A visitor's answers to the widget's custom fields, checked and snapshotted with their labels.
 * Keys that are not custom fields of this widget are refused, so typos never pass silently.
 */
export function validatePreChatAnswers(fields: readonly PreChatField[], answers: unknown): PreChatAnswer[] {
  if (answers !== undefined && answers !== null && (typeof answers !== 'object' || Array.isArray(answers))) {
    answerInvalid('preChatAnswers must be an object of field keys and values.', 'preChatAnswers');
  }
  const given = (answers ?? {}) as Record<string, unknown>;
  const custom = fields.filter((f) => isCustomKey(f.key));
  for (const key of Object.keys(given)) {
    if (!custom.some((f) => f.key === key)) {
      answerInvalid(`"${key.slice(0, 60)}" is not a custom pre-chat field of this widget.`, key.slice(0, 60));
    }
  }
  const out: PreChatAnswer[] = [];
  for (const f of custom) {
    const raw = given[f.key];
    if (isBlank(raw)) {
      if (f.required) answerInvalid(`"${f.label}" ${f.type === 'checkbox' ? 'must be ticked' : 'is required'}.`, f.key);
      continue;
    }
    const value = coerce(f, raw);
    out.push({ key: f.key, label: f.label, labelKo: f.labelKo ?? '', type: f.type ?? 'text', value });
  }
  return out;
}

/** An answer as people read it: `yes` for a ticked box, the number or the text as given. */
export function answerText(a: PreChatAnswer, yes: string): string {
  return a.type === 'checkbox' ? yes : String(a.value);
}

import { ValidationError } from '../common/errors/domain-error';
import type { CustomFieldValue, TicketField, TicketFieldType, TicketFieldValidation } from './entities';

/** The parts of a field definition that value validation needs. */
export type FieldRules = Pick<TicketField, 'key' | 'label' | 'type' | 'options' | 'required' | 'validation' | 'active'>;

export const FIELD_TYPES: readonly TicketFieldType[] = ['text', 'number', 'date', 'dropdown', 'checkbox'];
export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const MAX_TEXT_LENGTH = 10_000;
export const MAX_PATTERN_LENGTH = 200;
/** Values checked against a pattern are at most this long, which bounds the regex work (see `patternProblem`). */
export const MAX_PATTERNED_VALUE_LENGTH = 256;
export const MAX_OPTIONS = 500;
export const MAX_OPTION_LENGTH = 200;
/** Quantifiers without a small upper bound; three adjacent ones cost ~10 ms on 256 characters, four cost seconds. */
const MAX_OPEN_QUANTIFIERS = 3;
const SMALL_REPEAT = 20;

interface GroupScan {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

/**
 * Why a validation pattern is refused, or null when it is acceptable. Node's regex engine
 * backtracks, so we refuse the shapes that make it exponential (a quantified group that itself
 * contains a quantifier or an alternation: `(a+)+`, `(a|aa)*`), back-references and look-arounds,
 * and more than three open-ended quantifiers (polynomial blow-up). Patterns always match the whole
 * value and values are capped at 256 characters, so the worst accepted case stays around 10 ms.
 */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return 'is not a valid regular expression';
  }
  const stack: GroupScan[] = [{ hasQuantifier: false, hasAlternation: false }];
  let open = 0;
  let lastGroup: GroupScan | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const justClosed = lastGroup;
    lastGroup = null;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9k]/.test(next)) return 'uses a back-reference';
      i++;
      continue;
    }
    if (ch === '[') {
      i = endOfClass(pattern, i);
      continue;
    }
    if (ch === '(') {
      if (/^\(\?<?[=!]/.test(pattern.slice(i, i + 4))) return 'uses a look-around';
      stack.push({ hasQuantifier: false, hasAlternation: false });
      continue;
    }
    if (ch === ')') {
      const group = stack.pop() as GroupScan;
      const parent = stack[stack.length - 1];
      parent.hasQuantifier ||= group.hasQuantifier;
      parent.hasAlternation ||= group.hasAlternation;
      lastGroup = group;
      continue;
    }
    if (ch === '|') {
      stack[stack.length - 1].hasAlternation = true;
      continue;
    }
    const quantifier = quantifierAt(pattern, i);
    if (!quantifier) continue;
    if (justClosed && quantifier.max > 1 && (justClosed.hasQuantifier || justClosed.hasAlternation)) {
      return 'repeats a group that contains a repetition or an alternation (catastrophic backtracking)';
    }
    stack[stack.length - 1].hasQuantifier = true;
    if (quantifier.max > SMALL_REPEAT) open++;
    if (open > MAX_OPEN_QUANTIFIERS) return `has more than ${MAX_OPEN_QUANTIFIERS} open-ended repetitions`;
    i += quantifier.length - 1;
    if (pattern[i + 1] === '?') i++; // lazy modifier
  }
  return null;
}

function endOfClass(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}

function quantifierAt(pattern: string, i: number): { length: number; max: number } | null {
  const ch = pattern[i];
  if (ch === '*' || ch === '+') return { length: 1, max: Infinity };
  if (ch === '?') return { length: 1, max: 1 };
  if (ch !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
  if (!m) return null;
  const max = m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Infinity;
  return { length: m[0].length, max };
}

export interface FieldDefinition {
  type: TicketFieldType;
  options: string[];
  validation: TicketFieldValidation;
}

/** Checks and normalises the type-specific parts of a field definition. */
export function validateFieldDefinition(def: {
  type: TicketFieldType;
  options?: string[] | null;
  validation?: TicketFieldValidation | null;
}): FieldDefinition {
  const v = def.validation ?? {};
  const validation: TicketFieldValidation = {};
  const options: string[] = [];
  if (def.type === 'dropdown') {
    for (const raw of def.options ?? []) {
      const option = raw.trim();
      if (!option) continue;
      if (option.length > MAX_OPTION_LENGTH) throw new ValidationError(`Option "${option.slice(0, 20)}…" is too long.`);
      if (!options.includes(option)) options.push(option);
    }
    if (!options.length) throw new ValidationError('A dropdown field needs at least one option.');
    if (options.length > MAX_OPTIONS) throw new ValidationError(`A dropdown can have at most ${MAX_OPTIONS} options.`);
  } else if (def.options?.length) {
    throw new ValidationError('Only dropdown fields have options.');
  }
  if (v.min !== undefined || v.max !== undefined) {
    if (def.type !== 'number') throw new ValidationError('min and max apply to number fields only.');
    if (v.min !== undefined && !Number.isFinite(v.min)) throw new ValidationError('min must be a finite number.');
    if (v.max !== undefined && !Number.isFinite(v.max)) throw new ValidationError('max must be a finite number.');
    if (v.min !== undefined && v.max !== undefined && v.min > v.max) {
      throw new ValidationError('min cannot be greater than max.');
    }
    if (v.min !== undefined) validation.min = v.min;
    if (v.max !== undefined) validation.max = v.max;
  }
  if (v.maxLength !== undefined || v.pattern !== undefined) {
    if (def.type !== 'text') throw new ValidationError('maxLength and pattern apply to text fields only.');
    if (v.maxLength !== undefined) {
      if (!Number.isInteger(v.maxLength) || v.maxLength < 1 || v.maxLength > MAX_TEXT_LENGTH) {
        throw new ValidationError(`maxLength must be a whole number from 1 to ${MAX_TEXT_LENGTH}.`);
      }
      validation.maxLength = v.maxLength;
    }
    if (v.pattern !== undefined && v.pattern !== '') {
      const problem = patternProblem(v.pattern);
      if (problem) throw new ValidationError(`The pattern ${problem}.`, { pattern: v.pattern });
      validation.pattern = v.pattern;
    }
  }
  return { type: def.type, options, validation };
}

function invalid(field: FieldRules, why: string): ValidationError {
  return new ValidationError(`Custom field "${field.key}" ${why}.`, { field: field.key });
}

/** A real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Checks one value against its field and returns it normalised; null means "no value". */
export function validateFieldValue(field: FieldRules, raw: unknown): CustomFieldValue {
  if (raw === null || raw === undefined) return null;
  switch (field.type) {
    case 'text': {
      if (typeof raw !== 'string') throw invalid(field, 'must be text');
      const value = raw.trim();
      if (!value) return null;
      const maxLength = field.validation.maxLength ?? MAX_TEXT_LENGTH;
      if (value.length > maxLength) throw invalid(field, `must be at most ${maxLength} characters`);
      if (field.validation.pattern) {
        if (value.length > MAX_PATTERNED_VALUE_LENGTH) {
          throw invalid(field, `must be at most ${MAX_PATTERNED_VALUE_LENGTH} characters`);
        }
        if (!new RegExp(`^(?:${field.validation.pattern})$`, 'u').test(value)) {
          throw invalid(field, 'does not have the expected format');
        }
      }
      return value;
    }
    case 'number': {
      const value = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a finite number');
      const { min, max } = field.validation;
      if (min !== undefined && value < min) throw invalid(field, `must be at least ${min}`);
      if (max !== undefined && value > max) throw invalid(field, `must be at most ${max}`);
      return value;
    }
    case 'date': {
      if (typeof raw !== 'string') throw invalid(field, 'must be a date written as YYYY-MM-DD');
      if (!raw.trim()) return null;
      if (!isIsoDate(raw.trim())) throw invalid(field, 'must be a real date written as YYYY-MM-DD');
      return raw.trim();
    }
    case 'dropdown': {
      if (typeof raw !== 'string') throw invalid(field, 'must be one of its options');
      if (!raw) return null;
      if (!field.options.includes(raw)) throw invalid(field, `must be one of: ${field.options.join(', ')}`);
      return raw;
    }
    case 'checkbox':
      if (typeof raw !== 'boolean') throw invalid(field, 'must be true or false');
      return raw;
  }
}

/**
 * Merges input into the current values: each given key is validated against its (active) field,
 * null clears it, keys not given keep their value. Unknown or inactive keys fail, naming the key.
 */
export function mergeCustomFields(
  fields: readonly FieldRules[],
  current: Readonly<Record<string, CustomFieldValue>>,
  input: Readonly<Record<string, unknown>>,
): Record<string, CustomFieldValue> {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const next: Record<string, CustomFieldValue> = { ...current };
  for (const [key, raw] of Object.entries(input)) {
    const field = byKey.get(key);
    if (raw === null && key in next) {
      delete next[key];
      continue;
    }
    if (!field || !field.active) {
      throw new ValidationError(`Unknown custom field "${key}".`, { field: key });
    }
    const value = validateFieldValue(field, raw);
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Required fields without a value; a required checkbox must be ticked (as in Zendesk). */
export function missingRequiredFields(
  fields: readonly FieldRules[],
  values: Readonly<Record<string, CustomFieldValue>>,
): FieldRules[] {
  return fields.filter((f) => {
    if (!f.required || !f.active) return false;
    const value = values[f.key];
    return f.type === 'checkbox' ? value !== true : value === null || value === undefined || value === '';
  });
}

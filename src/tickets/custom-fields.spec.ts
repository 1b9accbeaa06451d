import {
  isIsoDate,
  mergeCustomFields,
  missingRequiredFields,
  patternProblem,
  validateFieldDefinition,
  validateFieldValue,
  type FieldRules,
} from './custom-fields';

const field = (over: Partial<FieldRules>): FieldRules => ({
  key: 'f',
  label: 'F',
  type: 'text',
  options: [],
  required: false,
  validation: {},
  active: true,
  ...over,
});

const codeOf = (fn: () => unknown): { code?: string; message?: string; details?: Record<string, unknown> } => {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; message?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected an error');
};

describe('custom field values', () => {
  it('text: trims, enforces maxLength and a whole-value pattern', () => {
    const order = field({ key: 'order_no', validation: { maxLength: 12, pattern: '[A-Z]{2}-\\d{4,8}' } });
    expect(validateFieldValue(order, '  AB-12345 ')).toBe('AB-12345');
    expect(codeOf(() => validateFieldValue(order, 'xAB-12345')).message).toMatch(/order_no.*format/);
    expect(codeOf(() => validateFieldValue(order, 'AB-1234567890')).message).toMatch(/at most 12/);
    expect(codeOf(() => validateFieldValue(order, 42)).code).toBe('VALIDATION_FAILED');
    expect(validateFieldValue(order, '   ')).toBeNull();
  });

  it('number: finite, within min and max, numeric strings accepted', () => {
    const qty = field({ key: 'qty', type: 'number', validation: { min: 1, max: 10 } });
    expect(validateFieldValue(qty, 3)).toBe(3);
    expect(validateFieldValue(qty, '4.5')).toBe(4.5);
    expect(codeOf(() => validateFieldValue(qty, 0)).message).toMatch(/at least 1/);
    expect(codeOf(() => validateFieldValue(qty, 11)).message).toMatch(/at most 10/);
    expect(codeOf(() => validateFieldValue(qty, Infinity)).message).toMatch(/finite/);
    expect(codeOf(() => validateFieldValue(qty, 'ten')).message).toMatch(/finite/);
  });

  it('date: YYYY-MM-DD and a real calendar day', () => {
    const due = field({ key: 'due', type: 'date' });
    expect(validateFieldValue(due, '2024-02-29')).toBe('2024-02-29');
    expect(codeOf(() => validateFieldValue(due, '2023-02-29')).message).toMatch(/real date/);
    expect(codeOf(() => validateFieldValue(due, '2024-13-01')).message).toMatch(/real date/);
    expect(codeOf(() => validateFieldValue(due, '29/02/2024')).message).toMatch(/YYYY-MM-DD/);
    expect(isIsoDate('0000-01-01')).toBe(false);
  });

  it('dropdown: one of the options; checkbox: a boolean', () => {
    const plan = field({ key: 'plan', type: 'dropdown', options: ['free', 'pro'] });
    expect(validateFieldValue(plan, 'pro')).toBe('pro');
    expect(codeOf(() => validateFieldValue(plan, 'gold')).message).toMatch(/one of: free, pro/);
    const vip = field({ key: 'vip', type: 'checkbox' });
    expect(validateFieldValue(vip, false)).toBe(false);
    expect(codeOf(() => validateFieldValue(vip, 'yes')).message).toMatch(/true or false/);
  });

  it('merges: null clears, other keys are kept, unknown and inactive keys are named', () => {
    const fields = [field({ key: 'a' }), field({ key: 'b', type: 'number' }), field({ key: 'old', active: false })];
    expect(mergeCustomFields(fields, { a: 'x', b: 1 }, { b: 2 })).toEqual({ a: 'x', b: 2 });
    expect(mergeCustomFields(fields, { a: 'x', b: 1 }, { a: null })).toEqual({ b: 1 });
    expect(mergeCustomFields(fields, { old: 'kept' }, { a: 'y' })).toEqual({ old: 'kept', a: 'y' });
    expect(mergeCustomFields(fields, { old: 'v' }, { old: null })).toEqual({});
    const unknown = codeOf(() => mergeCustomFields(fields, {}, { nope: 1 }));
    expect(unknown).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'nope' } });
    expect(unknown.message).toContain('"nope"');
    expect(codeOf(() => mergeCustomFields(fields, {}, { old: 'v' })).details).toEqual({ field: 'old' });
  });

  it('lists required fields without a value; a required checkbox must be ticked', () => {
    const fields = [
      field({ key: 'reason', required: true }),
      field({ key: 'agree', type: 'checkbox', required: true }),
      field({ key: 'note' }),
      field({ key: 'gone', required: true, active: false }),
    ];
    expect(missingRequiredFields(fields, {}).map((f) => f.key)).toEqual(['reason', 'agree']);
    expect(missingRequiredFields(fields, { reason: 'x', agree: false }).map((f) => f.key)).toEqual(['agree']);
    expect(missingRequiredFields(fields, { reason: 'x', agree: true })).toEqual([]);
  });
});

describe('custom field definitions', () => {
  it('normalises dropdown options and rejects options on other types', () => {
    expect(validateFieldDefinition({ type: 'dropdown', options: [' a ', 'b', 'a', ''] }).options).toEqual(['a', 'b']);
    expect(codeOf(() => validateFieldDefinition({ type: 'dropdown', options: [] })).message).toMatch(/at least one/);
    expect(codeOf(() => validateFieldDefinition({ type: 'text', options: ['x'] })).message).toMatch(/Only dropdown/);
  });

  it('checks that rules fit the type and make sense', () => {
    expect(codeOf(() => validateFieldDefinition({ type: 'number', validation: { min: 5, max: 1 } })).message).toMatch(
      /min cannot be greater/,
    );
    expect(codeOf(() => validateFieldDefinition({ type: 'text', validation: { min: 1 } })).message).toMatch(/number/);
    expect(codeOf(() => validateFieldDefinition({ type: 'number', validation: { pattern: 'x' } })).message).toMatch(
      /text fields/,
    );
    expect(codeOf(() => validateFieldDefinition({ type: 'text', validation: { maxLength: 0 } })).message).toMatch(
      /maxLength/,
    );
  });

  it('accepts ordinary patterns', () => {
    for (const p of [
      '[A-Z]{2}-\\d{4,8}',
      '\\+?\\d{7,15}',
      '[^@\\s]+@[^@\\s]+\\.[^@\\s]+',
      '(?:KR|US)?-\\d+',
      '(\\d+)?x',
      'a|b',
    ]) {
      expect(patternProblem(p)).toBeNull();
    }
  });

  it('refuses patterns that can backtrack catastrophically, without running them', () => {
    expect(patternProblem('(a+)+')).toMatch(/catastrophic/);
    expect(patternProblem('(\\w+\\s?)*')).toMatch(/catastrophic/);
    expect(patternProblem('(a|aa)*')).toMatch(/catastrophic/);
    expect(patternProblem('((ab)*c){2,}')).toMatch(/catastrophic/);
    expect(patternProblem('\\d+\\d+\\d+\\d+')).toMatch(/open-ended/);
    expect(patternProblem('(a)\\1')).toMatch(/back-reference/);
    expect(patternProblem('(?=a)a')).toMatch(/look-around/);
    expect(patternProblem('[')).toMatch(/not a valid/);
    expect(patternProblem('a'.repeat(201))).toMatch(/longer/);
  });

  it('keeps the worst accepted pattern fast on the longest accepted value', () => {
    const worst = field({ validation: { pattern: 'a*a*a*b' } });
    expect(patternProblem('a*a*a*b')).toBeNull();
    const started = process.hrtime.bigint();
    expect(() => validateFieldValue(worst, 'a'.repeat(256))).toThrow(/format/);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
    expect(() => validateFieldValue(worst, 'a'.repeat(257))).toThrow(/at most 256/);
  });
});

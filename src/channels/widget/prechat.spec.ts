import { DomainError } from '../../common/errors/domain-error';
import { validatePreChatAnswers, validatePreChatFields, type PreChatField } from './prechat';

const FIELDS: PreChatField[] = [
  { key: 'email', label: 'Email', required: true },
  { key: 'custom:order', type: 'text', label: 'Order number', labelKo: '주문 번호', required: true },
  { key: 'custom:topic', type: 'select', label: 'Topic', options: ['Billing', 'Shipping', 'Other'], required: false },
  { key: 'custom:size', type: 'number', label: 'Company size', required: false },
  { key: 'custom:agree', type: 'checkbox', label: 'I agree to the privacy policy', required: true },
];

/** The error a call throws, as the API reports it: code, message, details. */
function failure(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('pre-chat fields (admin)', () => {
  it('keeps built-in and custom fields, trimming labels and dropping stray parts', () => {
    const out = validatePreChatFields([
      { key: 'name', label: ' Name ', required: false, type: 'number', options: ['x'] },
      {
        key: 'custom:topic',
        type: 'select',
        label: 'Topic',
        labelKo: ' 주제 ',
        options: [' Billing ', 'Other'],
        required: true,
      },
    ]);
    expect(out).toEqual([
      { key: 'name', label: 'Name', required: false },
      {
        key: 'custom:topic',
        type: 'select',
        label: 'Topic',
        labelKo: '주제',
        options: ['Billing', 'Other'],
        required: true,
      },
    ]);
    expect(validatePreChatFields(FIELDS)).toHaveLength(5);
  });

  it.each([
    [{ key: 'custom:Order', type: 'text', label: 'x', required: false }, 'custom:Order', 'key'],
    [{ key: 'custom:', type: 'text', label: 'x', required: false }, 'custom:', 'key'],
    [{ key: `custom:${'a'.repeat(41)}`, type: 'text', label: 'x', required: false }, `custom:${'a'.repeat(41)}`, 'key'],
    [{ key: 'company', type: 'text', label: 'x', required: false }, 'company', 'key'],
    [{ key: 'custom:a', label: 'x', required: false }, 'custom:a', 'type'],
    [{ key: 'custom:a', type: 'text', label: '  ', required: false }, 'custom:a', 'label'],
    [{ key: 'custom:a', type: 'text', label: 'x'.repeat(81), required: false }, 'custom:a', 'label'],
    [{ key: 'custom:a', type: 'text', label: 'x', labelKo: '가'.repeat(81), required: false }, 'custom:a', 'label'],
    [{ key: 'custom:a', type: 'select', label: 'x', options: [], required: false }, 'custom:a', 'options'],
    [
      { key: 'custom:a', type: 'select', label: 'x', options: ['o'.repeat(81)], required: false },
      'custom:a',
      'options',
    ],
    [{ key: 'custom:a', type: 'select', label: 'x', options: ['a', 'a'], required: false }, 'custom:a', 'options'],
    [{ key: 'custom:a', type: 'text', label: 'x', options: ['a'], required: false }, 'custom:a', 'options'],
  ] as Array<[PreChatField, string, string]>)('refuses bad field #%#, naming it', (field, key, reason) => {
    const err = failure(() => validatePreChatFields([field]));
    expect(err).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'preChatFields', preChatField: key, reason },
    });
    expect(err.message).toContain(key === 'company' ? '"company"' : key);
  });

  it('refuses more than 10 fields, 21 options and a key asked twice', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({
      key: `custom:f${i}`,
      type: 'text' as const,
      label: 'x',
      required: false,
    }));
    expect(validatePreChatFields(many.slice(0, 10))).toHaveLength(10);
    expect(failure(() => validatePreChatFields(many)).details.reason).toBe('count');
    const options = Array.from({ length: 21 }, (_, i) => `o${i}`);
    const select = { key: 'custom:s', type: 'select' as const, label: 'x', required: false };
    expect(validatePreChatFields([{ ...select, options: options.slice(0, 20) }])).toHaveLength(1);
    expect(failure(() => validatePreChatFields([{ ...select, options }])).message).toContain('at most 20 options');
    const twice = failure(() => validatePreChatFields([FIELDS[1], { ...FIELDS[1], label: 'Again' }]));
    expect(twice.details).toMatchObject({ preChatField: 'custom:order', reason: 'duplicate' });
  });
});

describe('pre-chat answers (visitor)', () => {
  it('checks and snapshots the answers with their labels; blanks of optional fields are left out', () => {
    const answers = validatePreChatAnswers(FIELDS, {
      'custom:order': ' A-1024 ',
      'custom:topic': 'Shipping',
      'custom:size': '250',
      'custom:agree': true,
    });
    expect(answers).toEqual([
      { key: 'custom:order', label: 'Order number', labelKo: '주문 번호', type: 'text', value: 'A-1024' },
      { key: 'custom:topic', label: 'Topic', labelKo: '', type: 'select', value: 'Shipping' },
      { key: 'custom:size', label: 'Company size', labelKo: '', type: 'number', value: 250 },
      { key: 'custom:agree', label: 'I agree to the privacy policy', labelKo: '', type: 'checkbox', value: true },
    ]);
    const minimal = validatePreChatAnswers(FIELDS, { 'custom:order': 'A', 'custom:topic': '', 'custom:agree': true });
    expect(minimal.map((a) => a.key)).toEqual(['custom:order', 'custom:agree']);
  });

  it('needs no answers when no custom field is required', () => {
    expect(validatePreChatAnswers([FIELDS[0], FIELDS[2]], undefined)).toEqual([]);
  });

  it.each([
    [{ 'custom:agree': true }, 'custom:order', '"Order number" is required.'],
    [{ 'custom:order': 'A' }, 'custom:agree', '"I agree to the privacy policy" must be ticked.'],
    [{ 'custom:order': 'A', 'custom:agree': false }, 'custom:agree', 'must be ticked'],
    [{ 'custom:order': 'A', 'custom:agree': 'yes' }, 'custom:agree', 'must be true or false'],
    [
      { 'custom:order': 'A', 'custom:agree': true, 'custom:topic': 'Refunds' },
      'custom:topic',
      'one of: Billing, Shipping, Other',
    ],
    [{ 'custom:order': 'A', 'custom:agree': true, 'custom:size': 'many' }, 'custom:size', 'must be a number'],
    [{ 'custom:order': 42, 'custom:agree': true }, 'custom:order', 'must be text'],
    [{ 'custom:order': 'x'.repeat(501), 'custom:agree': true }, 'custom:order', 'at most 500 characters'],
    [
      { 'custom:order': 'A', 'custom:agree': true, 'custom:color': 'red' },
      'custom:color',
      'not a custom pre-chat field',
    ],
    [{ 'custom:order': 'A', 'custom:agree': true, email: 'a@b.co' }, 'email', 'not a custom pre-chat field'],
  ])('refuses %j naming %s', (answers, key, message) => {
    const err = failure(() => validatePreChatAnswers(FIELDS, answers));
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'preChatAnswers', preChatField: key } });
    expect(err.message).toContain(message);
  });

  it('refuses answers that are not an object', () => {
    for (const bad of ['x', 3, ['custom:order']]) {
      expect(failure(() => validatePreChatAnswers(FIELDS, bad)).message).toContain('must be an object');
    }
  });
});

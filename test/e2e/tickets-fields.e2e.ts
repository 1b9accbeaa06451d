import { factories } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

interface FieldView {
  id: string;
  key: string;
  type: string;
  options: string[];
  required: boolean;
  active: boolean;
  validation: { min: number | null; max: number | null; maxLength: number | null; pattern: string | null };
}
interface TicketView {
  id: string;
  status: string;
  customFields: Record<string, unknown>;
  form: { id: string; name: string } | null;
}

const FIELD = 'id key label labelKo type options required active position validation { min max maxLength pattern }';
const TICKET = 'id status customFields form { id name }';

describe('tickets: custom fields and forms', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: string;
  let agent: string;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = (await f.agent({ role: 'admin' })).token;
    agent = (await f.agent()).token;
  });
  afterAll(async () => app.stop());

  const createField = async (input: Record<string, unknown>, token = admin) =>
    app.gql<{ createTicketField: FieldView }>(
      `mutation($i: CreateTicketFieldInput!) { createTicketField(input: $i) { ${FIELD} } }`,
      { i: input },
      { token },
    );
  const field = async (input: Record<string, unknown>) => {
    const r = await createField(input);
    expect(r.errors).toBeUndefined();
    return r.data!.createTicketField;
  };
  const createForm = async (input: Record<string, unknown>, token = admin) =>
    app.gql<{ createTicketForm: { id: string; isDefault: boolean; fields: Array<{ key: string }> } }>(
      `mutation($i: CreateTicketFormInput!) { createTicketForm(input: $i) { id isDefault fields { key } } }`,
      { i: input },
      { token },
    );
  const createTicket = (input: Record<string, unknown>, token = agent) =>
    app.gql<{ createTicket: TicketView }>(
      `mutation($i: CreateTicketInput!) { createTicket(input: $i) { ${TICKET} } }`,
      { i: { subject: 'Fields', requester: { email: 'fields@example.com' }, ...input } },
      { token },
    );
  const update = (input: Record<string, unknown>, token = agent) =>
    app.gql<{ updateTicket: TicketView }>(
      `mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { ${TICKET} } }`,
      { i: input },
      { token },
    );
  const codeOf = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0]?.extensions?.code;

  let orderNo: FieldView;
  let quantity: FieldView;
  let due: FieldView;
  let plan: FieldView;

  it('lets admins define fields of every type, with their rules', async () => {
    orderNo = await field({
      key: 'order_no',
      label: 'Order number',
      labelKo: '주문 번호',
      type: 'text',
      validation: { maxLength: 20, pattern: '[A-Z]{2}-\\d{4,8}' },
    });
    quantity = await field({ key: 'quantity', label: 'Quantity', type: 'number', validation: { min: 1, max: 99 } });
    due = await field({ key: 'due', label: 'Due', type: 'date' });
    plan = await field({ key: 'plan', label: 'Plan', type: 'dropdown', options: ['free', 'pro', 'pro', ' '] });
    await field({ key: 'vip', label: 'VIP', type: 'checkbox' });
    expect(orderNo.validation).toEqual({ min: null, max: null, maxLength: 20, pattern: '[A-Z]{2}-\\d{4,8}' });
    expect(plan.options).toEqual(['free', 'pro']);

    const list = await app.gql<{ ticketFields: FieldView[] }>(`{ ticketFields { key } }`, {}, { token: agent });
    expect(list.data!.ticketFields.map((x) => x.key)).toEqual(['order_no', 'quantity', 'due', 'plan', 'vip']);
  });

  it('refuses bad definitions, duplicate keys and non-admins', async () => {
    expect(codeOf(await createField({ key: 'x1', label: 'X', type: 'text' }, agent))).toBe('FORBIDDEN');
    expect(codeOf(await createField({ key: 'order_no', label: 'Again', type: 'text' }))).toBe('ALREADY_EXISTS');
    expect(codeOf(await createField({ key: 'Bad Key', label: 'X', type: 'text' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(await createField({ key: 'd1', label: 'D', type: 'dropdown', options: [] }))).toBe(
      'VALIDATION_FAILED',
    );
    const evil = await createField({ key: 'evil', label: 'E', type: 'text', validation: { pattern: '(a+)+$' } });
    expect(codeOf(evil)).toBe('VALIDATION_FAILED');
    expect(evil.errors![0].message).toMatch(/catastrophic/);
    const minMax = await createField({ key: 'mm', label: 'M', type: 'number', validation: { min: 5, max: 1 } });
    expect(codeOf(minMax)).toBe('VALIDATION_FAILED');
  });

  it('validates values on create and names the offending key', async () => {
    const ok = await createTicket({
      customFields: { order_no: 'KR-12345', quantity: 3, due: '2025-02-28', plan: 'pro', vip: true },
    });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createTicket.customFields).toEqual({
      order_no: 'KR-12345',
      quantity: 3,
      due: '2025-02-28',
      plan: 'pro',
      vip: true,
    });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ order_no: 'kr-1' }, 'order_no'],
      [{ quantity: 100 }, 'quantity'],
      [{ due: '2025-02-30' }, 'due'],
      [{ plan: 'gold' }, 'plan'],
      [{ vip: 'yes' }, 'vip'],
      [{ nope: 1 }, 'nope'],
    ];
    for (const [customFields, key] of cases) {
      const r = await createTicket({ customFields });
      expect(codeOf(r)).toBe('VALIDATION_FAILED');
      expect(r.errors![0].extensions!.field).toBe(key);
      expect(r.errors![0].message).toContain(`"${key}"`);
    }
  });

  it('refuses custom field objects nested too deep or too large before they reach any resolver', async () => {
    const post = async (customFields: string) => {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` },
        // built by hand: JSON.stringify itself gives up on this depth
        body: `{"query":"mutation($c: JSONObject) { createTicket(input: { subject: \\"x\\", requester: { email: \\"deep@example.com\\" }, customFields: $c }) { id } }","variables":{"c":${customFields}}}`,
      });
      return { status: res.status, body: (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> } };
    };
    const deep = await post('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000));
    expect(deep.status).toBe(400);
    expect(codeOf(deep.body)).toBe('BAD_USER_INPUT');
    const wide = await post(
      JSON.stringify(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, [i]]))),
    );
    expect(codeOf(wide.body)).toBe('BAD_USER_INPUT');
    const literal = await app.gql(
      `mutation { createTicket(input: { subject: "x", requester: { email: "deep@example.com" }, customFields: ${'{ a: '.repeat(40)}1${' }'.repeat(40)} }) { id } }`,
      {},
      { token: agent },
    );
    expect(codeOf(literal)).toBe('BAD_USER_INPUT');
  });

  it('merges values on update, null clears a key, and the change is audited', async () => {
    const t = (await createTicket({ customFields: { quantity: 2, plan: 'free' } })).data!.createTicket;
    const r = await update({ id: t.id, customFields: { plan: 'pro', due: '2026-01-31', quantity: null } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateTicket.customFields).toEqual({ plan: 'pro', due: '2026-01-31' });
    const audit = await app.gql<{
      ticket: { auditEvents: Array<{ action: string; changes: Record<string, unknown> }> };
    }>(`query($id: ID!) { ticket(id: $id) { auditEvents { action changes } } }`, { id: t.id }, { token: agent });
    const last = audit.data!.ticket.auditEvents.at(-1)!;
    expect(last.changes.customFields).toEqual({
      from: { quantity: 2, plan: 'free' },
      to: { plan: 'pro', due: '2026-01-31' },
    });
    const same = await update({ id: t.id, customFields: { plan: 'pro' } });
    expect(same.errors).toBeUndefined();
    const again = await app.gql<{ ticket: { auditEvents: unknown[] } }>(
      `query($id: ID!) { ticket(id: $id) { auditEvents { action } } }`,
      { id: t.id },
      { token: agent },
    );
    expect(again.data!.ticket.auditEvents).toHaveLength(audit.data!.ticket.auditEvents.length);
  });

  it('groups fields in forms; the default form goes on new tickets', async () => {
    expect(codeOf(await createForm({ name: 'Nope', fieldIds: [] }, agent))).toBe('FORBIDDEN');
    const missing = await createForm({ name: 'Broken', fieldIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(codeOf(missing)).toBe('TICKET_FIELD_NOT_FOUND');
    const billing = (await createForm({ name: 'Billing', fieldIds: [plan.id, quantity.id], isDefault: true })).data!
      .createTicketForm;
    expect(billing.fields.map((x) => x.key)).toEqual(['plan', 'quantity']);
    const shipping = (await createForm({ name: 'Shipping', fieldIds: [orderNo.id, due.id] })).data!.createTicketForm;
    const t = (await createTicket({})).data!.createTicket;
    expect(t.form).toEqual({ id: billing.id, name: 'Billing' });

    const makeDefault = await app.gql<{ updateTicketForm: { isDefault: boolean } }>(
      `mutation($i: UpdateTicketFormInput!) { updateTicketForm(input: $i) { isDefault } }`,
      { i: { id: shipping.id, isDefault: true } },
      { token: admin },
    );
    expect(makeDefault.data!.updateTicketForm.isDefault).toBe(true);
    const forms = await app.gql<{ ticketForms: Array<{ name: string; isDefault: boolean }> }>(
      `{ ticketForms { name isDefault } }`,
      {},
      { token: agent },
    );
    expect(forms.data!.ticketForms).toEqual([
      { name: 'Shipping', isDefault: true },
      { name: 'Billing', isDefault: false },
    ]);
    const switched = await update({ id: t.id, formId: shipping.id });
    expect(switched.data!.updateTicket.form!.name).toBe('Shipping');
    expect((await update({ id: t.id, formId: null })).data!.updateTicket.form).toBeNull();
    const unknown = await update({ id: t.id, formId: '00000000-0000-4000-8000-000000000000' });
    expect(codeOf(unknown)).toBe('TICKET_FORM_NOT_FOUND');
  });

  it('requires the form’s required fields before a ticket can be solved (not before)', async () => {
    const reason = await field({ key: 'solve_reason', label: 'Resolution', type: 'dropdown', options: ['fixed'] });
    await app.gql(
      `mutation($i: UpdateTicketFieldInput!) { updateTicketField(input: $i) { id } }`,
      { i: { id: reason.id, required: true } },
      { token: admin },
    );
    const accepted = await field({ key: 'accepted', label: 'Terms accepted', type: 'checkbox', required: true });
    const form = (await createForm({ name: 'Support', fieldIds: [reason.id, accepted.id, plan.id] })).data!
      .createTicketForm;
    const t = (await createTicket({ formId: form.id })).data!.createTicket;
    expect((await update({ id: t.id, status: 'pending' })).errors).toBeUndefined();

    const blocked = await update({ id: t.id, status: 'solved', customFields: { accepted: false } });
    expect(codeOf(blocked)).toBe('VALIDATION_FAILED');
    expect(blocked.errors![0].extensions!.fields).toEqual(['solve_reason', 'accepted']);
    expect(blocked.errors![0].message).toMatch(/Resolution \(solve_reason\)/);

    const solved = await update({
      id: t.id,
      status: 'solved',
      customFields: { solve_reason: 'fixed', accepted: true },
    });
    expect(solved.errors).toBeUndefined();
    expect(solved.data!.updateTicket.status).toBe('solved');

    // a ticket on another form is not held back by these fields
    const other = (await createTicket({ formId: null })).data!.createTicket;
    const otherForm = (await createForm({ name: 'Other', fieldIds: [plan.id] })).data!.createTicketForm;
    await update({ id: other.id, formId: otherForm.id });
    expect((await update({ id: other.id, status: 'solved' })).errors).toBeUndefined();
  });

  it('deactivated fields take no new values but can still be cleared', async () => {
    const legacy = await field({ key: 'legacy', label: 'Legacy', type: 'text' });
    const t = (await createTicket({ customFields: { legacy: 'old value' } })).data!.createTicket;
    const off = await app.gql<{ deactivateTicketField: { active: boolean } }>(
      `mutation($id: ID!) { deactivateTicketField(id: $id) { active } }`,
      { id: legacy.id },
      { token: admin },
    );
    expect(off.data!.deactivateTicketField.active).toBe(false);
    const list = await app.gql<{ ticketFields: FieldView[] }>(`{ ticketFields { key } }`, {}, { token: agent });
    expect(list.data!.ticketFields.map((x) => x.key)).not.toContain('legacy');
    const all = await app.gql<{ ticketFields: FieldView[] }>(
      `{ ticketFields(includeInactive: true) { key } }`,
      {},
      { token: agent },
    );
    expect(all.data!.ticketFields.map((x) => x.key)).toContain('legacy');
    const set = await update({ id: t.id, customFields: { legacy: 'new' } });
    expect(codeOf(set)).toBe('VALIDATION_FAILED');
    const cleared = await update({ id: t.id, customFields: { legacy: null } });
    expect(cleared.data!.updateTicket.customFields).not.toHaveProperty('legacy');
  });

  it('rejects a JSON value that is not an object', async () => {
    const t = (await createTicket({})).data!.createTicket;
    const r = await update({ id: t.id, customFields: [1, 2] });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });
});

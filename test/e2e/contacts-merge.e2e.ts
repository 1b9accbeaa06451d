import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CONTACT_REFERENCES } from '../../src/contacts/contact-merge.repository';
import { ContactsService } from '../../src/contacts/contacts.service';
import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

const uid = () => randomBytes(4).toString('hex');

interface ContactView {
  id: string;
  name: string;
  locale: string | null;
  timezone: string | null;
  notes: string;
  organization: { id: string } | null;
  identities: Array<{ kind: string; value: string }>;
}
interface TicketView {
  requester: { id: string };
  version: number;
  auditEvents: Array<{ action: string; actorKind: string; actorAgentId: string | null; changes: unknown }>;
}

const CONTACT = 'id name locale timezone notes organization { id } identities { kind value }';
const MERGE = `mutation($s: ID!, $t: ID!) { mergeContacts(sourceId: $s, targetId: $t) { ${CONTACT} } }`;

describe('contact merge', () => {
  let app: TestApp;
  let db: DataSource;
  let f: ReturnType<typeof factories>;
  let admin: AgentWithCredentials;
  let agent: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp();
    db = app.app.get(DataSource);
    f = factories(app.app);
    admin = await f.agent({ role: 'admin' });
    agent = await f.agent();
  });
  afterAll(async () => app.stop());

  const gql = <T>(query: string, variables: Record<string, unknown>, token = agent.token) =>
    app.gql<T>(query, variables, { token });
  const merge = (s: string, t: string, token = agent.token) =>
    gql<{ mergeContacts: ContactView }>(MERGE, { s, t }, token);
  const contact = async (input: Record<string, unknown>): Promise<ContactView> => {
    const r = await gql<{ createContact: ContactView }>(
      `mutation($i: CreateContactInput!) { createContact(input: $i) { ${CONTACT} } }`,
      { i: input },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createContact;
  };
  const code = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0].extensions?.code;

  it('moves identities, tickets, conversations and messages to the survivor and audits each ticket', async () => {
    const tag = uid();
    const org = await gql<{ createOrganization: { id: string } }>(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }`,
      { i: { name: `Source Org ${tag}` } },
      admin.token,
    );
    const source = await contact({
      name: 'Source Person',
      email: `src-${tag}@example.com`,
      phone: '+82 10 2222 3333',
      locale: 'ko',
      timezone: 'Asia/Seoul',
      notes: 'Prefers Korean.',
      organizationId: org.data!.createOrganization.id,
    });
    const target = await contact({ name: 'Target Person', email: `tgt-${tag}@example.com`, notes: 'VIP' });
    const t1 = await f.ticket({ requester: { contactId: source.id } });
    const t2 = await f.ticket({ requester: { email: `src-${tag}@example.com` } });
    const t3 = await f.ticket({ requester: { contactId: target.id } });
    const [conv]: Array<{ id: string }> = await db.query(
      `INSERT INTO conversation (contact_id, channel_kind, ticket_id) VALUES ($1, 'email', $2) RETURNING id`,
      [source.id, t1.id],
    );
    await db.query(
      `INSERT INTO message (conversation_id, ticket_id, channel_key, author_kind, author_contact_id, body_text)
       VALUES ($1, $2, 'email:test', 'contact', $3, 'Hello')`,
      [conv.id, t1.id, source.id],
    );

    const r = await merge(source.id, target.id);
    expect(r.errors).toBeUndefined();
    const survivor = r.data!.mergeContacts;
    expect(survivor).toMatchObject({
      id: target.id,
      name: 'Target Person',
      locale: 'ko',
      timezone: 'Asia/Seoul',
      notes: 'VIP\n\nPrefers Korean.',
      organization: { id: org.data!.createOrganization.id },
    });
    expect(survivor.identities.map((i) => i.value).sort()).toEqual(
      ['+821022223333', `src-${tag}@example.com`, `tgt-${tag}@example.com`].sort(),
    );

    for (const t of [t1, t2]) {
      const read = await gql<{ ticket: TicketView }>(
        `query($id: ID!) { ticket(id: $id) { requester { id } version auditEvents { action actorKind actorAgentId changes } } }`,
        { id: t.id },
      );
      const ticket = read.data!.ticket;
      expect(ticket.requester.id).toBe(target.id);
      expect(ticket.version).toBe(t.version + 1);
      expect(ticket.auditEvents.at(-1)).toEqual({
        action: 'requester_changed',
        actorKind: 'api',
        actorAgentId: agent.agent.id,
        changes: { requesterId: { from: source.id, to: target.id } },
      });
    }
    const untouched: Array<{ n: string }> = await db.query(
      `SELECT count(*) AS n FROM audit_event WHERE ticket_id = $1 AND action = 'requester_changed'`,
      [t3.id],
    );
    expect(Number(untouched[0].n)).toBe(0);
    const [moved]: Array<{ contact_id: string; author_contact_id: string }> = await db.query(
      `SELECT c.contact_id, m.author_contact_id FROM conversation c JOIN message m ON m.conversation_id = c.id
        WHERE c.id = $1`,
      [conv.id],
    );
    expect(moved).toEqual({ contact_id: target.id, author_contact_id: target.id });
  });

  it('keeps the merged-away id resolving to the survivor, also for new mail from its old address', async () => {
    const tag = uid();
    const source = await contact({ email: `old-${tag}@example.com` });
    const target = await contact({ email: `new-${tag}@example.com` });
    expect(code(await merge(source.id, target.id))).toBeUndefined();

    const read = await gql<{ contact: { id: string } }>(`query($id: ID!) { contact(id: $id) { id } }`, {
      id: source.id,
    });
    expect(read.data!.contact.id).toBe(target.id);
    const list = await gql<{ contacts: { edges: Array<{ node: { id: string } }> } }>(
      `query($s: String) { contacts(search: $s) { edges { node { id } } } }`,
      { s: `old-${tag}` },
    );
    expect(list.data!.contacts.edges.map((e) => e.node.id)).toEqual([target.id]);
    const again = await app.app.get(ContactsService).resolve({ email: `OLD-${tag}@example.com` });
    expect(again.id).toBe(target.id);
    expect((await f.ticket({ requester: { contactId: source.id } })).requesterId).toBe(target.id);

    // merging the survivor on re-points the first merged contact straight at the new survivor
    const third = await contact({ externalId: `third-${tag}` });
    expect(code(await merge(target.id, third.id))).toBeUndefined();
    const [row]: Array<{ merged_into_id: string }> = await db.query(
      `SELECT merged_into_id FROM contact WHERE id = $1`,
      [source.id],
    );
    expect(row.merged_into_id).toBe(third.id);
  });

  it('refuses merges into itself, into or from a merged contact, and of unknown contacts', async () => {
    const a = await contact({ externalId: `a-${uid()}` });
    const b = await contact({ externalId: `b-${uid()}` });
    const c = await contact({ externalId: `c-${uid()}` });
    expect(code(await merge(a.id, a.id))).toBe('VALIDATION_FAILED');
    expect(code(await merge(a.id, b.id))).toBeUndefined();
    expect(code(await merge(c.id, a.id))).toBe('VALIDATION_FAILED');
    expect(code(await merge(a.id, c.id))).toBe('VALIDATION_FAILED');
    expect(code(await merge(c.id, '00000000-0000-4000-8000-000000000000'))).toBe('CONTACT_NOT_FOUND');
    expect(code(await merge(c.id, 'not-a-uuid'))).toBe('VALIDATION_FAILED');
  });

  it('lets agents with access to all tickets merge, not viewers or restricted agents', async () => {
    const viewer = await f.agent({ role: 'viewer' });
    const restricted = await f.agent({ ticketAccess: 'groups', groupIds: [(await f.group()).id] });
    const a = await contact({ externalId: `pa-${uid()}` });
    const b = await contact({ externalId: `pb-${uid()}` });
    expect(code(await merge(a.id, b.id, viewer.token))).toBe('FORBIDDEN');
    expect(code(await merge(a.id, b.id, restricted.token))).toBe('FORBIDDEN');
    expect(code(await merge(a.id, b.id, admin.token))).toBeUndefined();
  });

  it('moves the tickets the merged-away contact was copied on, once', async () => {
    const a = await contact({ externalId: `cc-a-${uid()}` });
    const b = await contact({ externalId: `cc-b-${uid()}` });
    const both = await f.ticket();
    const onlyA = await f.ticket();
    await db.query(`INSERT INTO ticket_contact_follower (ticket_id, contact_id) VALUES ($1, $2), ($1, $3), ($4, $2)`, [
      both.id,
      a.id,
      b.id,
      onlyA.id,
    ]);
    expect(code(await merge(a.id, b.id))).toBeUndefined();
    const rows: Array<{ ticket_id: string; contact_id: string }> = await db.query(
      `SELECT ticket_id, contact_id FROM ticket_contact_follower WHERE ticket_id = ANY($1) ORDER BY ticket_id`,
      [[both.id, onlyA.id]],
    );
    expect(rows.map((r) => `${r.ticket_id}:${r.contact_id}`).sort()).toEqual(
      [`${both.id}:${b.id}`, `${onlyA.id}:${b.id}`].sort(),
    );
  });

  it('lets exactly one of two opposite merges at the same time win', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await contact({ externalId: `ra-${uid()}` });
      const b = await contact({ externalId: `rb-${uid()}` });
      await f.ticket({ requester: { contactId: a.id } });
      await f.ticket({ requester: { contactId: b.id } });
      const results = await Promise.all([merge(a.id, b.id), merge(b.id, a.id)]);
      expect(results.map(code).sort()).toEqual(['VALIDATION_FAILED', undefined]);
      const rows: Array<{ n: string }> = await db.query(
        `SELECT count(*) AS n FROM contact WHERE id = ANY($1) AND merged_into_id IS NULL`,
        [[a.id, b.id]],
      );
      expect(Number(rows[0].n)).toBe(1);
    }
  });

  it('handles every column that references a contact', async () => {
    const rows: Array<{ ref: string }> = await db.query(
      `SELECT c.conrelid::regclass::text || '.' || a.attname AS ref
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
        WHERE c.contype = 'f' AND c.confrelid = 'contact'::regclass`,
    );
    // a new reference to contact must be moved (or deliberately kept) by ContactMergeRepository
    expect(rows.map((r) => r.ref).sort()).toEqual([...CONTACT_REFERENCES].sort());
  });
});

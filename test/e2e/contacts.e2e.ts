import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { encodeCursor } from '../../src/common/graphql/pagination';
import { ContactsService } from '../../src/contacts/contacts.service';
import { factories } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

const uid = () => randomBytes(4).toString('hex');

interface ContactView {
  id: string;
  name: string;
  locale: string | null;
  timezone: string | null;
  organization: { id: string } | null;
  identities: Array<{ id: string; kind: string; value: string }>;
}
interface Page {
  edges: Array<{ cursor: string; node: { id: string; name: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const CONTACT = 'id name locale timezone organization { id } identities { id kind value }';
const LIST = `query($first: Int, $after: String, $search: String) {
  contacts(first: $first, after: $after, search: $search) {
    edges { cursor node { id name } } pageInfo { hasNextPage endCursor }
  }
}`;

describe('contacts: search, pages, identities, permissions', () => {
  let app: TestApp;
  let agentToken: string;
  let viewerToken: string;

  beforeAll(async () => {
    app = await startTestApp();
    const f = factories(app.app);
    agentToken = (await f.agent()).token;
    viewerToken = (await f.agent({ role: 'viewer' })).token;
  });
  afterAll(async () => app.stop());

  const create = (input: Record<string, unknown>, token = agentToken) =>
    app.gql<{ createContact: ContactView }>(
      `mutation($i: CreateContactInput!) { createContact(input: $i) { ${CONTACT} } }`,
      { i: input },
      { token },
    );
  const created = async (input: Record<string, unknown>) => {
    const r = await create(input);
    expect(r.errors).toBeUndefined();
    return r.data!.createContact;
  };
  const search = async (text: string, first = 20) => {
    const r = await app.gql<{ contacts: Page }>(LIST, { search: text, first }, { token: agentToken });
    expect(r.errors).toBeUndefined();
    return r.data!.contacts.edges.map((e) => e.node.id);
  };
  const identityOp = (query: string, variables: Record<string, unknown>) =>
    app.gql<Record<string, ContactView>>(query, variables, { token: agentToken });

  it('finds contacts by partial name, Korean name, partial email and phone typed the local way', async () => {
    const tag = uid();
    const minjun = await created({ name: '김민준', email: `mj-${tag}@example.com` });
    const seoyeon = await created({ name: '이서연', email: `sy-${tag}@example.com`, phone: '+82 10-5555-0101' });
    const latin = await created({ name: `Johanna ${tag} Smith`, externalId: `crm-${tag}` });

    expect(await search('민준')).toContain(minjun.id);
    expect(await search('민준')).not.toContain(seoyeon.id);
    expect(await search(`hanna ${tag}`)).toEqual([latin.id]);
    expect(await search(`SY-${tag.toUpperCase()}@EXAMPLE`)).toEqual([seoyeon.id]);
    expect((await search(tag)).sort()).toEqual([minjun.id, seoyeon.id, latin.id].sort());
    expect(await search('010-5555-0101')).toEqual([seoyeon.id]);
    expect(await search(`crm-${tag}`)).toEqual([latin.id]);
  });

  it('treats LIKE wildcards in a search literally', async () => {
    const tag = uid();
    const percent = await created({ name: `100% ${tag}`, externalId: `pct-${tag}` });
    await created({ name: `1000 ${tag}`, externalId: `thousand-${tag}` });
    expect(await search(`100% ${tag}`)).toEqual([percent.id]);
    expect(await search(`_${tag}`)).toEqual([]);
  });

  it('pages through more than one page with cursors, without duplicates or gaps', async () => {
    const tag = `pg${uid()}`;
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await created({ name: `${tag} ${i}`, externalId: `${tag}-${i}` })).id);
    // an update moves a contact to the front; paging afterwards still sees every contact once
    await app.gql(
      `mutation($i: UpdateContactInput!) { updateContact(input: $i) { id } }`,
      {
        i: { id: ids[3], notes: 'touched' },
      },
      { token: agentToken },
    );
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: { data: { contacts: Page } | null } = await app.gql<{ contacts: Page }>(
        LIST,
        { search: tag, first: 5, after },
        { token: agentToken },
      );
      const page: Page = r.data!.contacts;
      seen.push(...page.edges.map((e) => e.node.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(seen[0]).toBe(ids[3]);
    expect(seen.slice(1)).toEqual(ids.filter((id) => id !== ids[3]).reverse());
  });

  it('rejects cursors it did not make with VALIDATION_FAILED', async () => {
    for (const after of [
      'garbage',
      encodeCursor(['x']),
      encodeCursor(['2026-01-01', 'not-a-uuid']),
      encodeCursor(["2026-01-01 00:00:00+00'); DROP TABLE contact; --", '00000000-0000-0000-0000-000000000000']),
      encodeCursor(['2026-13-45 99:99:99+00', '00000000-0000-0000-0000-000000000000']),
      encodeCursor(['2026-02-30 10:00:00+00', '00000000-0000-0000-0000-000000000000']),
    ]) {
      const r = await app.gql(LIST, { after }, { token: agentToken });
      expect(r.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    }
    const orgs = await app.gql(
      `query($after: String) { organizations(after: $after) { edges { cursor } } }`,
      { after: encodeCursor(['Acme\u0000', '00000000-0000-0000-0000-000000000000']) },
      { token: agentToken },
    );
    expect(orgs.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
  });

  it('stores identities normalised and resolves their organization and identities in lists', async () => {
    const tag = uid();
    const c = await created({
      email: ` Minjun.${tag}@Example.COM `,
      phone: '+82 10-1234-5678',
      identities: [{ kind: 'telegram', value: ` tg${tag} ` }],
      locale: 'ko-kr',
      timezone: 'Asia/Seoul',
    });
    expect(c).toMatchObject({ name: `minjun.${tag}`, locale: 'ko-KR', timezone: 'Asia/Seoul' });
    expect(c.identities.map((i) => [i.kind, i.value]).sort()).toEqual(
      [
        ['email', `minjun.${tag}@example.com`],
        ['phone', '+821012345678'],
        ['telegram', `tg${tag}`],
      ].sort(),
    );
    const bad = await create({ name: 'x', phone: '010-1234-5678' });
    expect(bad.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    const none = await create({ name: 'Nobody' });
    expect(none.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
  });

  it('refuses an identity that belongs to another contact with ALREADY_EXISTS naming that contact', async () => {
    const tag = uid();
    const first = await created({ email: `dup-${tag}@example.com`, phone: '+1 415 555 0199' });
    const again = await create({ email: `DUP-${tag}@example.com` });
    expect(again.errors![0].extensions).toMatchObject({ code: 'ALREADY_EXISTS', contactId: first.id });
    const other = await created({ externalId: `other-${tag}` });
    const add = `mutation($c: ID!, $k: IdentityKind!, $v: String!) {
      addContactIdentity(contactId: $c, kind: $k, value: $v) { ${CONTACT} } }`;
    const taken = await identityOp(add, { c: other.id, k: 'phone', v: '+14155550199' });
    expect(taken.errors![0].extensions).toMatchObject({ code: 'ALREADY_EXISTS', contactId: first.id });
    // adding an identity the contact already has changes nothing
    const same = await identityOp(add, { c: first.id, k: 'phone', v: '+1 (415) 555-0199' });
    expect(same.data!.addContactIdentity.identities).toHaveLength(2);
    const added = await identityOp(add, { c: other.id, k: 'phone', v: '0082 10 9876 5432' });
    expect(added.data!.addContactIdentity.identities.map((i) => i.value)).toContain('+821098765432');
  });

  it('removes identities but never the last one', async () => {
    const c = await created({ email: `rm-${uid()}@example.com`, externalId: `rm-${uid()}` });
    const remove = `mutation($id: ID!) { removeContactIdentity(id: $id) { ${CONTACT} } }`;
    const after = await identityOp(remove, { id: c.identities[0].id });
    expect(after.data!.removeContactIdentity.identities).toHaveLength(1);
    const last = await identityOp(remove, { id: after.data!.removeContactIdentity.identities[0].id });
    expect(last.errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    const gone = await identityOp(remove, { id: c.identities[0].id });
    expect(gone.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('updates fields, validating locale, time zone and organization', async () => {
    const c = await created({ email: `upd-${uid()}@example.com` });
    const update = (i: Record<string, unknown>) =>
      app.gql<{ updateContact: ContactView }>(
        `mutation($i: UpdateContactInput!) { updateContact(input: $i) { ${CONTACT} } }`,
        { i: { id: c.id, ...i } },
        { token: agentToken },
      );
    expect((await update({ name: ' Kim  Minjun ', timezone: 'Europe/Berlin' })).data!.updateContact).toMatchObject({
      name: 'Kim Minjun',
      timezone: 'Europe/Berlin',
    });
    expect((await update({ timezone: null })).data!.updateContact.timezone).toBeNull();
    expect((await update({ timezone: 'Mars/Base' })).errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    expect((await update({ locale: 'not a locale' })).errors![0].extensions!.code).toBe('VALIDATION_FAILED');
    const unknownOrg = await update({ organizationId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownOrg.errors![0].extensions!.code).toBe('ORGANIZATION_NOT_FOUND');
    const missing = await app.gql(
      `{ contact(id: "00000000-0000-4000-8000-000000000000") { id } }`,
      {},
      {
        token: agentToken,
      },
    );
    expect(missing.errors![0].extensions!.code).toBe('CONTACT_NOT_FOUND');
  });

  it('lets viewers read contacts but not change them', async () => {
    const c = await created({ email: `view-${uid()}@example.com` });
    const read = await app.gql<{ contact: { id: string } }>(
      `query($id: ID!) { contact(id: $id) { id } }`,
      { id: c.id },
      { token: viewerToken },
    );
    expect(read.data!.contact.id).toBe(c.id);
    expect((await create({ email: `v-${uid()}@example.com` }, viewerToken)).errors![0].extensions!.code).toBe(
      'FORBIDDEN',
    );
    const edit = await app.gql(
      `mutation($i: UpdateContactInput!) { updateContact(input: $i) { id } }`,
      { i: { id: c.id, name: 'nope' } },
      { token: viewerToken },
    );
    expect(edit.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await app.gql(LIST, {})).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('creates one contact when the same new email arrives in parallel', async () => {
    const contacts = app.app.get(ContactsService);
    const email = `race-${uid()}@example.com`;
    const results = await Promise.all(Array.from({ length: 8 }, () => contacts.resolve({ email, name: 'Racer' })));
    expect(new Set(results.map((c) => c.id)).size).toBe(1);
    const rows: Array<{ n: string }> = await app.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM contact WHERE name = 'Racer'`);
    expect(Number(rows[0].n)).toBe(1);

    const viaApi = `parallel-${uid()}@example.com`;
    const creates = await Promise.all(Array.from({ length: 5 }, () => create({ email: viaApi })));
    expect(creates.filter((r) => !r.errors)).toHaveLength(1);
    expect(creates.filter((r) => r.errors?.[0].extensions?.code === 'ALREADY_EXISTS')).toHaveLength(4);
  });
});

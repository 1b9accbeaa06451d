import { randomBytes } from 'node:crypto';
import { encodeCursor } from '../../src/common/graphql/pagination';
import { factories, type AgentWithCredentials } from '../factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

const uid = () => randomBytes(4).toString('hex');

interface OrgView {
  id: string;
  name: string;
  domains: string[];
}
interface Page<T> {
  edges: Array<{ node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const ORG = 'id name domains';
const CREATE_ORG = `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { ${ORG} } }`;
const UPDATE_ORG = `mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { ${ORG} } }`;
const CONTACT_ORG = `query($id: ID!) { contact(id: $id) { organization { id name } } }`;

describe('organizations', () => {
  let app: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: AgentWithCredentials;
  let agent: AgentWithCredentials;

  beforeAll(async () => {
    app = await startTestApp();
    f = factories(app.app);
    admin = await f.agent({ role: 'admin' });
    agent = await f.agent();
  });
  afterAll(async () => app.stop());

  const gql = <T>(query: string, variables: Record<string, unknown>, token = admin.token) =>
    app.gql<T>(query, variables, { token });
  const code = (r: { errors?: Array<{ extensions?: { code?: string } }> }) => r.errors?.[0].extensions?.code;
  const createOrg = async (input: Record<string, unknown>) => {
    const r = await gql<{ createOrganization: OrgView }>(CREATE_ORG, { i: input });
    expect(r.errors).toBeUndefined();
    return r.data!.createOrganization;
  };
  const createContact = async (input: Record<string, unknown>) => {
    const r = await gql<{ createContact: { id: string; organization: { id: string } | null } }>(
      `mutation($i: CreateContactInput!) { createContact(input: $i) { id organization { id } } }`,
      { i: input },
      agent.token,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createContact;
  };
  const orgOf = async (contactId: string) =>
    (await gql<{ contact: { organization: { id: string } | null } }>(CONTACT_ORG, { id: contactId })).data!.contact
      .organization?.id ?? null;

  it('links existing contacts at a new domain, but not those that already have an organization', async () => {
    const domain = `acme-${uid()}.test`;
    const loose = await createContact({ email: `kim@${domain}` });
    const other = await createOrg({ name: `Other ${uid()}` });
    const placed = await createContact({ email: `lee@${domain}`, organizationId: other.id });
    const elsewhere = await createContact({ email: `park@not-${domain}` });

    const org = await createOrg({ name: `Acme ${uid()}`, domains: [` @${domain.toUpperCase()} `, domain] });
    expect(org.domains).toEqual([domain]);
    expect(await orgOf(loose.id)).toBe(org.id);
    expect(await orgOf(placed.id)).toBe(other.id);
    expect(await orgOf(elsewhere.id)).toBeNull();
  });

  it('links new contacts by their email domain, however they are created', async () => {
    const domain = `globex-${uid()}.test`;
    const org = await createOrg({ name: `Globex ${uid()}`, domains: [domain] });
    expect((await createContact({ email: `a@${domain.toUpperCase()}` })).organization?.id).toBe(org.id);
    const ticket = await f.ticket({ requester: { email: `b@${domain}`, name: 'B' } });
    expect(await orgOf(ticket.requesterId)).toBe(org.id);
    const phoneOnly = await createContact({ phone: '+82 10 7777 0000' });
    expect(phoneOnly.organization).toBeNull();
    const added = await gql<{ addContactIdentity: { organization: { id: string } | null } }>(
      `mutation($c: ID!) { addContactIdentity(contactId: $c, kind: email, value: "c@${domain}") { organization { id } } }`,
      { c: phoneOnly.id },
      agent.token,
    );
    expect(added.data!.addContactIdentity.organization?.id).toBe(org.id);
  });

  it('links contacts at domains added later and lists its contacts', async () => {
    const [d1, d2] = [`one-${uid()}.test`, `two-${uid()}.test`];
    const org = await createOrg({ name: `Initech ${uid()}`, domains: [d1] });
    const later = await createContact({ email: `x@${d2}` });
    expect(later.organization).toBeNull();
    const updated = await gql<{ updateOrganization: OrgView }>(UPDATE_ORG, { i: { id: org.id, domains: [d2, d1] } });
    expect(updated.data!.updateOrganization.domains).toEqual([d1, d2].sort());
    expect(await orgOf(later.id)).toBe(org.id);

    const first = await createContact({ email: `y@${d1}` });
    const list = await gql<{ organization: { contacts: Page<{ id: string }> } }>(
      `query($id: ID!) { organization(id: $id) { contacts(first: 1) { edges { node { id } } pageInfo { hasNextPage } } } }`,
      { id: org.id },
    );
    expect(list.data!.organization.contacts.edges.map((e) => e.node.id)).toEqual([first.id]);
    expect(list.data!.organization.contacts.pageInfo.hasNextPage).toBe(true);
    const filtered = await gql<{ contacts: Page<{ id: string }> }>(
      `query($o: ID) { contacts(organizationId: $o) { edges { node { id } } } }`,
      { o: org.id },
    );
    expect(filtered.data!.contacts.edges.map((e) => e.node.id)).toEqual([first.id, later.id]);
  });

  it('gives each domain to one organization only and validates domains and names', async () => {
    const domain = `unique-${uid()}.test`;
    const owner = await createOrg({ name: `Owner ${uid()}`, domains: [domain] });
    const dup = await gql(CREATE_ORG, { i: { name: 'Dup', domains: [`@${domain}`] } });
    expect(dup.errors![0].extensions).toMatchObject({ code: 'ALREADY_EXISTS', domain, organizationId: owner.id });
    const other = await createOrg({ name: `Other ${uid()}` });
    expect(code(await gql(UPDATE_ORG, { i: { id: other.id, domains: [domain] } }))).toBe('ALREADY_EXISTS');
    expect(code(await gql(UPDATE_ORG, { i: { id: owner.id, domains: [domain, `more-${domain}`] } }))).toBeUndefined();
    for (const bad of ['not a domain', 'localhost', 'http://acme.test/x', '1.2.3.4']) {
      expect(code(await gql(CREATE_ORG, { i: { name: 'Bad', domains: [bad] } }))).toBe('VALIDATION_FAILED');
    }
    expect(code(await gql(CREATE_ORG, { i: { name: '   ' } }))).toBe('VALIDATION_FAILED');

    const raced = `race-${uid()}.test`;
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) => gql(CREATE_ORG, { i: { name: `Race ${i}`, domains: [raced] } })),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => code(r) === 'ALREADY_EXISTS')).toHaveLength(3);
  });

  it('deletes an organization and keeps its contacts', async () => {
    const domain = `gone-${uid()}.test`;
    const org = await createOrg({ name: `Gone ${uid()}`, domains: [domain] });
    const member = await createContact({ email: `m@${domain}` });
    const del = await gql<{ deleteOrganization: string }>(`mutation($id: ID!) { deleteOrganization(id: $id) }`, {
      id: org.id,
    });
    expect(del.data!.deleteOrganization).toBe(org.id);
    expect(await orgOf(member.id)).toBeNull();
    const read = await gql(`query($id: ID!) { organization(id: $id) { id } }`, { id: org.id });
    expect(code(read)).toBe('ORGANIZATION_NOT_FOUND');
  });

  it('searches and pages organizations by name', async () => {
    const tag = uid();
    const names = Array.from({ length: 7 }, (_, i) => `Pager ${tag} ${String.fromCharCode(71 - i)}`);
    for (const name of names) await createOrg({ name, domains: [`${name.slice(-1).toLowerCase()}-${tag}.test`] });
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: { data: { organizations: Page<OrgView> } | null } = await gql<{ organizations: Page<OrgView> }>(
        `query($a: String, $s: String) { organizations(first: 3, after: $a, search: $s) {
          edges { node { ${ORG} } } pageInfo { hasNextPage endCursor } } }`,
        { a: after, s: `pager ${tag}` },
        agent.token,
      );
      const page: Page<OrgView> = r.data!.organizations;
      seen.push(...page.edges.map((e) => e.node.name));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([...names].sort());
    const byDomain = await gql<{ organizations: Page<OrgView> }>(
      `query($s: String) { organizations(search: $s) { edges { node { name } } } }`,
      { s: `c-${tag}.test` },
    );
    expect(byDomain.data!.organizations.edges.map((e) => e.node.name)).toEqual([`Pager ${tag} C`]);
    const badCursor = await gql(`query($a: String) { organizations(after: $a) { edges { cursor } } }`, {
      a: encodeCursor([1, 2]),
    });
    expect(code(badCursor)).toBe('VALIDATION_FAILED');
  });

  it('lets only admins manage organizations; others may read them', async () => {
    const viewer = await f.agent({ role: 'viewer' });
    expect(code(await gql(CREATE_ORG, { i: { name: 'Nope' } }, agent.token))).toBe('FORBIDDEN');
    expect(code(await gql(CREATE_ORG, { i: { name: 'Nope' } }, viewer.token))).toBe('FORBIDDEN');
    const org = await createOrg({ name: `Readable ${uid()}` });
    expect(code(await gql(UPDATE_ORG, { i: { id: org.id, name: 'X' } }, agent.token))).toBe('FORBIDDEN');
    const read = await gql<{ organization: OrgView }>(`query($id: ID!) { organization(id: $id) { ${ORG} } }`, {
      id: org.id,
    });
    expect(read.data!.organization.name).toBe(org.name);
    const viewerRead = await gql(`query($id: ID!) { organization(id: $id) { id } }`, { id: org.id }, viewer.token);
    expect(code(viewerRead)).toBeUndefined();
  });
});

import { describeSchemaDiff } from './schema-diff';

const before = `
"""A person"""
type Agent {
  id: ID!

  """Shown to customers"""
  name: String!
}

enum Role {
  admin
}

type Query {
  agents: [Agent!]!
}
`;

describe('describeSchemaDiff', () => {
  it('is empty for identical schemas', () => {
    expect(describeSchemaDiff(before, `${before}\n`)).toEqual([]);
  });

  it('names added, changed and removed definitions', () => {
    const after = before
      .replace('name: String!', 'name: String')
      .replace('enum Role {\n  admin\n}', 'input NewAgent {\n  name: String!\n}');
    expect(describeSchemaDiff(before, after)).toEqual([
      '~ type Agent (changed)',
      '+ input NewAgent (new)',
      '- enum Role (removed)',
    ]);
  });

  it('sees a changed description inside a type as a change of that type', () => {
    expect(describeSchemaDiff(before, before.replace('Shown to customers', 'Shown to everyone'))).toEqual([
      '~ type Agent (changed)',
    ]);
  });

  it('shortens long lists', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `scalar S${i}`).join('\n\n');
    const lines = describeSchemaDiff('scalar Only', many(20), 5);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('… and 16 more');
  });

  it('says so when the committed file is not SDL', () => {
    expect(describeSchemaDiff('type {', before)).toEqual(['~ the committed file does not parse as GraphQL SDL']);
  });
});

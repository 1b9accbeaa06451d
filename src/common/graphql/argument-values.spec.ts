import { graphql, GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { shareEmptyArgumentValues } from './argument-values';

describe('argument values of fields without arguments', () => {
  const seen: object[] = [];
  const Item = new GraphQLObjectType({
    name: 'Item',
    fields: {
      name: {
        type: GraphQLString,
        resolve: (item: { name: string }, args: object) => {
          seen.push(args);
          return item.name;
        },
      },
      label: {
        type: GraphQLString,
        args: { prefix: { type: GraphQLString, defaultValue: '#' }, times: { type: GraphQLInt } },
        resolve: (item: { name: string }, args: { prefix: string; times?: number }) =>
          `${args.prefix.repeat(args.times ?? 1)}${item.name}`,
      },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { items: { type: new GraphQLList(Item), resolve: () => [{ name: 'a' }, { name: 'b' }] } },
    }),
  });

  beforeAll(() => shareEmptyArgumentValues());

  it('gives every call one frozen empty object, on graphql-js’s own execution path', async () => {
    seen.length = 0;
    const r = await graphql({ schema, source: '{ items { name } }' });
    expect(r).toEqual({ data: { items: [{ name: 'a' }, { name: 'b' }] } });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(Object.keys(seen[0])).toEqual([]);
    expect(Object.isFrozen(seen[0])).toBe(true);
  });

  it('still coerces the arguments of fields that take them (defaults, variables, errors)', async () => {
    const r = await graphql({
      schema,
      source: 'query($n: Int) { items { x: label y: label(prefix: "*", times: $n) } }',
      variableValues: { n: 2 },
    });
    expect(r).toEqual({
      data: {
        items: [
          { x: '#a', y: '**a' },
          { x: '#b', y: '**b' },
        ],
      },
    });
    const bad = await graphql({ schema, source: '{ items { label(times: "x") } }' });
    expect(bad.errors?.[0].message).toMatch(/Int cannot represent/);
  });
});

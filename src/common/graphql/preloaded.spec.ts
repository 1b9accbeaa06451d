import { graphql, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { answerPreloadedFields, preload } from './preloaded';

describe('preloaded fields', () => {
  const calls: string[] = [];
  const Contact = new GraphQLObjectType({ name: 'Contact', fields: { name: { type: GraphQLString } } });
  const Ticket = new GraphQLObjectType({
    name: 'Ticket',
    fields: {
      id: { type: GraphQLString },
      requester: {
        type: Contact,
        resolve: (t: { id: string }) => {
          calls.push(t.id);
          return { name: `loaded for ${t.id}` };
        },
      },
      note: {
        type: GraphQLString,
        args: { lang: { type: GraphQLString } },
        resolve: (_t, args: { lang?: string }) => `note ${args.lang ?? ''}`,
      },
    },
  });
  const schema = answerPreloadedFields(
    new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          tickets: {
            type: new GraphQLObjectType({
              name: 'Page',
              fields: { nodes: { type: new GraphQLList(Ticket) } },
            }),
            resolve: () => ({
              nodes: [preload({ id: 't1' }, 'requester', { name: 'Preloaded Ann' }), { id: 't2' }],
            }),
          },
        },
      }),
    }),
  );

  it('answers a preloaded field from the parent and resolves the others as before', async () => {
    const r = await graphql({ schema, source: '{ tickets { nodes { id requester { name } note(lang: "ko") } } }' });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      tickets: {
        nodes: [
          { id: 't1', requester: { name: 'Preloaded Ann' }, note: 'note ko' },
          { id: 't2', requester: { name: 'loaded for t2' }, note: 'note ko' },
        ],
      },
    });
    expect(calls).toEqual(['t2']);
  });

  it('a preloaded null is an answer too (no resolver call)', async () => {
    calls.length = 0;
    const parent = preload({ id: 't3' }, 'requester', null);
    const field = schema.getType('Ticket') as GraphQLObjectType;
    const value = await field.getFields().requester.resolve!(parent, {}, {}, {} as never);
    expect(value).toBeNull();
    expect(calls).toEqual([]);
  });
});

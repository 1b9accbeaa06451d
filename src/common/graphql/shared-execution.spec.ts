import { buildSchema, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { selectsOnlyPlainFields, sharedSubscribe } from './shared-execution';

function schemaWith(events: object[]): { schema: GraphQLSchema; calls: () => number } {
  const schema = buildSchema(`
    type Message { id: ID! text: String! author: String! }
    type Event { cursor: ID! message: Message! }
    type Query { ok: Boolean }
    type Subscription { added: Event! }
  `);
  let calls = 0;
  const sub = schema.getSubscriptionType()!.getFields().added;
  sub.subscribe = async function* () {
    for (const e of events) yield e;
  };
  sub.resolve = (payload: unknown) => payload;
  // a resolver that depends on who asks
  const author = (schema.getType('Message') as { getFields(): Record<string, { resolve?: unknown }> }).getFields()
    .author;
  author.resolve = (_m: unknown, _a: unknown, ctx: { who: string }) => {
    calls++;
    return ctx.who;
  };
  return { schema, calls: () => calls };
}

async function collect(it: unknown): Promise<ExecutionResult[]> {
  const out: ExecutionResult[] = [];
  for await (const r of it as AsyncIterable<ExecutionResult>) out.push(r);
  return out;
}

describe('sharedSubscribe', () => {
  it('knows plain selections from ones that reach a resolver', () => {
    const { schema } = schemaWith([]);
    expect(selectsOnlyPlainFields(schema, parse('subscription { added { cursor message { id text } } }'))).toBe(true);
    expect(
      selectsOnlyPlainFields(
        schema,
        parse('subscription { added { ...F } } fragment F on Event { cursor __typename }'),
      ),
    ).toBe(true);
    expect(selectsOnlyPlainFields(schema, parse('subscription { added { message { author } } }'))).toBe(false);
  });

  it('executes a shared event once for all subscribers with a plain selection, and per subscriber otherwise', async () => {
    const event = { cursor: '1', message: { id: '1', text: 'hi' } };
    const { schema, calls } = schemaWith([event]);
    const plain = parse('subscription { added { cursor message { id text } } }');
    const results = await Promise.all(
      ['a', 'b'].map(async (who) => collect(await sharedSubscribe({ schema, document: plain, contextValue: { who } }))),
    );
    expect(results[0][0]).toBe(results[1][0]);
    expect(results[0][0].data).toEqual({ added: { cursor: '1', message: { id: '1', text: 'hi' } } });

    const personal = parse('subscription { added { message { author } } }');
    const own = await Promise.all(
      ['a', 'b'].map(async (who) =>
        collect(await sharedSubscribe({ schema, document: personal, contextValue: { who } })),
      ),
    );
    expect(own.map((r) => (r[0].data as { added: { message: { author: string } } }).added.message.author)).toEqual([
      'a',
      'b',
    ]);
    expect(calls()).toBe(2);
  });
});

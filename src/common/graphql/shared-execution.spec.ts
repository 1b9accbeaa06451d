import { buildSchema, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { MessageType, stringifyMessage } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { harness, tick } from '../../../test/helpers/stream-harness';
import { resumableStream } from '../pubsub/resumable-stream';
import { registerFrameTarget } from './direct-frames';
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

  describe('frames written directly', () => {
    /** A resumable stream behind `added`, and sockets that record what they are sent. */
    function setup() {
      const h = harness();
      const schema = buildSchema(`
        type Item { id: Int! text: String! }
        type Query { ok: Boolean }
        type Subscription { added: Item! }
      `);
      const sub = schema.getSubscriptionType()!.getFields().added;
      sub.subscribe = () => resumableStream(h.bus, h.source('t', 0));
      sub.resolve = (payload: unknown) => payload;
      const document = parse('subscription { added { id text } }');
      const subscribe = async (socket: ReturnType<typeof fakeSocket>, id: string) => {
        const args = { schema, document };
        registerFrameTarget(args, socket as unknown as WebSocket, id);
        return (await sharedSubscribe(args)) as AsyncIterableIterator<ExecutionResult>;
      };
      return { h, subscribe };
    }
    const fakeSocket = () => ({
      OPEN: 1,
      readyState: 1,
      bufferedAmount: 0,
      frames: [] as Buffer[],
      send(data: Buffer, options: { binary?: boolean }) {
        expect(options.binary).toBe(false); // a text frame, as graphql-ws's strings are
        this.frames.push(data);
      },
    });
    /** What graphql-ws's server sends for a result without errors (our onNext changes nothing then). */
    const graphqlWsFrame = (id: string, result: ExecutionResult) =>
      stringifyMessage({ id, type: MessageType.Next, payload: { ...result } });

    it('are byte for byte the frames graphql-ws sends for the same event', async () => {
      const { h, subscribe } = setup();
      const idle = fakeSocket();
      const busy = Object.assign(fakeSocket(), { bufferedAmount: 1 });
      const direct = await subscribe(idle, 'a"1');
      const slow = await subscribe(busy, 'a"1');
      const waiting = [direct.next(), slow.next()];
      await tick();
      h.commit(1, 't', 'Re: "크레딧" <b>환불</b>\n\u2028 ✓ \\ end');
      h.notify(1);
      const viaGraphqlWs = await waiting[1];
      expect(busy.frames).toEqual([]);
      const bytes = Buffer.from(graphqlWsFrame('a"1', viaGraphqlWs.value as ExecutionResult));
      expect(idle.frames).toHaveLength(1);
      expect(idle.frames[0].equals(bytes)).toBe(true);
      expect(JSON.parse(idle.frames[0].toString())).toEqual({
        id: 'a"1',
        type: 'next',
        payload: { data: { added: { id: 1, text: 'Re: "크레딧" <b>환불</b>\n\u2028 ✓ \\ end' } } },
      });
      await direct.return!();
      expect((await waiting[0]).done).toBe(true);
      await slow.return!();
    });

    it('leave results with errors, and sockets that are closed or behind, to graphql-ws', async () => {
      const { h, subscribe } = setup();
      const socket = fakeSocket();
      const it = await subscribe(socket, '1');
      let next = it.next();
      await tick();
      h.commit(1); // no text: a non-null field resolves to null, an error onNext formats
      h.notify(1);
      expect((await next).value).toMatchObject({ errors: [expect.objectContaining({ path: ['added', 'text'] })] });
      socket.readyState = 3;
      next = it.next();
      h.commit(2, 't', 'closed');
      h.notify(2);
      expect((await next).value).toMatchObject({ data: { added: { id: 2 } } });
      expect(socket.frames).toEqual([]);
      socket.readyState = 1;
      next = it.next();
      h.commit(3, 't', 'open');
      h.notify(3);
      await tick();
      expect(socket.frames.map((f) => (JSON.parse(f.toString()) as { payload: unknown }).payload)).toEqual([
        { data: { added: { id: 3, text: 'open' } } },
      ]);
      await it.return!();
      expect((await next).done).toBe(true);
    });
  });
});

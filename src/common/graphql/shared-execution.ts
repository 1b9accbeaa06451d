import {
  createSourceEventStream,
  execute,
  getNamedType,
  getOperationAST,
  isObjectType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

import { pushDeliveryOf } from '../pubsub/resumable-stream';
import { frameTargetOf, type FrameTarget } from './direct-frames';
import { isPropertyResolver } from './property-resolvers';

interface Shared {
  /** A plain selection executes synchronously; a promise only if a resolver returned one. */
  result: ExecutionResult | Promise<ExecutionResult>;
  /** The result as a `next` payload in JSON (UTF-8), once asked for; null when it cannot be sent directly. */
  json?: Buffer | null;
}
type Results = WeakMap<DocumentNode, Map<string, Shared>>;

/** Per event object: its execution results, by document and variables. Entries go with the event. */
const resultsByEvent = new WeakMap<object, Results>();
const plainByDocument = new WeakMap<DocumentNode, boolean>();

/**
 * Whether everything a subscription selects below its root field is read straight off the event
 * by property resolvers (graphql-js's default one or Nest's, see `isPropertyResolver`): then the result depends on the event and the variables only, never on
 * who subscribed (access was checked when subscribing and per event by the stream).
 */
export function selectsOnlyPlainFields(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null) {
  const op = getOperationAST(document, operationName);
  const root = schema.getSubscriptionType();
  if (!op || op.operation !== OperationTypeNode.SUBSCRIPTION || !root) return false;
  const fragments = new Map(
    document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const plain = (set: SelectionSetNode, type: GraphQLObjectType, isRoot: boolean): boolean =>
    set.selections.every((sel) => {
      if (sel.kind === Kind.INLINE_FRAGMENT) return plain(sel.selectionSet, type, isRoot);
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(sel.name.value);
        return !!fragment && plain(fragment.selectionSet, type, isRoot);
      }
      if (sel.name.value === '__typename') return true;
      const field = type.getFields()[sel.name.value];
      // the root field resolves to the event itself (our subscriptions all pass the payload through)
      if (!field || (!isRoot && !isPropertyResolver(field.resolve))) return false;
      if (!sel.selectionSet) return true;
      const named = getNamedType(field.type);
      return isObjectType(named) && plain(sel.selectionSet, named, false);
    });
  return plain(op.selectionSet, root, true);
}

function isAsyncIterable<T>(v: unknown): v is AsyncIterable<T> {
  return typeof (v as AsyncIterable<T> | null)?.[Symbol.asyncIterator] === 'function';
}

/**
 * The last result looked up: an event fans out to every subscriber in one synchronous loop, so
 * all but the first of them find it here instead of walking the three maps below.
 */
let last: { payload: object; document: DocumentNode; key: string; shared: Shared } | undefined;

/** The one execution of `payload` for every subscriber with this document and variables. */
function sharedResult(args: ExecutionArgs, key: string, payload: object): Shared {
  if (last && last.payload === payload && last.document === args.document && last.key === key) return last.shared;
  const shared = lookUp(args, key, payload);
  last = { payload, document: args.document, key, shared };
  return shared;
}

function lookUp(args: ExecutionArgs, key: string, payload: object): Shared {
  let byDocument = resultsByEvent.get(payload);
  if (!byDocument) resultsByEvent.set(payload, (byDocument = new WeakMap()));
  let byKey = byDocument.get(args.document);
  if (!byKey) byDocument.set(args.document, (byKey = new Map<string, Shared>()));
  let shared = byKey.get(key);
  if (!shared) byKey.set(key, (shared = { result: execute({ ...args, rootValue: payload }) }));
  return shared;
}

/**
 * The payload graphql-ws would put in the frame: the result as is when it has no errors (our
 * `onNext` then changes nothing). Results with errors, or not ready yet, take the slow path.
 */
function payloadJson(shared: Shared): Buffer | null {
  if (shared.json === undefined) {
    const r = shared.result;
    shared.json = r instanceof Promise || r.errors !== undefined ? null : Buffer.from(JSON.stringify(r));
  }
  return shared.json;
}

/**
 * Writes each event straight to the socket from the stream (one synchronous step per
 * subscriber, the payload serialised once per event) while the subscriber is idle and its socket
 * keeps up; anything else goes through graphql-ws as before.
 */
function pushFrames(source: unknown, args: ExecutionArgs, key: string, target: FrameTarget): void {
  pushDeliveryOf<unknown>(source)?.((payload) => {
    if (typeof payload !== 'object' || payload === null) return false;
    const json = payloadJson(sharedResult(args, key, payload));
    return json !== null && target.sendNext(json);
  });
}

/**
 * `subscribe` for graphql-ws that executes each event once for all subscribers with the same
 * document and variables, when the selection is plain (see above). 2,000 agents watching one
 * conversation then cost one execution per message instead of 2,000; each still gets its own
 * frame. When `onSubscribe` registered the socket (`registerFrameTarget`) and the stream can
 * push (`resumableStream`), frames are written directly (`pushFrames`). Other subscriptions
 * execute per subscriber as graphql-js does.
 */
export async function sharedSubscribe(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable<unknown>(source)) return source;
  let plain = plainByDocument.get(args.document);
  if (plain === undefined) {
    plain = selectsOnlyPlainFields(args.schema, args.document, args.operationName);
    plainByDocument.set(args.document, plain);
  }
  const key = `${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}`;
  const target = frameTargetOf(args);
  if (plain && target) pushFrames(source, args, key, target);
  const run = (payload: unknown): Promise<ExecutionResult> => {
    if (!plain || typeof payload !== 'object' || payload === null) {
      return Promise.resolve(execute({ ...args, rootValue: payload }));
    }
    return Promise.resolve(sharedResult(args, key, payload).result);
  };
  const iterator = source[Symbol.asyncIterator]();
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await iterator.next();
      return r.done ? { value: undefined, done: true } : { value: await run(r.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(err?: unknown) {
      await iterator.return?.();
      throw err instanceof Error ? err : new Error(String(err));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}

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

import { isPropertyResolver } from './property-resolvers';

type Results = WeakMap<DocumentNode, Map<string, Promise<ExecutionResult>>>;

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
 * `subscribe` for graphql-ws that executes each event once for all subscribers with the same
 * document and variables, when the selection is plain (see above). 2,000 agents watching one
 * conversation then cost one execution per message instead of 2,000; each still gets its own
 * frame. Other subscriptions execute per subscriber as graphql-js does.
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
  const run = (payload: unknown): Promise<ExecutionResult> => {
    const own = () => Promise.resolve(execute({ ...args, rootValue: payload }));
    if (!plain || typeof payload !== 'object' || payload === null) return own();
    let byDocument = resultsByEvent.get(payload);
    if (!byDocument) resultsByEvent.set(payload, (byDocument = new WeakMap()));
    let byKey = byDocument.get(args.document);
    if (!byKey) byDocument.set(args.document, (byKey = new Map<string, Promise<ExecutionResult>>()));
    let result = byKey.get(key);
    if (!result) byKey.set(key, (result = own()));
    return result;
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

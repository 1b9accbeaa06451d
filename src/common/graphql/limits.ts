import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { ErrorCode } from '../errors/error-codes';

/** Rejects queries nested deeper than `maxDepth` (fragments followed, introspection counted too). */
export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const depthOf = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>): number => {
      if (!set) return depth;
      let max = depth;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          max = Math.max(max, depthOf(sel.selectionSet, depth + 1, seen));
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          max = Math.max(max, depthOf(sel.selectionSet, depth, seen));
        } else {
          const name = sel.name.value;
          const fragment = fragments.get(name);
          if (fragment && !seen.has(name)) {
            max = Math.max(max, depthOf(fragment.selectionSet, depth, new Set([...seen, name])));
          }
        }
        if (max > maxDepth) return max;
      }
      return max;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, 0, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${maxDepth}.`, {
              nodes: [node],
              extensions: { code: ErrorCode.QUERY_TOO_DEEP, maxDepth },
            }),
          );
        }
      },
    };
  };
}

/** List fields cost their page size (`first`/`last`, default 20) times what each item selects. */
const paginationEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  if (size === undefined) return undefined;
  return 1 + Math.max(size, 1) * Math.max(childComplexity, 1);
};

/**
 * Throws QUERY_TOO_COMPLEX (or BAD_USER_INPUT for unusable variables) when an operation costs
 * more than `maxComplexity`. Shared by HTTP (Apollo plugin) and WebSocket subscriptions.
 */
export function assertComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  maxComplexity: number,
): void {
  let complexity: number;
  try {
    complexity = getComplexity({
      schema,
      operationName: operationName ?? undefined,
      query: document,
      variables,
      estimators: [fieldExtensionsEstimator(), paginationEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (err) {
    // Costing reads the variables first; missing or mistyped ones are the caller's mistake.
    if (!(err instanceof GraphQLError)) throw err;
    throw new GraphQLError(err.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
  }
  if (complexity > maxComplexity) {
    throw new GraphQLError(`Query costs ${complexity} points; the limit is ${maxComplexity}. Ask for fewer items.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, complexity, maxComplexity, http: { status: 400 } },
    });
  }
}

/** Variables longer than this (as JSON) are costed every time rather than remembered. */
const MAX_REMEMBERED_VARIABLES = 512;
const MAX_REMEMBERED_PER_DOCUMENT = 64;

/** The key a passed check is remembered by; null for variables too big (or too deep) to key on. */
function rememberKey(operationName: string | null | undefined, variables: Record<string, unknown> | undefined) {
  let json: string;
  try {
    json = JSON.stringify(variables ?? {});
  } catch {
    // nested deeper than the stack: the check itself refuses it with BAD_USER_INPUT
    return null;
  }
  return json.length <= MAX_REMEMBERED_VARIABLES ? `${operationName ?? ''}\u0000${json}` : null;
}

export function complexityPlugin(schemaRef: () => GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  // Apollo hands the same parsed document to every request with the same query text, and the
  // cost depends only on the document, the operation and the variables: the workspace and
  // integrations repeat a handful of queries, so remember the ones that passed.
  const passed = new WeakMap<DocumentNode, Set<string>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const key = rememberKey(request.operationName, request.variables);
          const seen = passed.get(document);
          if (key !== null && seen?.has(key)) return;
          assertComplexity(schemaRef(), document, request.variables, request.operationName, maxComplexity);
          if (key === null) return;
          if (!seen) passed.set(document, new Set([key]));
          else {
            if (seen.size >= MAX_REMEMBERED_PER_DOCUMENT) seen.clear();
            seen.add(key);
          }
        },
      };
    },
  };
}

import {
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';

interface Entry {
  document: DocumentNode;
  errors: readonly GraphQLError[];
}

/**
 * Parsed and validated documents of subscriptions, by query text. Thousands of widgets and
 * agents send the same few subscriptions: they share one AST instead of each connection keeping
 * its own copy for as long as it is subscribed (memory per idle connection), and skip re-parsing.
 * Bounded; queries over 16 KB are never cached.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 500,
    private readonly maxQueryLength = 16 * 1024,
  ) {}

  /** Parses (throws GraphQLError on syntax errors) and validates, or returns the cached result. */
  get(schema: GraphQLSchema, query: string, rules: readonly ValidationRule[]): Entry {
    const hit = this.entries.get(query);
    if (hit) return hit;
    const document = parse(query);
    const entry = { document, errors: validate(schema, document, rules) };
    if (query.length <= this.maxQueryLength) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(query, entry);
    }
    return entry;
  }
}

import type { GraphQLFieldResolver } from 'graphql';

/**
 * Nest's code-first schema gives every plain `@Field()` property a resolver of its own that
 * reads the property (and falls back to the field's `defaultValue`): it never loads anything
 * and its answer depends on the parent object only. Those count as plain fields for shared
 * subscription execution and are left alone when resolvers are wrapped. Nest names it
 * `rootFieldResolver` (`ObjectTypeDefinitionFactory.createFieldResolver`, with no field
 * middleware configured); a test on the real schema fails if that changes.
 */
export function isPropertyResolver(resolve: GraphQLFieldResolver<unknown, unknown> | undefined): boolean {
  return resolve === undefined || resolve.name === 'rootFieldResolver';
}

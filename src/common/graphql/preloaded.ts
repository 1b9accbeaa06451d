import { GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { isPropertyResolver } from './property-resolvers';

const PRELOADED = Symbol('sori.preloaded');

type WithPreloaded = { [PRELOADED]?: Record<string, unknown> };

/**
 * Attaches the value of a resolved field (`@ResolveField`) that a list query already loaded in
 * its own SQL (the inbox's requesters): the field then answers from it without going through
 * Nest's per-call resolver machinery (guards, pipes, interceptors, a DataLoader hit) once per
 * row. Only for fields without arguments whose value is the same for every caller who may see
 * the parent.
 */
export function preload<T extends object>(parent: T, field: string, value: unknown): T {
  const p = parent as T & WithPreloaded;
  (p[PRELOADED] ??= {})[field] = value;
  return parent;
}

/** Wraps every field resolver so that a preloaded value wins; used once on the built schema. */
export function answerPreloadedFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const original = field.resolve;
      if (isPropertyResolver(original) || !original || field.args.length) continue;
      const name = field.name;
      const resolve: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
        const pre = (source as WithPreloaded | null)?.[PRELOADED];
        return pre && name in pre ? pre[name] : original(source, args, ctx, info);
      };
      field.resolve = resolve;
    }
  }
  return schema;
}

import type { FieldNode, GraphQLField } from 'graphql';

type GetArgumentValues = (
  def: Pick<GraphQLField<unknown, unknown>, 'args'>,
  node: Pick<FieldNode, 'arguments'>,
  variableValues?: { [name: string]: unknown } | null,
) => { [argument: string]: unknown };

// graphql-js calls this through the module's exports object (`(0, _values.getArgumentValues)(…)`)
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module itself, to replace its export
const values = require('graphql/execution/values') as { getArgumentValues: GetArgumentValues };

/** The arguments of a field that takes none: the same for every call, and nobody may add to them. */
const NO_ARGUMENTS = Object.freeze(Object.create(null) as { [argument: string]: unknown });

let original: GetArgumentValues | undefined;

/**
 * graphql-js (16) coerces the arguments of every field it resolves, even of fields without
 * arguments, into two fresh prototype-less (dictionary-mode) objects: about 500 bytes per
 * field, a quarter of everything a 50-row ticket list allocates and the main cause of its
 * young-generation collections. A field without arguments now gets one shared empty object;
 * fields with arguments are coerced by graphql-js as before. Idempotent.
 */
export function shareEmptyArgumentValues(): void {
  if (original) return;
  const coerce = values.getArgumentValues;
  original = coerce;
  values.getArgumentValues = (def, node, variableValues) =>
    def.args.length === 0 ? NO_ARGUMENTS : coerce(def, node, variableValues);
}

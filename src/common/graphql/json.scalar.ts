import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ErrorCode } from '../errors/error-codes';

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.VARIABLE:
    case Kind.ENUM:
      throw new GraphQLError('JSONObject literals cannot contain variables or enums.', {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
  }
}

function object(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GraphQLError('Expected a JSON object.', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  return value as Record<string, unknown>;
}

/** Input objects nest at most this deep and hold at most this many values in all. */
export const MAX_JSON_INPUT_DEPTH = 16;
export const MAX_JSON_INPUT_VALUES = 5000;

/**
 * Input JSON is bounded before anything walks it recursively (validation, class-transformer,
 * the services): a 60 KB variable nested 10,000 deep would otherwise overflow the stack there.
 * Checked with an explicit stack, so the check itself cannot overflow.
 */
function boundedInput(value: unknown): Record<string, unknown> {
  const root = object(value);
  const stack: Array<[unknown, number]> = [[root, 1]];
  let values = 0;
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_JSON_INPUT_DEPTH) throw tooBig(`nests deeper than ${MAX_JSON_INPUT_DEPTH} levels`);
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    values += children.length;
    if (values > MAX_JSON_INPUT_VALUES) throw tooBig(`holds more than ${MAX_JSON_INPUT_VALUES} values`);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return root;
}

function tooBig(why: string): GraphQLError {
  return new GraphQLError(`The JSON object ${why}.`, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/** A JSON object, used for custom field values keyed by field key. */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object, e.g. custom field values keyed by field key.',
  serialize: object,
  parseValue: boundedInput,
  parseLiteral: (ast) => boundedInput(literal(ast)),
});

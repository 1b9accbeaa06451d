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

/** A JSON object, used for custom field values keyed by field key. */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object, e.g. custom field values keyed by field key.',
  serialize: object,
  parseValue: object,
  parseLiteral: (ast) => object(literal(ast)),
});

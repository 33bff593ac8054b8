import { GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import type { JsonValue } from '../providers/generation-type';

/**
 * `JSON`: any JSON value, as an argument (inline or in variables) and as a result. Our own, in
 * place of the unmaintained graphql-type-json, with the same behaviour: values pass through, and an
 * inline literal is read into the value it spells, variables inside it included.
 */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value: an object, a list, a string, a number, a boolean or null.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => literalValue(node, variables ?? undefined),
});

function literalValue(node: ValueNode, variables: Record<string, unknown> | undefined): JsonValue | undefined {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((item) => literalValue(item, variables) ?? null);
    case Kind.OBJECT: {
      // No prototype: a field named __proto__ is a field like any other.
      const object: Record<string, JsonValue> = Object.create(null);
      for (const field of node.fields) {
        const value = literalValue(field.value, variables);
        // An unset variable leaves its field out, as it would a variable argument.
        if (value !== undefined) object[field.name.value] = value;
      }
      return object;
    }
    case Kind.VARIABLE:
      return variables?.[node.name.value] as JsonValue | undefined;
    default:
      // A bare word (an enum value) has no JSON meaning: strings are quoted.
      throw new TypeError(`JSON cannot represent ${print(node)}: strings are written in quotes.`);
  }
}

import { buildSchema, GraphQLObjectType, GraphQLScalarType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/** A field's resolver, or for a subscription field its source and resolver. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one map holds the resolvers of every type, each with its own parent, arguments and context
type FieldResolver = GraphQLFieldResolver<any, any, any> | { subscribe?: GraphQLFieldResolver<any, any, any>; resolve?: GraphQLFieldResolver<any, any, any> };

/** Resolvers by type name: a scalar's implementation, or an object type's field resolvers. */
export type ResolverMap = Record<string, GraphQLScalarType | Record<string, FieldResolver>>;

/**
 * The schema from its SDL with resolvers attached: what `makeExecutableSchema` did for us, in the
 * few lines our resolvers need (object fields, subscription fields, custom scalars), so core does
 * not carry @graphql-tools, whose current releases demand Node 22.15. A resolver for a type or
 * field the SDL lacks is a mistake, refused when the schema is built.
 */
export function executableSchema(typeDefs: string, resolverMaps: readonly ResolverMap[]): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  for (const resolvers of resolverMaps) {
    for (const [typeName, implementation] of Object.entries(resolvers)) {
      const type = schema.getType(typeName);
      if (implementation instanceof GraphQLScalarType) {
        if (!(type instanceof GraphQLScalarType)) throw new Error(`${typeName} is not a scalar in the schema.`);
        // buildSchema made the scalar with pass-through behaviour; it takes the implementation's.
        type.description = implementation.description ?? type.description;
        type.specifiedByURL = implementation.specifiedByURL ?? type.specifiedByURL;
        type.serialize = implementation.serialize;
        type.parseValue = implementation.parseValue;
        type.parseLiteral = implementation.parseLiteral;
        continue;
      }
      if (!(type instanceof GraphQLObjectType)) throw new Error(`${typeName} is not an object type in the schema.`);
      const fields = type.getFields();
      for (const [fieldName, resolver] of Object.entries(implementation)) {
        const field = fields[fieldName];
        if (!field) throw new Error(`${typeName}.${fieldName} is not in the schema.`);
        if (typeof resolver === 'function') {
          field.resolve = resolver;
        } else {
          if (resolver.subscribe) field.subscribe = resolver.subscribe;
          if (resolver.resolve) field.resolve = resolver.resolve;
        }
      }
    }
  }
  return schema;
}

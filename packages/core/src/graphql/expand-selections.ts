import {
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * The product page's own clients select `metadata` and `error` bare, as if they were
 * scalars. They are object types, so before validation a bare selection of one of these
 * types is expanded to all of its leaf fields. `strictSelections: true` turns this off.
 */
export function expandBareSelections(document: DocumentNode, schema: GraphQLSchema, expandable: ReadonlySet<string>): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode): FieldNode | undefined {
        if (node.selectionSet) return undefined;
        const type = typeInfo.getType();
        const named = type ? getNamedType(type) : undefined;
        if (!named || !isObjectType(named) || !expandable.has(named.name)) return undefined;
        const selectionSet: SelectionSetNode = {
          kind: Kind.SELECTION_SET,
          selections: Object.values(named.getFields())
            .filter((field) => isLeafType(getNamedType(field.type)))
            .map((field) => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: field.name } })),
        };
        return { ...node, selectionSet };
      },
    }),
  );
}

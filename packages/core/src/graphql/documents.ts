import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { expandBareSelections } from './expand-selections';

export interface QueryLimits {
  /** Deepest nesting of fields, fragments expanded. */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Lexical tokens in the document; checked while parsing, before anything else. */
  maxTokens: number;
  /** Field cost (graphql-armor's model: objects 2, scalars 1, deeper fields cost more). */
  maxCost: number;
  /** Whether `__schema` and `__type` may be queried. */
  introspection: boolean;
  /**
   * Introspection's own budget: the fields selected under `__schema` and `__type`, fragments
   * expanded (GraphiQL's full introspection query selects about 250). The depth and cost limits
   * leave introspection out, because the standard introspection query is deeper than any
   * application query; this bound stops a document of aliased `__schema` selections from
   * answering megabytes.
   */
  maxIntrospectionFields: number;
  /** Distinct valid documents kept parsed and validated. */
  documentCacheEntries: number;
  /** Bytes of document text those may hold together; a document over a sixteenth of it is never kept. */
  documentCacheBytes: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2_000,
  maxCost: 5_000,
  introspection: true,
  maxIntrospectionFields: 500,
  documentCacheEntries: 1_000,
  documentCacheBytes: 8 * 1024 * 1024,
};

/** A document as every later request with the same text will use it. */
export type PreparedDocument =
  | { ok: true; document: DocumentNode; operations: Map<string | null, OperationDefinitionNode> }
  | { ok: false; code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'QUERY_TOO_COMPLEX'; errors: readonly GraphQLError[] };

/**
 * Parses, expands and validates each distinct document once; an LRU bounded by count and by
 * bytes keeps the documents that validated, so a repeated document is never parsed or validated
 * twice. Refused documents are not kept: a client could otherwise pin memory with a stream of
 * distinct invalid ones, and a refusal costs no more than the parse that found it.
 */
export class DocumentCache {
  readonly #cache: LRUCache<string, PreparedDocument & { ok: true }>;
  readonly #schema: GraphQLSchema;
  readonly #limits: QueryLimits;
  readonly #expand: boolean;
  readonly #rules: readonly ValidationRule[];
  readonly #limitRules: readonly ValidationRule[];

  /** `maxEntries` overrides `limits.documentCacheEntries`, for a cache of another, smaller schema. */
  constructor(schema: GraphQLSchema, options: { limits: QueryLimits; strictSelections: boolean; maxEntries?: number }) {
    this.#schema = schema;
    this.#limits = options.limits;
    this.#expand = !options.strictSelections;
    const maxSize = Math.max(1, options.limits.documentCacheBytes ?? defaultQueryLimits.documentCacheBytes);
    // A parsed document takes several times its text in memory: the text's length stands for both.
    this.#cache = new LRUCache({
      max: Math.max(1, options.maxEntries ?? options.limits.documentCacheEntries ?? defaultQueryLimits.documentCacheEntries),
      maxSize,
      maxEntrySize: Math.max(1, Math.floor(maxSize / 16)),
      sizeCalculation: (_, source) => Math.max(1, source.length),
    });
    this.#rules = options.limits.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
    const limits = options.limits;
    this.#limitRules = [
      maxDepthRule({ n: limits.maxDepth, exposeLimits: true }),
      maxAliasesRule({ n: limits.maxAliases, exposeLimits: true }),
      costLimitRule({ maxCost: limits.maxCost, exposeLimits: true }),
    ] as unknown as ValidationRule[];
  }

  prepare(source: string): PreparedDocument {
    const cached = this.#cache.get(source);
    if (cached) return cached;
    const prepared = this.#prepare(source);
    if (prepared.ok) this.#cache.set(source, prepared);
    return prepared;
  }

  /** How many documents are kept, and the length of their text together. */
  get cached(): { entries: number; bytes: number } {
    return { entries: this.#cache.size, bytes: this.#cache.calculatedSize };
  }

  #prepare(source: string): PreparedDocument {
    let document: DocumentNode;
    try {
      document = parse(source, { maxTokens: this.#limits.maxTokens, noLocation: false });
    } catch (error) {
      const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
      const tooLarge = /contains more th\w+ \d+ tokens/.test(graphqlError.message);
      return { ok: false, code: tooLarge ? 'QUERY_TOO_COMPLEX' : 'GRAPHQL_PARSE_FAILED', errors: [graphqlError] };
    }
    // Limits first: a hostile document is refused before the full validation pass runs over it.
    const budget = this.#limits.maxIntrospectionFields ?? defaultQueryLimits.maxIntrospectionFields;
    if (introspectionFields(document, budget) > budget)
      return {
        ok: false,
        code: 'QUERY_TOO_COMPLEX',
        errors: [new GraphQLError(`Introspection limit of ${budget} fields exceeded, found more than ${budget}.`)],
      };
    let limitErrors: readonly GraphQLError[];
    try {
      limitErrors = validate(this.#schema, document, this.#limitRules);
    } catch (error) {
      // graphql-armor's rules throw their GraphQLError instead of reporting it.
      if (!(error instanceof GraphQLError)) throw error;
      limitErrors = [error];
    }
    if (limitErrors.length) return { ok: false, code: 'QUERY_TOO_COMPLEX', errors: limitErrors.map(withoutSyntaxPrefix) };
    if (this.#expand) document = expandBareSelections(document, this.#schema, expandableTypes);
    const errors = validate(this.#schema, document, this.#rules);
    if (errors.length) return { ok: false, code: 'GRAPHQL_VALIDATION_FAILED', errors };
    const operations = new Map<string | null, OperationDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.set(definition.name?.value ?? null, definition);
    }
    return { ok: true, document, operations };
  }
}

/**
 * The fields selected under `__schema` and `__type` in all the document's operations, fragments
 * expanded as often as they are spread; counting stops once past `budget`, so a fragment that
 * spreads another many times over (or a cycle, refused later by validation) costs little here.
 */
function introspectionFields(document: DocumentNode, budget: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const sizes = new Map<string, number>();
  const size = (selectionSet: SelectionSetNode | undefined): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) total += 1 + size(selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += size(selection.selectionSet);
      else total += fragmentSize(selection.name.value, size);
      if (total > budget) return budget + 1;
    }
    return total;
  };
  const fragmentSize = (name: string, measure: (selectionSet: SelectionSetNode | undefined) => number): number => {
    const known = sizes.get(name);
    if (known !== undefined) return known;
    sizes.set(name, 0); // a cycle counts nothing more
    const measured = measure(fragments.get(name)?.selectionSet);
    sizes.set(name, measured);
    return measured;
  };
  // Introspection fields sit at the root, possibly inside fragments spread there.
  const visited = new Set<string>();
  const roots = (selectionSet: SelectionSetNode | undefined): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__schema' || selection.name.value === '__type') total += 1 + size(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) total += roots(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        total += roots(fragments.get(selection.name.value)?.selectionSet);
      }
      if (total > budget) return budget + 1;
    }
    return total;
  };
  let total = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) total += roots(definition.selectionSet);
    if (total > budget) return budget + 1;
  }
  return total;
}

/** graphql-armor words every refusal as a "Syntax Error", which it is not. */
function withoutSyntaxPrefix(error: GraphQLError): GraphQLError {
  return error.message.startsWith('Syntax Error: ') ? new GraphQLError(error.message.slice('Syntax Error: '.length), { nodes: error.nodes ?? null }) : error;
}

const expandableTypes: ReadonlySet<string> = new Set(['GenerationMetadata', 'GenerationError']);

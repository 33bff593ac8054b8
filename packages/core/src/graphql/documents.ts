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
  type GraphQLSchema,
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
}

export const defaultQueryLimits: QueryLimits = { maxDepth: 10, maxAliases: 15, maxTokens: 2_000, maxCost: 5_000, introspection: true };

/** A document as every later request with the same text will use it. */
export type PreparedDocument =
  | { ok: true; document: DocumentNode; operations: Map<string | null, OperationDefinitionNode> }
  | { ok: false; code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'QUERY_TOO_COMPLEX'; errors: readonly GraphQLError[] };

/**
 * Parses, expands and validates each distinct document once; the bounded LRU keeps the
 * result (including failures), so a repeated document is never parsed or validated twice.
 */
export class DocumentCache {
  readonly #cache: LRUCache<string, PreparedDocument>;
  readonly #schema: GraphQLSchema;
  readonly #limits: QueryLimits;
  readonly #expand: boolean;
  readonly #rules: readonly ValidationRule[];
  readonly #limitRules: readonly ValidationRule[];

  constructor(schema: GraphQLSchema, options: { limits: QueryLimits; strictSelections: boolean; maxEntries?: number }) {
    this.#schema = schema;
    this.#limits = options.limits;
    this.#expand = !options.strictSelections;
    this.#cache = new LRUCache({ max: options.maxEntries ?? 1_000 });
    this.#rules = options.limits.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
    const limits = options.limits;
    this.#limitRules = [
      maxDepthRule({ n: limits.maxDepth, exposeLimits: true }),
      maxAliasesRule({ n: limits.maxAliases, exposeLimits: true }),
      costLimitRule({ maxCost: limits.maxCost, exposeLimits: true }),
    ] as unknown as ValidationRule[];
  }

  prepare(source: string): PreparedDocument {
    let prepared = this.#cache.get(source);
    if (!prepared) {
      prepared = this.#prepare(source);
      this.#cache.set(source, prepared);
    }
    return prepared;
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

/** graphql-armor words every refusal as a "Syntax Error", which it is not. */
function withoutSyntaxPrefix(error: GraphQLError): GraphQLError {
  return error.message.startsWith('Syntax Error: ') ? new GraphQLError(error.message.slice('Syntax Error: '.length), { nodes: error.nodes ?? null }) : error;
}

const expandableTypes: ReadonlySet<string> = new Set(['GenerationMetadata', 'GenerationError']);

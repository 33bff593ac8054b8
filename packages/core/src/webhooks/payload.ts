import {
  execute,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  validate,
  type DocumentNode,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Account } from '../accounts/account';
import type { Engine } from '../engine/engine';
import type { Generation } from '../engine/generation';
import type { RequestContext, Services } from '../graphql/context';
import type { WebhookEvent, WebhookEventType } from './event';

/** Nesting the payload's selection goes down to; Generation's deepest field (routing candidates) needs 2. */
const maxDepth = 4;

/**
 * The `generation` query with every field the schema gives a Generation (object fields expanded
 * to their leaves), built from the schema once, so a webhook carries exactly what the query
 * returns, fields added later included, with no second serialiser to keep in step.
 */
export function generationDocument(schema: GraphQLSchema): DocumentNode {
  const generationType = schema.getQueryType()?.getFields().generation?.type;
  const named = generationType ? getNamedType(generationType) : undefined;
  if (!named || !isObjectType(named)) throw new Error('the schema has no generation(id) query');
  const document = parse(`query WebhookGeneration($id: ID!) { generation(id: $id) ${selection(named, 1, new Set())} }`);
  const errors = validate(schema, document);
  if (errors.length) throw new Error(`the webhook payload document is invalid: ${errors.map((error) => error.message).join('; ')}`);
  return document;
}

function selection(type: GraphQLObjectType, depth: number, path: Set<string>): string {
  const fields: string[] = [];
  const inside = new Set(path).add(type.name);
  for (const field of Object.values(type.getFields())) {
    // A field that needs arguments has no one answer to put in a payload.
    if (field.args.some((argument) => isNonNullType(argument.type) && argument.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) fields.push(field.name);
    else if (isObjectType(named) && depth < maxDepth && !inside.has(named.name)) {
      const inner = selection(named, depth + 1, inside);
      if (inner !== '{ }') fields.push(`${field.name} ${inner}`);
    }
  }
  return `{ ${fields.join(' ')} }`;
}

export interface PayloadDependencies {
  schema: GraphQLSchema;
  services: Services;
  loadAccount(id: string): Promise<Account | undefined>;
  /** The mount path's absolute URL for links (the `publicUrl` option), before the generation's own. */
  publicUrl: string | null;
}

/**
 * Renders the body of a webhook: `{ type, timestamp, data: { generation } }`, the generation
 * being what the `generation` query returns when run by its owner for the state the event
 * reports (not a later one: a progress event never carries a status that came after it).
 */
export class PayloadRenderer {
  readonly #dependencies: PayloadDependencies;
  #document: DocumentNode | undefined;

  constructor(dependencies: PayloadDependencies) {
    this.#dependencies = dependencies;
  }

  /** The JSON body, or undefined when the owner no longer exists. */
  async render(type: WebhookEventType, generation: Generation, timestamp: string): Promise<string | undefined> {
    const account = await this.#dependencies.loadAccount(generation.accountId);
    if (!account) return undefined;
    this.#document ??= generationDocument(this.#dependencies.schema);
    const services = this.#dependencies.services;
    // The query reads the generation through the engine; here it reads the event's snapshot.
    const snapshot = { get: async () => generation } as unknown as Engine;
    const context: RequestContext = {
      services: { ...services, engine: snapshot },
      account,
      baseUrl: this.#dependencies.publicUrl ?? generation.baseUrl ?? '',
      idempotencyKey: null,
      rateLimits: new Map(),
      generationFields: { attempted: 0, refusedForRate: 0, retryAfterSeconds: 0 },
    };
    const result = await execute({ schema: this.#dependencies.schema, document: this.#document, variableValues: { id: generation.id }, contextValue: context });
    if (result.errors?.length) throw new AggregateError(result.errors, 'rendering the webhook payload failed');
    const data = result.data as { generation: WebhookEvent['data']['generation'] | null } | null | undefined;
    if (!data?.generation) return undefined;
    const event: WebhookEvent = { type, timestamp, data: { generation: data.generation } };
    return JSON.stringify(event);
  }
}

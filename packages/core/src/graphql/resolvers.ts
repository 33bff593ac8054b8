import { DoitongError, isDoitongError } from '../errors';
import type { CreateGenerationInput } from '../engine/engine';
import type { Generation } from '../engine/generation';
import type { GenerationStatus } from '../engine/generation';
import type { RatePolicyState } from '../policies/rate-limits';
import type { GenerationType, JsonValue } from '../providers/generation-type';
import type { ProviderAdapter } from '../providers/provider-adapter';
import { validateOptions } from '../providers/validate-options';
import type { RequestContext } from './context';
import { JsonScalar } from './json-scalar';

const maxPageSize = 100;

export const resolvers = {
  JSON: JsonScalar,
  Query: {
    generation: (_: unknown, args: { id: string }, context: RequestContext) => context.services.engine.get(context.account, args.id),
    generations: async (
      _: unknown,
      args: { first: number; after?: string | null; status?: GenerationStatus | null; type?: GenerationType | null },
      context: RequestContext,
    ) => {
      const page = await context.services.engine.list(
        context.account,
        { first: pageSize(args.first), after: args.after ?? null },
        { status: args.status ?? null, type: args.type ?? null },
      );
      return connection(page.items, page.hasNextPage, page.endCursor, (generation) => generation.id);
    },
    providers: (_: unknown, args: { type: GenerationType }, context: RequestContext) =>
      context.services.registry.list(context.account.mode, args.type).map((adapter) => describeProvider(adapter, args.type)),
    me: async (_: unknown, __: unknown, context: RequestContext) => ({
      ...context.account,
      mode: context.account.mode.toUpperCase(),
      plan: context.services.planFor(context.account),
      credits: await context.services.ledger.balance(context.account.id),
    }),
    creditTransactions: async (_: unknown, args: { first: number; after?: string | null }, context: RequestContext) => {
      const page = await context.services.ledger.transactions(context.account.id, { first: pageSize(args.first), after: args.after ?? null });
      return connection(page.items, page.hasNextPage, page.endCursor, (entry) => entry.id);
    },
  },
  Mutation: {
    generate: (_: unknown, args: { input: CreateGenerationInput }, context: RequestContext) => generate(args.input, context),
    videoCreate: (
      _: unknown,
      args: {
        input: {
          prompt: string;
          model?: string | null;
          duration?: number | null;
          aspectRatio?: string | null;
          resolution?: string | null;
          webhookUrl?: string | null;
        };
      },
      context: RequestContext,
    ) => {
      const { prompt, model, duration, aspectRatio, resolution, webhookUrl } = args.input;
      const options: Record<string, JsonValue> = {};
      if (duration != null) options.duration = duration;
      if (aspectRatio != null) options.aspectRatio = aspectRatio;
      if (resolution != null) options.resolution = resolution;
      return generate({ type: 'VIDEO', provider: model ?? null, input: { text: prompt }, options, webhookUrl: webhookUrl ?? null }, context);
    },
    cancelGeneration: (_: unknown, args: { id: string }, context: RequestContext) => context.services.engine.cancel(context.account, args.id),
  },
  Subscription: {
    generationUpdated: {
      // Ownership is checked before anything is sent: another account's id is NOT_FOUND.
      subscribe: async (_: unknown, args: { id: string }, context: RequestContext) => {
        await context.services.engine.get(context.account, args.id);
        return context.services.generationUpdates(args.id, () => context.services.engine.get(context.account, args.id));
      },
      resolve: (generation: Generation) => generation,
    },
  },
  RoutingDecision: {
    // Decisions stored before needs were read, and those for a named provider, have none.
    needs: (decision: { needs?: unknown[] }) => decision.needs ?? [],
  },
  Generation: {
    url: (generation: Generation, _: unknown, context: RequestContext) => outputUrl(generation, context),
    videoUrl: (generation: Generation, _: unknown, context: RequestContext) => outputUrl(generation, context),
    errorCode: (generation: Generation) => generation.error?.code ?? null,
  },
};

async function generate(input: CreateGenerationInput, context: RequestContext): Promise<Generation> {
  context.generationFields.attempted++;
  const report = (states: RatePolicyState[]) => {
    for (const state of states) context.rateLimits.set(state.policy, state);
  };
  try {
    const options = input.options;
    if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options)))
      throw new DoitongError('INVALID_INPUT', 'options must be a JSON object', { details: { option: 'options' } });
    // The request's base URL is kept on the generation: webhooks sent later build their links from it.
    const keyed = context.idempotencyAttempt;
    const idempotency = context.idempotencyKey
      ? {
          key: context.idempotencyKey,
          ...(keyed ? { seed: `${context.account.id}:${keyed.attempt}:${keyed.created++}`, resumes: keyed.resumes } : {}),
        }
      : null;
    return await context.services.engine.create(context.account, { ...input, baseUrl: context.baseUrl || null }, report, idempotency);
  } catch (error) {
    if (isDoitongError(error) && error.code === 'RATE_LIMIT') {
      context.generationFields.refusedForRate++;
      const retryAfter = Number(error.details.retryAfterSeconds ?? 1);
      context.generationFields.retryAfterSeconds = Math.max(context.generationFields.retryAfterSeconds, retryAfter);
    }
    throw error;
  }
}

function outputUrl(generation: Generation, context: RequestContext): string | null {
  if (generation.status !== 'COMPLETED') return null;
  if (generation.assetKey) return context.services.assetUrl(generation.assetKey, context.baseUrl);
  return generation.externalUrl;
}

function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return 20;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize)
    throw new DoitongError('INVALID_INPUT', `first must be between 1 and ${maxPageSize}`, { details: { option: 'first', minimum: 1, maximum: maxPageSize } });
  return first;
}

function connection<Item>(items: Item[], hasNextPage: boolean, endCursor: string | null, cursorOf: (item: Item) => string) {
  return {
    edges: items.map((node) => ({ cursor: cursorOf(node), node })),
    nodes: items,
    pageInfo: { hasNextPage, endCursor },
  };
}

/** `providers(type)`: the adapter's own description, with the price of its default request. */
export function describeProvider(adapter: ProviderAdapter, type: GenerationType) {
  let pricing = { creditCost: 0, estimatedTime: 0 };
  try {
    const options = validateOptions(adapter, type, {});
    pricing = adapter.price({
      generationId: 'gen_quote',
      accountId: 'quote',
      type,
      model: typeof options.model === 'string' ? options.model : adapter.defaultModel,
      input: { text: 'quote' },
      options,
      livemode: adapter.livemode,
    });
  } catch (error) {
    // A provider whose options have required fields without defaults has no default price.
    if (!isDoitongError(error)) throw error;
  }
  return {
    id: adapter.id,
    name: adapter.name,
    description: adapter.description,
    types: adapter.types,
    models: adapter.models.filter((model) => !model.types || model.types.includes(type)),
    features: adapter.features,
    limitations: adapter.limitations,
    pricing: { creditCost: pricing.creditCost, estimatedTime: Math.round(pricing.estimatedTime) },
    options: adapter.options
      .filter((option) => !option.types || option.types.includes(type))
      .map((option) => ({ ...option, required: option.required ?? false, allowedValues: option.allowedValues ?? null, default: option.default ?? null })),
    traits: adapter.traits,
    strengths: adapter.strengths
      ? {
          intents: Object.entries(adapter.strengths.intents).map(([intent, level]) => ({ intent, level })),
          voiceLanguages: adapter.strengths.voiceLanguages ?? null,
          textLanguages: adapter.strengths.textLanguages ?? null,
          maxSeconds: adapter.strengths.maxSeconds ?? null,
          maxResolution: adapter.strengths.maxResolution ?? null,
        }
      : null,
    cancellation: adapter.cancellation ?? null,
    maxJobTime: adapter.maxJobTime ?? null,
    available: !adapter.unavailableReason?.(),
    livemode: adapter.livemode,
  };
}

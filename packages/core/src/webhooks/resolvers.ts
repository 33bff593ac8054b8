import { DoitongError } from '../errors';
import type { RequestContext } from '../graphql/context';
import type { DeliveryAttempt, WebhookDelivery } from './delivery';
import type { WebhookEndpoint } from './endpoint';
import type { Webhooks } from './webhooks';

const maxPageSize = 100;

type Context = RequestContext;
type EndpointArguments = { id: string };

/**
 * The webhook operations of the schema; every one is scoped to the caller's account. Made for
 * the instance's Webhooks, so the GraphQL layer's services need not know about webhooks.
 */
export function webhookResolvers(webhooks: Webhooks) {
  return {
    Query: {
      webhookEndpoints: (_: unknown, __: unknown, context: Context) => webhooks.listEndpoints(context.account),
      webhookEndpoint: (_: unknown, args: EndpointArguments, context: Context) => webhooks.getEndpoint(context.account, args.id),
      webhookDeliveries: async (
        _: unknown,
        args: { first?: number | null; after?: string | null; generationId?: string | null; endpointId?: string | null },
        context: Context,
      ) => {
        const page = await webhooks.listDeliveries(
          context.account,
          { first: pageSize(args.first), after: args.after ?? null },
          { generationId: args.generationId ?? null, endpointId: args.endpointId ?? null },
        );
        return {
          edges: page.items.map((node) => ({ cursor: node.id, node })),
          nodes: page.items,
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
        };
      },
      webhookDelivery: (_: unknown, args: { id: string }, context: Context) => webhooks.getDelivery(context.account, args.id),
      webhookSigningSecret: (_: unknown, __: unknown, context: Context) => webhooks.signingSecret(context.account),
    },
    Mutation: {
      createWebhookEndpoint: async (_: unknown, args: { url: string; events?: string[] | null; description?: string | null }, context: Context) => {
        const endpoint = await webhooks.createEndpoint(context.account, args);
        return { endpoint, secret: endpoint.secrets[0]!.secret };
      },
      updateWebhookEndpoint: (
        _: unknown,
        args: { id: string; url?: string | null; events?: string[] | null; description?: string | null; enabled?: boolean | null },
        context: Context,
      ) => webhooks.updateEndpoint(context.account, args.id, args),
      disableWebhookEndpoint: (_: unknown, args: EndpointArguments, context: Context) => webhooks.disableEndpoint(context.account, args.id),
      deleteWebhookEndpoint: (_: unknown, args: EndpointArguments, context: Context) => webhooks.deleteEndpoint(context.account, args.id),
      rotateWebhookEndpointSecret: (_: unknown, args: { id: string; overlapSeconds: number }, context: Context) =>
        webhooks.rotateEndpointSecret(context.account, args.id, args.overlapSeconds),
      redeliverWebhook: (_: unknown, args: { deliveryId: string }, context: Context) => webhooks.redeliver(context.account, args.deliveryId),
      rotateWebhookSigningSecret: (_: unknown, args: { overlapSeconds: number }, context: Context) =>
        webhooks.rotateSigningSecret(context.account, args.overlapSeconds),
    },
    WebhookEndpoint: {
      previousSecretExpiresAt: (endpoint: WebhookEndpoint, _: unknown, context: Context) => {
        const now = context.services.clock.now();
        const ends = endpoint.secrets.map((entry) => entry.expiresAt).filter((end): end is string => end !== null && Date.parse(end) > now);
        return ends.sort().at(-1) ?? null;
      },
    },
    WebhookEndpointSecret: {
      // Shown once: a response that carries it is not kept for Idempotency-Key replays.
      secret: (parent: { secret: string }, _: unknown, context: Context) => {
        context.oneTimeSecret = true;
        return parent.secret;
      },
    },
    WebhookSigningSecret: {
      // A new secret in a mutation's answer is not kept for Idempotency-Key replays either.
      secret: (parent: { secret: string }, _: unknown, context: Context) => {
        context.oneTimeSecret = true;
        return parent.secret;
      },
    },
    WebhookDelivery: {
      payload: (delivery: WebhookDelivery) => webhooks.payloadOf(delivery),
    },
    // Attempts stored before the field was renamed have only `durationMs`.
    WebhookDeliveryAttempt: {
      durationMilliseconds: (attempt: DeliveryAttempt) => attempt.durationMilliseconds ?? attempt.durationMs,
      durationMs: (attempt: DeliveryAttempt) => attempt.durationMilliseconds ?? attempt.durationMs,
    },
  };
}

function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return 20;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize)
    throw new DoitongError('INVALID_INPUT', `first must be between 1 and ${maxPageSize}`, { details: { option: 'first', minimum: 1, maximum: maxPageSize } });
  return first;
}

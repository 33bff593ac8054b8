import { accountTypeDefs } from './schema/accounts';
import { enumTypeDefs } from './schema/enums';
import { generationTypeDefs } from './schema/generations';
import { operationTypeDefs } from './schema/operations';
import { providerTypeDefs } from './schema/providers';
import { webhookTypeDefs } from './schema/webhooks';

/**
 * The whole public schema, in SDL, put together from its parts in ./schema/ (one per concept,
 * in this order). `providers(type)` and the option specs are generated from provider
 * descriptions at run time; everything else a client can ask for is written there.
 */
export const typeDefs = /* GraphQL */ `
"""
Doitong: one API for AI video, image, audio and avatar generation across many providers.
Every error carries \`extensions.code\` (INSUFFICIENT_CREDITS, RATE_LIMIT, INVALID_INPUT,
PROVIDER_UNAVAILABLE, GENERATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …) and
\`extensions.retryable\`.
"""
schema {
  query: Query
  mutation: Mutation
  subscription: Subscription
}

"Any JSON value."
scalar JSON
${enumTypeDefs}${generationTypeDefs}${providerTypeDefs}${accountTypeDefs}${webhookTypeDefs}${operationTypeDefs}`;

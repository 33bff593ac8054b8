export { createDoitong } from './create-doitong';
export type { Doitong, DoitongOptions } from './doitong';
export * from './providers';
export { validateOptions } from './providers/validate-options';
export { inputProblem } from './providers/input-support';
export { checkImageBytes, checkInputMedia, defaultInputMediaLimits, type InputMediaLimits } from './providers/input-media';
export { ProviderRegistry, type AccountModeName } from './providers/registry';
export { ProviderRouter } from './routing/router';
export type { Route, RouteRequest } from './routing/route';
export { healthKey, type ProviderHealthView, type ProviderMeasurement } from './providers/health-view';
export { analyseRequest, type AnalysisRequest } from './routing/analyse-request';
export { RequestAnalysis, type RequestAnalyser, type RoutingOptions } from './routing/analysis-hook';
export { intents, intentLabels, type Intent, type Need, type RequestNeeds, type ProviderStrengths, type StrengthLevel } from './routing/needs';
export { ProviderHealth, type ProviderHealthOptions, type ProviderHealthReport, type ProviderObservation, type CircuitState } from './providers/health';
export { downloadOutput, type DownloadedOutput } from './assets/download';
export * from './errors';
export type { Account } from './accounts/account';
export type { Accounts, AccountWithCredits, CreateAccountOptions } from './accounts/accounts';
export type { AccountMode } from './accounts/api-keys';
export type { Generation, GenerationStatus, GenerationError, RoutingDecision, ProviderAttempt } from './engine/generation';
export type { DoitongEvents, DoitongEventName } from './engine/events';
export { InProcessQueue, type CloseOptions, type EnqueueOptions, type JobQueue, type JobHandler, type FollowUp, type QueueCounts } from './engine/queue';
export { Scheduler } from './engine/scheduler';
export { pollDelay } from './engine/poll-schedule';
export type { ReconcilerOptions, Repair } from './engine/reconciler';
export { defaultPlans, type Plan, type PlanLimits } from './policies/plans';
export {
  MemoryLedger,
  type CreditLedger,
  type CreditTransaction,
  type CreditTransactionType,
  type OpenReservation,
  type ReserveResult,
} from './policies/ledger';
export { MemoryConcurrencySlots, type ConcurrencySlots, type HeldSlot } from './policies/concurrency';
export {
  KeyValueIdempotencyStore,
  type IdempotencyStore,
  type IdempotencyResult,
  type NotKeptReason,
  type StoredResponse,
  type ClaimOutcome,
} from './policies/idempotency';
export { RateLimits, memoryLimiterFactory, type LimiterFactory, type RatePolicyName, type RatePolicyState } from './policies/rate-limits';
export { systemClock, type Clock } from './policies/clock';
export { keyvStore, memoryStore, MemoryKeyValueStore, type KeyValueStore, type StoreChange } from './storage/key-value-store';
export { KeyLock, type Locks } from './storage/key-lock';
export { checkReadiness, type Resource, type Readiness } from './http/health';
export type { ConsoleBundle } from './http/console-route';
export { LocalAssetStore, contentTypeOf } from './assets/local-asset-store';
export type { AssetStore, AssetInfo, AssetRange, AssetBody, AssetLinkOptions } from './assets/asset-store';
export type { AssetOptions } from './assets/retention';
export { defaultQueryLimits, type QueryLimits } from './graphql/documents';
export { typeDefs } from './graphql/type-defs';
export { handleNodeRequest, nodeToRequest, writeNodeResponse, failureResponse, type NodeRequestOptions } from './http/node';
export { pathBelowMount } from './http/mount-path';
export type { DoitongRequest, DoitongResponse, DoitongBodyStream } from './http/types';
export { consoleLogger, silentLogger, type Logger } from './logger';
export type { Telemetry, ProviderCall, WebhookAttempt, WebhookAttemptOutcome } from './telemetry/telemetry';
export {
  verifyWebhook,
  verifyWebhookSignature,
  WebhookVerificationError,
  type VerifyWebhookOptions,
  type VerifiedWebhook,
  type WebhookHeaders,
  type WebhookVerificationReason,
} from './webhooks/signature';
export { generateWebhookSecret } from './webhooks/secret';
export { webhookEventTypes, type WebhookEvent, type WebhookEventType } from './webhooks/event';
export { defaultRetrySchedule, type WebhookOptions, type WebhookLookup, type ResolvedAddress } from './webhooks/options';
export { receiveWebhook, type WebhookReceiverOptions, type WebhookReceipt } from './webhooks/receiver';
export type { WebhookDelivery, DeliveryAttempt, DeliveryStatus } from './webhooks/delivery';
export type { WebhookEndpoint, EndpointDisabledReason } from './webhooks/endpoint';

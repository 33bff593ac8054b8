// The metric instruments Doitong records on OpenTelemetry, named and described in one place, and
// the durations they are fed: kept apart from the spans so each reads as one concern.
import { ValueType, type Counter, type Histogram, type Meter, type ObservableGauge } from '@opentelemetry/api';
import type { Generation } from '@doitong/core';

/** Creates the instruments once per `openTelemetry()`, on its meter. */
export function createInstruments(meter: Meter) {
  const seconds = { unit: 's', valueType: ValueType.DOUBLE };
  return {
    requestDuration: meter.createHistogram('http.server.request.duration', {
      ...seconds,
      description: 'Duration of HTTP server requests, to the response head.',
    }),
    providerCallDuration: meter.createHistogram('doitong.provider.call.duration', {
      ...seconds,
      description: 'Duration of calls to providers (start, status, cancel, find).',
    }),
    generations: meter.createCounter('doitong.generations', { unit: '{generation}', description: 'Generations that reached a final state.' }),
    generationDuration: meter.createHistogram('doitong.generation.duration', {
      ...seconds,
      description: 'Time from a generation’s creation to its final state.',
    }),
    estimateRatio: meter.createHistogram('doitong.generation.estimate_ratio', {
      unit: '1',
      description: 'Actual duration of a completed generation divided by the estimate given when it was created.',
    }),
    credits: meter.createCounter('doitong.credits', { unit: '{credit}', description: 'Credits settled by generations, charged or refunded.' }),
    webhookDeliveries: meter.createCounter('doitong.webhook.deliveries', {
      unit: '{delivery}',
      description: 'Webhook deliveries settled (delivered, failed) or sent to be retried.',
    }),
    rateLimitRefusals: meter.createCounter('doitong.rate_limit.refusals', {
      unit: '{request}',
      description: 'Requests refused by a rate limit or the concurrency limit.',
    }),
    queueDepth: meter.createObservableGauge('doitong.queue.depth', { unit: '{job}', description: 'Jobs in the queue by state.' }),
  } satisfies Record<string, Counter | Histogram | ObservableGauge>;
}

/** Seconds from a generation's creation to its final state; none while it runs or when its dates do not read. */
export function durationSeconds(generation: Generation): number | undefined {
  if (!generation.completedAt) return undefined;
  const seconds = (Date.parse(generation.completedAt) - Date.parse(generation.createdAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

import {
  context,
  metrics,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type BatchObservableResult,
  type MeterProvider,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type { QueueCounts, RatePolicyName, Telemetry } from '@doitong/core';
import { createInstruments, durationSeconds } from './metrics';
import { describe, safeUrl } from './routes';
import { errorCode, fail, headerGetter } from './spans';

export interface OpenTelemetryOptions {
  /** Where spans go; the global provider (the one the OpenTelemetry SDK registered) when left out. */
  tracerProvider?: TracerProvider;
  /** Where measurements go; the global provider when left out. */
  meterProvider?: MeterProvider;
}

/** The instrumentation scope Doitong's spans and metrics carry. */
export const instrumentationScope = '@doitong/core';

/**
 * Doitong's telemetry on OpenTelemetry: `createDoitong({ telemetry: openTelemetry() })`. Spans follow
 * the semantic conventions where they exist (HTTP server, GraphQL, HTTP client for webhooks, GenAI
 * for the provider and model); the rest are named `doitong.*`. The request span continues the
 * caller's trace (`traceparent`, through the registered propagator), or nests under the span of an
 * HTTP instrumentation that already runs.
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): Telemetry {
  const tracer: Tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(instrumentationScope);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(instrumentationScope);
  const instruments = createInstruments(meter);
  let queueCallback: ((result: BatchObservableResult) => Promise<void>) | undefined;

  return {
    async request(request, handle) {
      const parent = propagation.extract(context.active(), request.headers, headerGetter);
      const { route, path, scheme } = describe(request);
      const attributes: Attributes = { 'http.request.method': request.method, 'url.path': path };
      if (route) attributes['http.route'] = route;
      if (scheme) attributes['url.scheme'] = scheme;
      const userAgent = request.headers['user-agent'];
      if (typeof userAgent === 'string') attributes['user_agent.original'] = userAgent;
      const span = tracer.startSpan(route ? `${request.method} ${route}` : request.method, { kind: SpanKind.SERVER, attributes }, parent);
      const started = performance.now();
      let status = 500;
      try {
        const response = await context.with(trace.setSpan(parent, span), handle);
        status = response.status;
        span.setAttribute('http.response.status_code', status);
        // A server span is an error only for a 5xx: a 4xx is the caller's.
        if (status >= 500) {
          span.setAttribute('error.type', String(status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return response;
      } catch (error) {
        fail(span, error);
        throw error;
      } finally {
        span.end();
        instruments.requestDuration.record((performance.now() - started) / 1000, {
          'http.request.method': request.method,
          'http.response.status_code': status,
          ...(route ? { 'http.route': route } : {}),
        });
      }
    },

    operation(operation, execute) {
      const attributes: Attributes = { 'graphql.operation.type': operation.type, 'doitong.graphql.compiled': operation.compiled };
      if (operation.name) attributes['graphql.operation.name'] = operation.name;
      const name = operation.name ? `${operation.type} ${operation.name}` : operation.type;
      return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, (span) => {
        const finish = (result: { errors?: readonly unknown[] }) => {
          if (result.errors?.length) {
            const codes = [...new Set(result.errors.map(errorCode))];
            span.setAttribute('doitong.graphql.error_codes', codes);
            span.setAttribute('error.type', codes[0]!);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        };
        try {
          const result = execute();
          if (result instanceof Promise) {
            return result.then(
              (value) => (finish(value), value),
              (error: unknown) => {
                fail(span, error);
                span.end();
                throw error;
              },
            );
          }
          finish(result);
          return result;
        } catch (error) {
          fail(span, error);
          span.end();
          throw error;
        }
      });
    },

    async providerCall(call, run, outcomeOf) {
      const attributes: Attributes = {
        'gen_ai.provider.name': call.provider,
        'doitong.provider': call.provider,
        'doitong.provider.operation': call.operation,
        'doitong.provider.attempt': call.attempt,
        'doitong.generation.id': call.generationId,
        'doitong.generation.type': call.type,
      };
      if (call.model) {
        attributes['gen_ai.request.model'] = call.model;
        attributes['doitong.model'] = call.model;
      }
      const started = performance.now();
      let outcome = 'error';
      return tracer.startActiveSpan(`${call.operation} ${call.provider}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
          const result = await run();
          outcome = outcomeOf(result);
          span.setAttribute('doitong.provider.outcome', outcome);
          return result;
        } catch (error) {
          // A provider error says whether the job was accepted: `rejected` (never started), `unknown`, `failed`.
          const acceptance = (error as { acceptance?: unknown }).acceptance;
          outcome = typeof acceptance === 'string' ? acceptance : 'error';
          span.setAttribute('doitong.provider.outcome', outcome);
          fail(span, error);
          throw error;
        } finally {
          span.end();
          instruments.providerCallDuration.record((performance.now() - started) / 1000, {
            'doitong.provider': call.provider,
            'doitong.provider.operation': call.operation,
            'doitong.provider.outcome': outcome,
          });
        }
      });
    },

    webhookAttempt(attempt, run) {
      const attributes: Attributes = {
        'http.request.method': 'POST',
        'doitong.webhook.event': attempt.event,
        'doitong.webhook.delivery_id': attempt.deliveryId,
        'doitong.webhook.attempt': attempt.attempt,
      };
      const url = safeUrl(attempt.url);
      if (url) {
        attributes['url.full'] = `${url.origin}${url.pathname}`;
        attributes['server.address'] = url.hostname;
        attributes['server.port'] = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      }
      return tracer.startActiveSpan('POST', { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
          const result = await run();
          if (result.responseStatus !== null) span.setAttribute('http.response.status_code', result.responseStatus);
          if (!result.ok) {
            span.setAttribute('error.type', result.responseStatus !== null ? String(result.responseStatus) : '_OTHER');
            span.setStatus({ code: SpanStatusCode.ERROR, ...(result.error ? { message: result.error } : {}) });
          }
          return result;
        } catch (error) {
          fail(span, error);
          throw error;
        } finally {
          span.end();
        }
      });
    },

    webhookDelivery(event, outcome) {
      instruments.webhookDeliveries.add(1, { 'doitong.webhook.event': event, 'doitong.webhook.outcome': outcome });
    },

    generationEnded(generation) {
      const attributes: Attributes = {
        'doitong.generation.type': generation.type,
        'doitong.provider': generation.provider,
        'doitong.generation.status': generation.status,
      };
      if (generation.error) attributes['error.type'] = generation.error.code;
      instruments.generations.add(1, attributes);
      const duration = durationSeconds(generation);
      if (duration !== undefined) {
        instruments.generationDuration.record(duration, {
          'doitong.generation.type': generation.type,
          'doitong.provider': generation.provider,
          'doitong.generation.status': generation.status,
        });
        if (generation.status === 'COMPLETED' && generation.estimatedTime > 0)
          instruments.estimateRatio.record(duration / generation.estimatedTime, {
            'doitong.generation.type': generation.type,
            'doitong.provider': generation.provider,
          });
      }
      const settlement = generation.settlement ?? (generation.status === 'COMPLETED' ? 'commit' : 'refund');
      if (generation.creditCost > 0)
        instruments.credits.add(generation.creditCost, {
          'doitong.credits.settlement': settlement === 'commit' ? 'charged' : 'refunded',
          'doitong.generation.type': generation.type,
          'doitong.provider': generation.provider,
        });
    },

    rateLimitRefused(policy: RatePolicyName, plan: string) {
      instruments.rateLimitRefusals.add(1, { 'doitong.rate_limit.policy': policy, 'doitong.plan': plan });
    },

    observeQueue(counts: () => Promise<QueueCounts>) {
      if (queueCallback) meter.removeBatchObservableCallback(queueCallback, [instruments.queueDepth]);
      queueCallback = async (result) => {
        const depth = await counts();
        for (const state of ['waiting', 'active', 'delayed'] as const) result.observe(instruments.queueDepth, depth[state], { 'doitong.queue.state': state });
      };
      meter.addBatchObservableCallback(queueCallback, [instruments.queueDepth]);
    },

    close() {
      if (queueCallback) meter.removeBatchObservableCallback(queueCallback, [instruments.queueDepth]);
      queueCallback = undefined;
    },
  };
}

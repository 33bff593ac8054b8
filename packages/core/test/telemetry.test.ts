import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Doitong, DoitongOptions } from '@doitong/core';
import { openTelemetry } from '@doitong/core/opentelemetry';
import { startReceiver, type Receiver } from './receiver';
import { eventually, fakeProvider, post, testDoitong } from './support';

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;
let doitong: Doitong | undefined;
let receiver: Receiver | undefined;

beforeAll(() => {
  // What the OpenTelemetry SDK sets up in a host: context across awaits, and W3C trace context.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  context.disable();
  propagation.disable();
  trace.disable();
});
afterEach(async () => {
  await doitong?.close();
  doitong = undefined;
  await receiver?.close();
  receiver = undefined;
  spans.reset();
  await meterProvider?.shutdown();
});

function instrumented(options: DoitongOptions = {}): Doitong {
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // An export interval longer than any test: metrics are read with forceFlush.
  reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  meterProvider = new MeterProvider({ readers: [reader] });
  doitong = testDoitong({ telemetry: openTelemetry({ tracerProvider, meterProvider }), ...options });
  return doitong;
}

async function collected(): Promise<Map<string, MetricData>> {
  await reader.forceFlush();
  const byName = new Map<string, MetricData>();
  for (const resource of metricExporter.getMetrics())
    for (const scope of resource.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
  return byName;
}

/** The data points of a metric, as attributes and value (a sum, or a histogram's count and sum). */
function points(metrics: Map<string, MetricData>, name: string) {
  const metric = metrics.get(name);
  if (!metric) throw new Error(`no metric ${name}; have ${[...metrics.keys()].join(', ')}`);
  return metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value as number | { count: number; sum: number } }));
}

const named = (name: string) => spans.getFinishedSpans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const generateDocument = 'mutation Generate { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }';
const readDocument = 'query Read($id: ID!) { generation(id: $id) { status } }';

async function generateAndWait(instance: Doitong, apiKey: string, headers: Record<string, string> = {}) {
  const created = await post(instance, apiKey, { query: generateDocument }, headers);
  const id = created.body.data.generate.id as string;
  const done = await eventually(
    () => post(instance, apiKey, { query: readDocument, variables: { id } }),
    (response) => !['PENDING', 'PROCESSING'].includes(response.body.data.generation.status),
  );
  return { id, status: done.body.data.generation.status as string };
}

describe('OpenTelemetry spans', () => {
  it('traces a request under the caller’s trace, its GraphQL operation (interpreted, then compiled), and the provider calls', async () => {
    const instance = instrumented({ providers: [fakeProvider({ creditCost: 10, pollsToFinish: 2 }).adapter] });
    const { apiKey } = await instance.accounts.create({ plan: 'pro', credits: 100 });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { id } = await generateAndWait(instance, apiKey, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    await post(instance, apiKey, { query: generateDocument });

    const [first, second] = named('mutation Generate');
    expect(first!.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'Generate', 'doitong.graphql.compiled': false });
    // graphql-jit compiles a document on its second use: the span is the same on that path.
    expect(second!.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'Generate', 'doitong.graphql.compiled': true });

    const requests = named('POST /graphql');
    const request = requests.find((span) => span.spanContext().traceId === traceId)!;
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(parentOf(request)).toBe('00f067aa0ba902b7');
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'url.path': '/graphql',
      'url.scheme': 'http',
      'http.response.status_code': 200,
    });
    expect(first!.spanContext().traceId).toBe(traceId);
    expect(parentOf(first!)).toBe(request.spanContext().spanId);

    const start = named('start fake').find((span) => span.attributes['doitong.generation.id'] === id)!;
    expect(start.kind).toBe(SpanKind.CLIENT);
    expect(start.attributes).toMatchObject({
      'gen_ai.provider.name': 'fake',
      'gen_ai.request.model': 'fake-1',
      'doitong.provider': 'fake',
      'doitong.model': 'fake-1',
      'doitong.provider.operation': 'start',
      'doitong.provider.attempt': 1,
      'doitong.provider.outcome': 'accepted',
      'doitong.generation.type': 'IMAGE',
    });
    const statuses = named('status fake').filter((span) => span.attributes['doitong.generation.id'] === id);
    expect(statuses.map((span) => span.attributes['doitong.provider.outcome'])).toEqual(['running', 'succeeded']);
    expect(statuses.every((span) => span.attributes['doitong.provider.attempt'] === 1)).toBe(true);
  });

  it('marks a provider’s refusal as an error with its outcome and code, and a 4xx request as no server error', async () => {
    const instance = instrumented({ providers: [fakeProvider({ outcome: 'reject' }).adapter] });
    const { apiKey } = await instance.accounts.create({ plan: 'pro', credits: 100 });
    const { status } = await generateAndWait(instance, apiKey);
    expect(status).toBe('FAILED');
    const [start] = named('start fake');
    expect(start!.attributes).toMatchObject({ 'doitong.provider.outcome': 'rejected', 'error.type': 'PROVIDER_UNAVAILABLE' });
    expect(start!.status.code).toBe(SpanStatusCode.ERROR);

    const unauthenticated = await post(instance, null, { query: readDocument, variables: { id: 'gen_x' } });
    expect(unauthenticated.status).toBe(401);
    const refused = named('POST /graphql').find((span) => span.attributes['http.response.status_code'] === 401)!;
    expect(refused.status.code).toBe(SpanStatusCode.UNSET);

    const missing = await instance.handle({ method: 'GET', url: '/assets/acct/x.png?expires=1&signature=x', headers: {}, baseUrl: 'http://localhost/graphql' });
    expect(missing.status).toBe(403);
    expect(named('GET /graphql/assets/{key}')[0]!.attributes).toMatchObject({
      'http.route': '/graphql/assets/{key}',
      'url.path': '/graphql/assets/acct/x.png',
      'http.response.status_code': 403,
    });
  });

  it('traces webhook attempts as HTTP client calls, a failed one as an error', async () => {
    receiver = await startReceiver((request, count) => (count === 0 ? 500 : 204));
    const instance = instrumented({ providers: [fakeProvider().adapter], webhooks: { allowPrivateUrls: true, retrySchedule: [10, 20, 40] } });
    const { apiKey } = await instance.accounts.create({ plan: 'pro', credits: 100 });
    await post(instance, apiKey, {
      query: `mutation { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: "${receiver.url('/hook?token=secret')}" }) { id } }`,
    });
    await eventually(
      async () => receiver!.received.length,
      (count) => count === 2,
    );
    await eventually(
      async () => named('POST').length,
      (count) => count === 2,
    );

    const [failed, delivered] = named('POST').sort((a, b) => Number(a.attributes['doitong.webhook.attempt']) - Number(b.attributes['doitong.webhook.attempt']));
    expect(failed!.kind).toBe(SpanKind.CLIENT);
    expect(failed!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': receiver.url('/hook'),
      'server.address': '127.0.0.1',
      'server.port': receiver.port,
      'http.response.status_code': 500,
      'error.type': '500',
      'doitong.webhook.event': 'generation.completed',
      'doitong.webhook.attempt': 1,
    });
    expect(failed!.status.code).toBe(SpanStatusCode.ERROR);
    expect(delivered!.attributes).toMatchObject({ 'http.response.status_code': 204, 'doitong.webhook.attempt': 2 });
    expect(delivered!.status.code).toBe(SpanStatusCode.UNSET);

    const metrics = await collected();
    expect(points(metrics, 'doitong.webhook.deliveries')).toEqual(
      expect.arrayContaining([
        { attributes: { 'doitong.webhook.event': 'generation.completed', 'doitong.webhook.outcome': 'retrying' }, value: 1 },
        { attributes: { 'doitong.webhook.event': 'generation.completed', 'doitong.webhook.outcome': 'delivered' }, value: 1 },
      ]),
    );
  });
});

describe('OpenTelemetry metrics', () => {
  it('counts generations by type, provider and outcome, their duration against the estimate, credits, requests and queue depth', async () => {
    const succeeding = fakeProvider({ id: 'good', creditCost: 10, estimatedTime: 5 }).adapter;
    const failing = fakeProvider({ id: 'bad', creditCost: 4, outcome: 'fail' }).adapter;
    const instance = instrumented({ providers: [succeeding, failing] });
    const { apiKey } = await instance.accounts.create({ plan: 'pro', credits: 100 });
    for (const provider of ['good', 'good', 'bad']) {
      const created = await post(instance, apiKey, {
        query: `mutation { generate(input: { type: IMAGE, provider: "${provider}", input: { text: "x" } }) { id } }`,
      });
      const id = created.body.data.generate.id as string;
      await eventually(
        () => post(instance, apiKey, { query: readDocument, variables: { id } }),
        (response) => !['PENDING', 'PROCESSING'].includes(response.body.data.generation.status),
      );
    }
    const metrics = await collected();
    expect(points(metrics, 'doitong.generations')).toEqual(
      expect.arrayContaining([
        { attributes: { 'doitong.generation.type': 'IMAGE', 'doitong.provider': 'good', 'doitong.generation.status': 'COMPLETED' }, value: 2 },
        {
          attributes: {
            'doitong.generation.type': 'IMAGE',
            'doitong.provider': 'bad',
            'doitong.generation.status': 'FAILED',
            'error.type': 'GENERATION_FAILED',
          },
          value: 1,
        },
      ]),
    );
    expect(points(metrics, 'doitong.credits')).toEqual(
      expect.arrayContaining([
        { attributes: { 'doitong.credits.settlement': 'charged', 'doitong.generation.type': 'IMAGE', 'doitong.provider': 'good' }, value: 20 },
        { attributes: { 'doitong.credits.settlement': 'refunded', 'doitong.generation.type': 'IMAGE', 'doitong.provider': 'bad' }, value: 4 },
      ]),
    );
    const durations = points(metrics, 'doitong.generation.duration');
    const completed = durations.find((point) => point.attributes['doitong.provider'] === 'good')!.value as { count: number; sum: number };
    expect(completed.count).toBe(2);
    const ratios = points(metrics, 'doitong.generation.estimate_ratio');
    expect(ratios).toHaveLength(1);
    expect(ratios[0]!.attributes).toEqual({ 'doitong.generation.type': 'IMAGE', 'doitong.provider': 'good' });
    const ratio = ratios[0]!.value as { count: number; sum: number };
    expect(ratio.count).toBe(2);
    // Each completed generation's duration over its five-second estimate.
    expect(ratio.sum).toBeCloseTo(completed.sum / 5, 9);

    const providerCalls = points(metrics, 'doitong.provider.call.duration');
    expect(providerCalls.map((point) => point.attributes)).toEqual(
      expect.arrayContaining([
        { 'doitong.provider': 'good', 'doitong.provider.operation': 'start', 'doitong.provider.outcome': 'accepted' },
        { 'doitong.provider': 'bad', 'doitong.provider.operation': 'status', 'doitong.provider.outcome': 'failed' },
      ]),
    );
    const requests = points(metrics, 'http.server.request.duration');
    expect(
      requests.find((point) => point.attributes['http.response.status_code'] === 200 && point.attributes['http.route'] === '/graphql')!.value,
    ).toMatchObject({ count: expect.any(Number) });

    const depth = points(metrics, 'doitong.queue.depth');
    expect(depth.map((point) => point.attributes['doitong.queue.state']).sort()).toEqual(['active', 'delayed', 'waiting']);
    expect(depth.every((point) => typeof point.value === 'number' && point.value >= 0)).toBe(true);
  });

  it('reads the queue’s depth when it collects: a generation waiting for its next status call is a delayed job', async () => {
    const instance = instrumented({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter], pollSchedule: () => 3_600_000 });
    const { apiKey } = await instance.accounts.create({ plan: 'pro', credits: 100 });
    await post(instance, apiKey, { query: generateDocument });
    await eventually(
      async () => named('start fake').length,
      (count) => count === 1,
    );
    await eventually(
      async () => points(await collected(), 'doitong.queue.depth').find((point) => point.attributes['doitong.queue.state'] === 'delayed')!.value,
      (delayed) => delayed === 1,
    );
  });

  it('counts rate-limit refusals by policy and plan', async () => {
    const instance = instrumented({
      providers: [fakeProvider().adapter],
      plans: { tiny: { generationsPerMinute: 1, concurrent: 10, generationsPerDay: 100, readsPerMinute: 1 } },
    });
    const { apiKey } = await instance.accounts.create({ plan: 'tiny', credits: 100 });
    expect((await post(instance, apiKey, { query: generateDocument })).status).toBe(200);
    expect((await post(instance, apiKey, { query: generateDocument })).status).toBe(429);
    const read = { query: readDocument, variables: { id: 'gen_unknown' } };
    expect((await post(instance, apiKey, read)).status).toBe(200);
    expect((await post(instance, apiKey, read)).status).toBe(429);
    const metrics = await collected();
    expect(points(metrics, 'doitong.rate_limit.refusals')).toEqual(
      expect.arrayContaining([
        { attributes: { 'doitong.rate_limit.policy': 'minute', 'doitong.plan': 'tiny' }, value: 1 },
        { attributes: { 'doitong.rate_limit.policy': 'reads', 'doitong.plan': 'tiny' }, value: 1 },
      ]),
    );
  });
});

describe('telemetry left out', () => {
  it('records nothing, even with an OpenTelemetry SDK registered globally', async () => {
    trace.setGlobalTracerProvider(tracerProvider);
    try {
      doitong = testDoitong({ providers: [fakeProvider().adapter] });
      const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
      await generateAndWait(doitong, apiKey);
      expect(spans.getFinishedSpans()).toEqual([]);
    } finally {
      trace.disable();
    }
  });
});

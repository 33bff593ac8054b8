import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { Doitong } from '@doitong/core';
import { openTelemetry } from '@doitong/core/opentelemetry';
import { eventually, fakeProvider, testDoitong } from './support';

let doitong: Doitong | undefined;
let server: Server | undefined;
let meterProvider: MeterProvider | undefined;

afterEach(async () => {
  await doitong?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await meterProvider?.shutdown();
  doitong = undefined;
  server = undefined;
});

describe('the Prometheus recipe', () => {
  it('serves Doitong’s metrics at /metrics beside the API, in the Prometheus text format', async () => {
    // The README's recipe: the exporter is the meter provider's reader, its handler a route of the host.
    const exporter = new PrometheusExporter({ preventServerStart: true });
    meterProvider = new MeterProvider({ readers: [exporter] });
    doitong = testDoitong({ providers: [fakeProvider({ creditCost: 7 }).adapter], telemetry: openTelemetry({ meterProvider }) });
    const api = doitong.nodeListener({ path: '/graphql' });
    server = createServer((request, response) => (request.url === '/metrics' ? exporter.getMetricsRequestHandler(request, response) : api(request, response)));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const graphql = (query: string) =>
      fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      }).then((response) => response.json() as Promise<{ data: Record<string, { id: string; status: string }> }>);
    const { id } = (await graphql('mutation { generate(input: { type: IMAGE, input: { text: "a fox" } }) { id } }')).data.generate!;
    await eventually(
      () => graphql(`{ generation(id: "${id}") { id status } }`),
      (body) => body.data.generation!.status === 'COMPLETED',
    );

    const scrape = await eventually(
      () => fetch(`${base}/metrics`).then(async (response) => ({ type: response.headers.get('content-type'), text: await response.text() })),
      (page) => page.text.includes('doitong_credits'),
    );
    expect(scrape.type).toMatch(/^text\/plain/);
    expect(scrape.text).toMatch(/^# TYPE doitong_generations_total counter$/m);
    expect(scrape.text).toMatch(
      /^doitong_generations_total\{doitong_generation_type="IMAGE",doitong_provider="fake",doitong_generation_status="COMPLETED"(,[^}]*)?\} 1/m,
    );
    expect(scrape.text).toMatch(
      /^doitong_credits_total\{doitong_credits_settlement="charged",doitong_generation_type="IMAGE",doitong_provider="fake"(,[^}]*)?\} 7/m,
    );
    expect(scrape.text).toMatch(/^http_server_request_duration_count\{[^}]*http_route="\/graphql"[^}]*\} \d+/m);
    expect(scrape.text).toMatch(/^doitong_queue_depth\{doitong_queue_state="waiting"(,[^}]*)?\} \d+/m);
  });
});

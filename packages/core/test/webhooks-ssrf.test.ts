import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Doitong, ResolvedAddress } from '@doitong/core';
import { guardedAgent } from '../src/webhooks/guarded-agent';
import { eventually, fakeProvider, post, testDoitong } from './support';
import { startReceiver, type Receiver } from './receiver';

/**
 * Every class of address the guard must refuse, as a literal and as what a name resolves to.
 * Tests touch only loopback: refused addresses are refused before any connection is made.
 */
const refusedAddresses: Array<[string, string]> = [
  ['IPv4 loopback', '127.0.0.1'],
  ['IPv4 loopback, elsewhere in 127/8', '127.8.9.10'],
  ['IPv6 loopback', '::1'],
  ['unspecified', '0.0.0.0'],
  ['private 10/8', '10.0.0.8'],
  ['private 172.16/12', '172.16.5.4'],
  ['private 192.168/16', '192.168.1.1'],
  ['carrier-grade NAT', '100.64.0.1'],
  ['link-local', '169.254.10.20'],
  ['cloud metadata (AWS, GCP, Azure)', '169.254.169.254'],
  ['IPv6 link-local', 'fe80::1'],
  ['IPv6 unique-local', 'fd12:3456::1'],
  ['AWS IPv6 metadata (unique-local)', 'fd00:ec2::254'],
  ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ['IPv4-mapped private', '::ffff:10.0.0.1'],
  ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
  ['NAT64 of loopback', '64:ff9b::7f00:1'],
  ['NAT64 of metadata', '64:ff9b::a9fe:a9fe'],
  ['local-use NAT64', '64:ff9b:1::808:808'],
  ['IPv4-compatible loopback', '::127.0.0.1'],
  ['IPv4-compatible loopback, hex', '::7f00:1'],
  ['IPv4-compatible metadata', '::a9fe:a9fe'],
  ['IPv4-compatible public address', '::808:808'],
  ['IPv4-translated (SIIT) loopback', '::ffff:0:7f00:1'],
  ['6to4 of loopback', '2002:7f00:1::1'],
  ['6to4 of a public address', '2002:808:808::1'],
  ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  ['IPv6 documentation', '2001:db8::1'],
  ['IPv6 discard', '100::1'],
  ['benchmarking', '198.18.0.1'],
  ['reserved 240/4', '240.0.0.1'],
];

const literal = (address: string) => (address.includes(':') ? `[${address}]` : address);
const familyOf = (address: string) => (address.includes(':') ? 6 : 4);

let doitong: Doitong | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await doitong?.close();
  await receiver?.close();
  doitong = undefined;
  receiver = undefined;
});

describe('webhook URLs are checked when given', () => {
  it.each(refusedAddresses)('refuses a literal %s address (%s) with INVALID_INPUT', async (_name, address) => {
    doitong = testDoitong({ providers: [fakeProvider().adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const url = `http://${literal(address)}:8080/hook`;
    const endpoint = await post(doitong, apiKey, { query: 'mutation($url: String!) { createWebhookEndpoint(url: $url) { secret } }', variables: { url } });
    expect(endpoint.body.errors?.[0]?.extensions, url).toMatchObject({ code: 'INVALID_INPUT', option: 'url' });
    const generation = await post(doitong, apiKey, {
      query: 'mutation($url: String) { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: $url }) { id } }',
      variables: { url },
    });
    expect(generation.body.errors?.[0]?.extensions, url).toMatchObject({ code: 'INVALID_INPUT', option: 'webhookUrl' });
  });

  it('refuses other schemes, credentials, localhost and the odd spellings of 127.0.0.1', async () => {
    doitong = testDoitong({ providers: [fakeProvider().adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    for (const url of [
      'ftp://example.com/hook',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://user:secret@example.com/',
      'http://localhost:3000/',
      'http://api.localhost/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://127.1/',
      'http://017700000001/',
      'http://[::ffff:7f00:1]/',
      'not a url',
    ]) {
      const response = await post(doitong, apiKey, { query: 'mutation($url: String!) { createWebhookEndpoint(url: $url) { secret } }', variables: { url } });
      expect(response.body.errors?.[0]?.extensions, url).toMatchObject({ code: 'INVALID_INPUT', option: 'url' });
    }
    const accepted = await post(doitong, apiKey, {
      query: 'mutation { createWebhookEndpoint(url: "https://hooks.example.com/doitong") { endpoint { url } } }',
    });
    expect(accepted.body.data.createWebhookEndpoint.endpoint.url).toBe('https://hooks.example.com/doitong');
  });
});

describe('webhook deliveries are checked again at each attempt', () => {
  it('refuses a host name that resolves to each refused address class, without connecting', async () => {
    receiver = await startReceiver();
    const names = new Map(refusedAddresses.map(([, address], index) => [`host${index}.test`, address]));
    doitong = testDoitong({
      providers: [fakeProvider().adapter],
      webhooks: {
        retrySchedule: [],
        lookup: async (hostname) => [{ address: names.get(hostname) ?? '127.0.0.1', family: familyOf(names.get(hostname) ?? '127.0.0.1') }],
      },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    // The receiver's own port, so a guard that let anything through would be seen there.
    for (const name of names.keys()) {
      const response = await post(doitong, apiKey, {
        query: `mutation { createWebhookEndpoint(url: "http://${name}:${receiver.port}/hook") { endpoint { id } } }`,
      });
      expect(response.body.errors).toBeUndefined();
    }
    await post(doitong, apiKey, { query: 'mutation { generate(input: { type: IMAGE, input: { text: "x" } }) { id } }' });
    const list = await eventually(
      () => post(doitong!, apiKey, { query: '{ webhookDeliveries(first: 50) { nodes { url status attempts { responseStatus error } } } }' }),
      (response) =>
        response.body.data.webhookDeliveries.nodes.length === names.size &&
        response.body.data.webhookDeliveries.nodes.every((node: { status: string }) => node.status === 'FAILED'),
    );
    for (const delivery of list.body.data.webhookDeliveries.nodes as Array<{
      url: string;
      attempts: Array<{ responseStatus: number | null; error: string }>;
    }>) {
      const name = new URL(delivery.url).hostname;
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]!.responseStatus).toBeNull();
      expect(delivery.attempts[0]!.error).toBe(`refused: ${name} resolves to ${names.get(name)}, which is not a public address`);
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const agent = guardedAgent({
      allowPrivateUrls: false,
      connectTimeoutMilliseconds: 1_000,
      lookup: async (): Promise<ResolvedAddress[]> => [
        { address: '93.184.215.14', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    receiver = await startReceiver();
    await expect(request(`http://mixed.test:${receiver.port}/`, { dispatcher: agent, method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'ERR_WEBHOOK_ADDRESS_BLOCKED',
    });
    expect(receiver.received).toHaveLength(0);
    await agent.close();
  });

  it('refuses IP literals in the connector itself (IPv4 and IPv6 loopback, IPv4-mapped)', async () => {
    receiver = await startReceiver();
    const lookups: string[] = [];
    const agent = guardedAgent({ allowPrivateUrls: false, connectTimeoutMilliseconds: 1_000, lookup: async (hostname) => (lookups.push(hostname), []) });
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'])
      await expect(request(`http://${host}:${receiver.port}/`, { dispatcher: agent, method: 'POST', body: '{}' }), host).rejects.toMatchObject({
        code: 'ERR_WEBHOOK_ADDRESS_BLOCKED',
      });
    expect(receiver.received).toHaveLength(0);
    expect(lookups).toEqual([]);
    await agent.close();
  });

  it('connects to the address the lookup checked (pinned), when private targets are allowed', async () => {
    receiver = await startReceiver();
    const lookups: string[] = [];
    doitong = testDoitong({
      providers: [fakeProvider().adapter],
      webhooks: {
        allowPrivateUrls: true,
        retrySchedule: [],
        lookup: async (hostname) => (lookups.push(hostname), hostname === 'evil.test' ? [{ address: '127.0.0.1', family: 4 }] : []),
      },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    await post(doitong, apiKey, {
      query: `mutation { generate(input: { type: IMAGE, input: { text: "x" }, webhookUrl: "http://evil.test:${receiver.port}/pinned" }) { id } }`,
    });
    await eventually(
      async () => receiver!.on('/pinned').length,
      (count) => count === 1,
    );
    // `.test` names exist in no DNS: the request reached loopback only through the injected resolver.
    expect(lookups).toContain('evil.test');
    expect(receiver.on('/pinned')[0]!.headers.host).toBe(`evil.test:${receiver.port}`);
  });
});

describe('the one address check', () => {
  it('refuses every refused class, and accepts public addresses in every form that reaches them', async () => {
    const { isPublicAddress } = await import('../src/webhooks/url-check');
    for (const [name, address] of refusedAddresses) expect(isPublicAddress(address), name).toBe(false);
    for (const address of ['8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '64:ff9b::8.8.8.8'])
      expect(isPublicAddress(address), address).toBe(true);
    // What the URL parser makes of a bracketed IPv4-compatible literal is checked as well.
    expect(new URL('http://[::127.0.0.1]/').hostname).toBe('[::7f00:1]');
  });
});

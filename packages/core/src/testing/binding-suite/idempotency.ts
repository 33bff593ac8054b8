import assert from 'node:assert/strict';
import type { CreditLedger, Doitong, DoitongOptions, IdempotencyStore } from '@doitong/core';
import { DoitongError, InProcessQueue, KeyValueIdempotencyStore, MemoryLedger, memoryStore, silentLogger } from '@doitong/core';
import { fakeProvider } from '../fake-provider';
import { manualClock } from '../manual-clock';

/** One answer as a client saw it: header names in lower case, the body parsed (null when empty). */
export interface SentResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** Sends one GraphQL POST, through the handler or through a real HTTP binding. */
export type IdempotencySend = (apiKey: string | null, body: unknown, headers?: Record<string, string>) => Promise<SentResponse>;

/** Starts an instance with these options behind the transport under test. */
export type IdempotencyHarness = (options: DoitongOptions) => Promise<{ doitong: Doitong; send: IdempotencySend; close(): Promise<void> }>;

const generate = 'mutation($text: String!) { generate(input: { type: IMAGE, input: { text: $text } }) { id status creditCost } }';

/** A ledger whose reserve waits while a gate is set, to hold a request in flight. */
class GatedLedger extends MemoryLedger {
  gate: Promise<void> | undefined;
  #arrive!: () => void;
  /** Resolves once a reservation waits at the gate: its request holds the Idempotency-Key's claim by then. */
  readonly arrived = new Promise<void>((resolve) => (this.#arrive = resolve));
  override async reserve(...args: Parameters<CreditLedger['reserve']>) {
    if (this.gate) this.#arrive();
    await this.gate;
    return super.reserve(...args);
  }
}

/** A queue that refuses its first job, as a queue on a Redis that is briefly away does. */
class FlakyQueue extends InProcessQueue {
  failures = 1;
  override async enqueue(...args: Parameters<InProcessQueue['enqueue']>) {
    if (this.failures-- > 0) throw new DoitongError('SERVICE_UNAVAILABLE', 'The job queue is unavailable.');
    return super.enqueue(...args);
  }
}

/** Each field of `expected` equals the same field of `actual` (other fields may be there too). */
function assertFields(actual: Record<string, unknown> | undefined, expected: Record<string, unknown>): void {
  assert.ok(actual, 'expected an object');
  for (const [name, value] of Object.entries(expected)) assert.deepEqual(actual[name], value, `${name} of ${JSON.stringify(actual)}`);
}

/**
 * The Idempotency-Key cases, written once and run through the handler (core's own tests) and
 * through each HTTP binding (`bindingTestSuite`): replay, 422, 409, 400, not storing refused
 * requests, 50 concurrent retries, what is not kept, and a claim whose instance died.
 */
export const idempotencyScenarios: Record<string, (harness: IdempotencyHarness) => Promise<void>> = {
  'replays the first response exactly, marked as a replay': async (harness) => {
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const first = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-1' });
    const again = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': '"key-1"' });
    assert.equal(first.status, 200);
    assert.equal(again.status, first.status);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(first.headers['idempotent-replayed'], undefined);
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit'])
      assert.equal(again.headers[name], first.headers[name], name);
    const list = await send(apiKey, { query: '{ generations { nodes { id } } me { credits } }' });
    assert.equal(list.body.data.generations.nodes.length, 1);
    assert.equal(list.body.data.me.credits, 90);
    await close();
  },
  'answers the same key with another payload with 422': async (harness) => {
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-2' });
    const other = await send(apiKey, { query: generate, variables: { text: 'y' } }, { 'Idempotency-Key': 'key-2' });
    assert.equal(other.status, 422);
    assert.equal(other.body.errors[0].extensions.code, 'IDEMPOTENCY_KEY_REUSED');
    // Keys are scoped per account: another account's identical key is its own.
    const stranger = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const theirs = await send(stranger.apiKey, { query: generate, variables: { text: 'y' } }, { 'Idempotency-Key': 'key-2' });
    assert.equal(theirs.status, 200);
    await close();
  },
  'answers a retry while the first request still runs with 409, then replays': async (harness) => {
    const ledger = new GatedLedger();
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter], ledger });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    let open!: () => void;
    ledger.gate = new Promise((resolve) => (open = resolve));
    const first = send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-3' });
    await ledger.arrived;
    const during = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-3' });
    assert.equal(during.status, 409);
    assertFields(during.body.errors[0].extensions, { code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true });
    open();
    const original = await first;
    const after = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-3' });
    assert.deepEqual(after.body, original.body);
    await close();
  },
  'refuses a key longer than 255 characters with 400': async (harness) => {
    const { doitong, send, close } = await harness({ providers: [fakeProvider().adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const response = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'k'.repeat(256) });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].extensions.code, 'IDEMPOTENCY_KEY_INVALID');
    assert.equal((await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'k'.repeat(255) })).status, 200);
    await close();
  },
  'does not keep responses refused before execution (401, 429), so a retry can succeed': async (harness) => {
    const clock = manualClock();
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter], clock });
    const { apiKey } = await doitong.accounts.create({ plan: 'free', credits: 100 });
    const unauthenticated = await send('dk_test_notarealkeynotarealkey', { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-5' });
    assert.equal(unauthenticated.status, 401);
    const accepted = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-5' });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.headers['idempotent-replayed'], undefined);
    // The Free plan runs one at a time: a second generation is refused for concurrency.
    const limited = await send(apiKey, { query: generate, variables: { text: 'y' } }, { 'Idempotency-Key': 'key-6' });
    assert.equal(limited.status, 429);
    await send(apiKey, { query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id: accepted.body.data.generate.id } });
    const retried = await send(apiKey, { query: generate, variables: { text: 'y' } }, { 'Idempotency-Key': 'key-6' });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.data.generate.status, 'PENDING');
    await close();
  },
  'creates exactly one generation and one reservation for 50 concurrent requests with one key': async (harness) => {
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => send(apiKey, { query: generate, variables: { text: 'same' } }, { 'Idempotency-Key': 'key-7' })),
    );
    const ids = new Set(responses.filter((response) => response.status === 200).map((response) => response.body.data.generate.id));
    assert.equal(ids.size, 1);
    assert.equal(
      responses.every((response) => response.status === 200 || response.status === 409),
      true,
    );
    const ledger = await send(apiKey, { query: '{ me { credits } creditTransactions { nodes { type } } generations { nodes { id } } }' });
    assert.equal(ledger.body.data.generations.nodes.length, 1);
    assert.equal(ledger.body.data.creditTransactions.nodes.filter((entry: { type: string }) => entry.type === 'RESERVE').length, 1);
    assert.equal(ledger.body.data.me.credits, 990);
    await close();
  },
  'does not keep a retryable failure (SERVICE_UNAVAILABLE) as the key’s answer: the retry runs': async (harness) => {
    const queue = new FlakyQueue({ logger: silentLogger });
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter], queue });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const failed = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-8' });
    assertFields(failed.body.errors[0].extensions, { code: 'SERVICE_UNAVAILABLE', retryable: true });
    const retried = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-8' });
    assert.equal(retried.status, 200);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
    assert.equal(retried.body.data.generate.status, 'PENDING');
    const again = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-8' });
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, retried.body);
    // The failed attempt was refunded; only the retry is reserved.
    const me = await send(apiKey, { query: '{ me { credits } }' });
    assert.equal(me.body.data.me.credits, 90);
    await close();
  },
  'keeps nothing for a request whose every field was refused (invalid input), so the key stays free': async (harness) => {
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const unknown = 'mutation { generate(input: { type: IMAGE, provider: "no-such-provider", input: { text: "x" } }) { id } }';
    const refused = await send(apiKey, { query: unknown }, { 'Idempotency-Key': 'key-9' });
    assert.equal(refused.body.errors[0].extensions.code, 'INVALID_INPUT');
    // Had it been stored, another payload with the key would be 422.
    const next = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-9' });
    assert.equal(next.status, 200);
    assert.equal(next.body.data.generate.status, 'PENDING');
    await close();
  },
  'answers a response over the kept size as usual, says it was not kept, and answers a retry with 410': async (harness) => {
    const { doitong, send, close } = await harness({ providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter], limits: { maxIdempotentResponseBytes: 64 } });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const first = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-11' });
    assert.equal(first.status, 200);
    assert.equal(first.body.data.generate.status, 'PENDING');
    assert.equal(first.headers['idempotency-response'], 'not-kept; reason=size');
    assert.deepEqual(first.body.extensions.idempotency, { code: 'IDEMPOTENCY_RESPONSE_NOT_KEPT', reason: 'size' });
    const retry = await send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-11' });
    assert.equal(retry.status, 410);
    assertFields(retry.body.errors[0].extensions, { code: 'IDEMPOTENCY_RESPONSE_NOT_KEPT', reason: 'size', retryable: false });
    // The retry ran nothing: one generation, one reservation.
    const me = await send(apiKey, { query: '{ me { credits } generations { nodes { id } } }' });
    assert.equal(me.body.data.generations.nodes.length, 1);
    assert.equal(me.body.data.me.credits, 90);
    await close();
  },
  'counts kept responses against the account’s budget, and keeps none past it': async (harness) => {
    const { doitong, send, close } = await harness({
      providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter],
      limits: { idempotencyBytesPerAccount: 1_000 },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1_000 });
    const reasons: Array<string | undefined> = [];
    for (let index = 0; index < 8; index++) {
      const response = await send(apiKey, { query: generate, variables: { text: `x${index}` } }, { 'Idempotency-Key': `key-12-${index}` });
      assert.equal(response.status, 200);
      reasons.push(response.headers['idempotency-response']);
    }
    const kept = reasons.filter((reason) => reason === undefined).length;
    assert.ok(kept > 0, `kept ${kept}`);
    assert.equal(
      reasons.slice(kept).every((reason) => reason === 'not-kept; reason=budget'),
      true,
    );
    // Another account has its own budget.
    const other = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const theirs = await send(other.apiKey, { query: generate, variables: { text: 'y' } }, { 'Idempotency-Key': 'key-12-0' });
    assert.equal(theirs.headers['idempotency-response'], undefined);
    await close();
  },
  'never keeps or replays a one-time secret (createWebhookEndpoint)': async (harness) => {
    const { doitong, send, close } = await harness({ providers: [fakeProvider().adapter] });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 100 });
    const create = { query: 'mutation { createWebhookEndpoint(url: "https://hooks.example.com/doitong") { endpoint { id } secret } }' };
    const first = await send(apiKey, create, { 'Idempotency-Key': 'key-13' });
    const secret: string = first.body.data.createWebhookEndpoint.secret;
    assert.match(secret, /^whsec_/);
    assert.equal(first.headers['idempotency-response'], 'not-kept; reason=secret');
    const retry = await send(apiKey, create, { 'Idempotency-Key': 'key-13' });
    assert.equal(retry.status, 410);
    assertFields(retry.body.errors[0].extensions, { code: 'IDEMPOTENCY_RESPONSE_NOT_KEPT', reason: 'secret' });
    assert.equal(JSON.stringify(retry).includes(secret.slice(6)), false);
    const endpoints = await send(apiKey, { query: '{ webhookEndpoints { id } }' });
    assert.equal(endpoints.body.data.webhookEndpoints.length, 1);
    await close();
  },
  'lets a retry proceed once the claim of a request whose instance died has lapsed': async (harness) => {
    const clock = manualClock(Date.now());
    const store = memoryStore({ now: clock.now });
    const shared = new KeyValueIdempotencyStore(store, clock.now);
    // The first instance dies mid-request: it stops renewing its claim, and never answers.
    const dead: IdempotencyStore = { ...bind(shared), renew: async () => true };
    // One ledger for both: the first request's reservation never returns.
    const ledger = new GatedLedger();
    const first = await harness({
      providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter],
      storage: store,
      ledger,
      idempotency: dead,
      clock,
      idempotencyLeaseSeconds: 5,
    });
    const { apiKey } = await first.doitong.accounts.create({ plan: 'pro', credits: 100, apiKey: 'dk_test_leaseleaseleaseleaselease' });
    ledger.gate = new Promise(() => undefined);
    void first.send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-10' });
    const second = await harness({
      providers: [fakeProvider({ pollsToFinish: 1_000 }).adapter],
      storage: store,
      ledger,
      idempotency: shared,
      clock,
      idempotencyLeaseSeconds: 5,
    });
    await ledger.arrived;
    const during = await second.send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-10' });
    assert.equal(during.status, 409);
    clock.advance(5_001);
    ledger.gate = undefined;
    const retried = await second.send(apiKey, { query: generate, variables: { text: 'x' } }, { 'Idempotency-Key': 'key-10' });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.data.generate.status, 'PENDING');
    await second.close();
  },
};

function bind(store: IdempotencyStore): IdempotencyStore {
  return {
    claim: store.claim.bind(store),
    renew: store.renew.bind(store),
    complete: store.complete.bind(store),
    release: store.release.bind(store),
  };
}

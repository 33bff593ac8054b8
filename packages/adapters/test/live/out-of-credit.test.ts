import { afterAll, describe, expect, it } from 'vitest';
import { catalog, type CatalogEntry } from '@doitong/adapters';
import type { GenerationInput } from '@doitong/core';
import { requestFor } from '../helpers';
import { arkAccountOverdue } from '../mocks/ark';
import { googleBillingRequired, googlePrepayDepleted } from '../mocks/google';
import { heygenInsufficientCredit } from '../mocks/heygen';
import type { MockServer } from '../mocks/mock-server';
import { runwayOutOfCredits } from '../mocks/runway';
import { families } from './families';
import { context, liveAdapter } from './target';

type Answer = { status: number; body: unknown };

/**
 * Each provider's answer when our account with it has no credit, quota or billing left, as its
 * documents show it. Whatever the HTTP status (Runway and Google say 400, MiniMax says 200), it
 * is the account's state, not the caller's request: PROVIDER_UNAVAILABLE, which fallback and the
 * health circuit see. Where a provider documents none, its HTTP 402 is used (marked UNCONFIRMED).
 */
const kling: Answer[] = [
  { status: 429, body: { code: 1101, message: 'account in arrears', request_id: 'r' } },
  { status: 429, body: { code: 1102, message: 'resource pack exhausted or expired', request_id: 'r' } },
];
const bfl: Answer[] = [{ status: 402, body: { detail: 'Insufficient credits' } }];
const google: Answer[] = [googleBillingRequired, googlePrepayDepleted];
const answers: Record<string, Answer[]> = {
  // REFERENCE.md §1.7 (Kling error table): 1101 arrears, 1102 resource pack exhausted.
  kling,
  kolors: kling,
  'kling-ecommerce': kling,
  // REFERENCE.md §2.5: 1008 insufficient balance, inside an HTTP 200.
  minimax: [{ status: 200, body: { task_id: '', base_resp: { status_code: 1008, status_msg: 'insufficient balance' } } }],
  // https://ai.google.dev/gemini-api/docs/troubleshooting
  veo: google,
  imagen: google,
  'google-tts': google,
  runway: [runwayOutOfCredits],
  // Luma: HTTP 402 for insufficient credits (docs.agents.lumalabs.ai error table; UNCONFIRMED for Dream Machine).
  luma: [{ status: 402, body: { detail: 'Insufficient credits' } }],
  // Viggle: CS-ORCR-001 insufficient credits (docs.viggle.ai; its HTTP status is UNCONFIRMED, so 400 here: the code decides).
  viggle: [{ status: 400, body: { detail: { error_code: 'CS-ORCR-001', message: 'Insufficient credits', action: 'Top up your credits' } } }],
  // https://docs.byteplus.com/en/docs/ModelArk/1299023
  seedance: [arkAccountOverdue],
  seedream: [arkAccountOverdue],
  // REFERENCE.md §9.4: 402 insufficient credits.
  'flux-pro': bfl,
  'flux-1.1-pro': bfl,
  'flux-ultra': bfl,
  'flux-kontext': bfl,
  // fal locks a user whose balance is spent (403).
  'flux-schnell': [{ status: 403, body: { detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.' } }],
  // Replicate: 402 with a problem body.
  'flux-optimized': [{ status: 402, body: { title: 'Insufficient credit', detail: 'You have insufficient credit to run this model.', status: 402 } }],
  // REFERENCE.md §10: 402 insufficient credits.
  'stable-diffusion': [{ status: 402, body: { id: 'e1', name: 'payment_required', errors: ['You lack sufficient credits to make this request.'] } }],
  // help.elevenlabs.io "API Error Code 400 or 401": quota_exceeded, under 401 and under 400.
  elevenlabs: [
    { status: 401, body: { detail: { status: 'quota_exceeded', message: 'You have insufficient quota to complete this request' } } },
    { status: 400, body: { detail: { status: 'quota_exceeded', message: 'You have insufficient quota to complete this request' } } },
  ],
  heygen: [heygenInsufficientCredit],
  // sync.so: HTTP 402 (UNCONFIRMED body).
  'sync-lipsync': [{ status: 402, body: { message: 'Insufficient credits' } }],
};

function input(entry: CatalogEntry): GenerationInput {
  if (entry.id === 'sync-lipsync') return { video: 'https://example.com/face.mp4', audio: 'https://example.com/speech.wav' };
  if (entry.id === 'viggle') return { image: 'https://example.com/me.png', video: 'https://example.com/dance.mp4' };
  return { text: 'a lighthouse on a cliff at dusk' };
}

const mocks: MockServer[] = [];
afterAll(async () => {
  for (const mock of mocks) await mock.close();
});

describe('out of credit, quota or billing: PROVIDER_UNAVAILABLE at every provider', () => {
  for (const entry of catalog) {
    it(`${entry.id}`, async () => {
      const setup = families[entry.id]!;
      const mock = await setup.mock();
      mocks.push(mock);
      const live = liveAdapter(entry.id, setup.family, mock.url, setup.credentials);
      const request = requestFor(live, entry.types[0]!, input(entry), entry.id === 'seedance' ? { resolution: '480p' } : {});
      expect(answers[entry.id], `no out-of-credit answer for ${entry.id}`).toBeDefined();
      for (const answer of answers[entry.id]!) {
        mock.nextCreateError = answer;
        await expect(live.start(request, context()), `${entry.id} ${answer.status} ${JSON.stringify(answer.body)}`).rejects.toMatchObject({
          code: 'PROVIDER_UNAVAILABLE',
          acceptance: 'rejected',
        });
      }
      // The same request goes through once the account is in order again.
      await expect(live.start(request, context())).resolves.toBeDefined();
    });
  }
});

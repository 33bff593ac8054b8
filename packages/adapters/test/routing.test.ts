import { describe, expect, it } from 'vitest';
import {
  createDoitong,
  ProviderRegistry,
  ProviderRouter,
  silentLogger,
  type GenerationInput,
  type GenerationType,
  type JsonValue,
  type Priority,
} from '@doitong/core';
import { sandboxProviders } from '@doitong/sandbox';

/**
 * Automatic selection over the real catalog: the cases a person would route by reading the
 * request, decided by the catalog's declared strengths. The router is called directly (nothing
 * is rendered); the `providers` query is read through the handler.
 */
const registry = new ProviderRegistry();
for (const adapter of sandboxProviders({ latencyMilliseconds: 0 })) registry.register(adapter);
const router = new ProviderRouter(registry);
const onePixelPng = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function route(type: GenerationType, input: GenerationInput, extra: { priority?: Priority; provider?: string; options?: Record<string, JsonValue> } = {}) {
  return router.route({
    type,
    input,
    options: extra.options ?? {},
    priority: extra.priority ?? null,
    provider: extra.provider ?? null,
    mode: 'test',
    generationId: 'gen_routing',
    accountId: 'acct_routing',
  });
}

describe('automatic selection reads the request', () => {
  it('sends a choreography for several dancers to a model strong at dance, and a dance to copy to Viggle', () => {
    const textOnly = route('VIDEO', { text: 'Two dancers performing synchronized choreography' });
    expect(['seedance', 'kling', 'minimax']).toContain(textOnly.adapter.id);
    expect(textOnly.decision.explanation).toContain('dance or choreography ("dancers", "choreography")');
    const vietnamese = route('VIDEO', { text: 'hai cô gái nhảy đồng diễn theo nhạc kpop' });
    expect(['seedance', 'kling', 'minimax']).toContain(vietnamese.adapter.id);
    const motionTransfer = route('VIDEO', { image: 'https://example.com/dancer.png', video: 'https://example.com/moves.mp4' });
    expect(motionTransfer.adapter.id).toBe('viggle');
  });

  it('sends a product showcase for an online store to Kling’s e-commerce model, and nothing else there', () => {
    const showcase = route('VIDEO', { text: 'product showcase of a white sneaker for an online store' });
    expect(showcase.adapter.id).toBe('kling-ecommerce');
    expect(showcase.decision.explanation).toContain('kling-ecommerce fits: made for a product or e-commerce showcase');
    expect(route('VIDEO', { text: 'video giới thiệu sản phẩm nước hoa cho cửa hàng online' }).adapter.id).toBe('kling-ecommerce');
    for (const priority of ['QUALITY', 'SPEED', 'COST', 'BALANCED'] as const) {
      expect(route('VIDEO', { text: 'a city at night in the rain' }, { priority }).adapter.id).not.toBe('kling-ecommerce');
    }
  });

  it('sends a poster with words to render to a model made for text in pictures', () => {
    expect(['seedream', 'flux-kontext', 'imagen']).toContain(route('IMAGE', { text: 'A poster with the words "Grand Opening" in bold letters' }).adapter.id);
    expect(['seedream', 'flux-kontext', 'imagen']).toContain(route('IMAGE', { text: 'áp phích khai trương với dòng chữ "Giảm giá 50%"' }).adapter.id);
  });

  it('sends a Vietnamese voice-over to a voice that speaks Vietnamese, in Vietnamese', () => {
    const chosen = route('AUDIO', { text: 'Chào mừng quý khách đến với cửa hàng của chúng tôi. Hôm nay có nhiều ưu đãi hấp dẫn.' });
    expect(chosen.adapter.id).toBe('google-tts');
    expect(chosen.request.options.languageCode).toBe('vi-VN');
    expect(chosen.decision.explanation).toContain('Left out: elevenlabs (its voices do not speak Vietnamese');
    const accentless = route('AUDIO', { text: 'Chao mung quy khach den voi cua hang cua chung toi' });
    expect(accentless.adapter.id).toBe('google-tts');
    expect(route('AUDIO', { text: 'Once upon a time, a little fox whispered a secret to the moon.' }).adapter.id).toBe('elevenlabs');
    expect(route('AVATAR', { text: 'Xin chào, tôi là trợ lý ảo của ngân hàng.' }).adapter.id).toBe('heygen');
  });

  it('animates a portrait that speaks with a model that makes sound, and renders a 1080p clip where 1080p exists', () => {
    // Inline, as Veo takes its input image (it does not fetch links, so a link would rule it out).
    const portrait = route('VIDEO', { text: 'this old fisherman speaks to the camera about the sea', image: onePixelPng });
    expect(portrait.adapter.id).toBe('veo');
    const clip = route('VIDEO', { text: 'a 5-second 1080p clip of waves at sunset' });
    expect(clip.adapter.id).not.toBe('runway');
    expect(clip.decision.candidates.find((candidate) => candidate.provider === 'runway')!.reason).toBe(
      'cannot serve this request: it renders at most 768p, and 1080p was asked for',
    );
    const long = route('VIDEO', { text: 'a 10 second tracking shot through a forest' });
    expect(long.decision.candidates.find((candidate) => candidate.provider === 'veo')!.eligible).toBe(false);
    expect(['kling', 'minimax']).toContain(long.adapter.id);
  });

  it('still obeys a named provider, and the priority among providers that fit', () => {
    expect(route('VIDEO', { text: 'Two dancers performing synchronized choreography' }, { provider: 'runway' }).adapter.id).toBe('runway');
    // Kling, Hailuo and Seedance are all strong at dance: the priority decides between them.
    const quick = route('VIDEO', { text: 'a woman dancing salsa on a beach' }, { priority: 'SPEED' });
    const best = route('VIDEO', { text: 'a woman dancing salsa on a beach' }, { priority: 'QUALITY' });
    expect(quick.adapter.id).toBe('seedance');
    expect(['kling', 'minimax']).toContain(best.adapter.id);
    expect(best.decision.explanation).toMatch(/Runner-up \S+: fits as well, but scores lower for quality/);
  });
});

describe('the providers query', () => {
  it('shows each provider’s strengths', async () => {
    const doitong = createDoitong({ providers: sandboxProviders({ latencyMilliseconds: 0 }), logger: silentLogger, graphiql: false });
    try {
      const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 10 });
      const response = await doitong.handle({
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: '{ providers(type: VIDEO) { id strengths { intents { intent level } voiceLanguages maxSeconds maxResolution } } }' }),
      });
      const providers = (
        JSON.parse(response.body as string) as {
          data: {
            providers: Array<{
              id: string;
              strengths: { intents: Array<{ intent: string; level: number }>; maxSeconds: number | null; voiceLanguages: string[] | null };
            }>;
          };
        }
      ).data.providers;
      expect(providers.find((provider) => provider.id === 'viggle')!.strengths.intents).toEqual([
        { intent: 'dance', level: 3 },
        { intent: 'several-people', level: 3 },
      ]);
      expect(providers.find((provider) => provider.id === 'veo')!.strengths).toMatchObject({ maxSeconds: 8, voiceLanguages: ['en'] });
      expect(providers.every((provider) => provider.strengths !== null)).toBe(true);
    } finally {
      await doitong.close();
    }
  });
});

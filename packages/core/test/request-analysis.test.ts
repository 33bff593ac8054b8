import { afterEach, describe, expect, it } from 'vitest';
import { analyseRequest, ProviderRegistry, ProviderRouter, type AnalysisRequest, type Doitong, type Intent, type RequestNeeds } from '@doitong/core';
import { post, testDoitong } from './support';
import { testProvider } from './providers';

function needsOf(type: AnalysisRequest['type'], text: string, extra: Partial<AnalysisRequest> = {}): RequestNeeds {
  return analyseRequest({ type, input: { text, ...(extra.input ?? {}) }, options: extra.options ?? {}, priority: extra.priority ?? null });
}
function intentsOf(type: AnalysisRequest['type'], text: string, extra: Partial<AnalysisRequest> = {}): Intent[] {
  return needsOf(type, text, extra).needs.map((need) => need.intent);
}

describe('the request analyser', () => {
  it('reads dance with several people in English, and in Vietnamese with and without accents', () => {
    for (const text of [
      'Two dancers performing synchronized choreography',
      'hai cô gái nhảy đồng diễn trên sân khấu',
      'hai co gai nhay hien dai tren san khau',
    ]) {
      expect(intentsOf('VIDEO', text)).toEqual(expect.arrayContaining(['dance', 'several-people']));
    }
    expect(needsOf('VIDEO', 'Two dancers performing synchronized choreography').needs.find((need) => need.intent === 'dance')!.evidence).toEqual([
      'dancers',
      'choreography',
    ]);
  });

  it('tells "múa" (to dance) from "mua" (to buy) when the accents are written', () => {
    expect(intentsOf('VIDEO', 'cô gái múa quạt bên hồ')).toContain('dance');
    expect(intentsOf('VIDEO', 'cô gái mua quạt ở chợ')).not.toContain('dance');
    expect(intentsOf('VIDEO', 'con mèo nhảy lên bàn')).not.toContain('dance');
  });

  it('reads a product showcase, text to render, a talking head, camera motion, illustration and photorealism', () => {
    expect(intentsOf('VIDEO', 'product showcase of a white sneaker for an online store')).toContain('product');
    expect(intentsOf('VIDEO', 'video quảng cáo sản phẩm son môi cho shop online')).toContain('product');
    expect(intentsOf('IMAGE', 'A poster with the words "Grand Opening" in bold letters')).toContain('text-in-image');
    expect(intentsOf('IMAGE', 'áp phích có dòng chữ "Khai trương"')).toContain('text-in-image');
    expect(intentsOf('VIDEO', 'a news anchor talking to the camera')).toContain('talking-head');
    expect(intentsOf('VIDEO', 'the camera slowly orbits around a lighthouse')).toContain('camera-motion');
    expect(intentsOf('VIDEO', 'flycam lia máy qua ruộng bậc thang')).toContain('camera-motion');
    expect(intentsOf('IMAGE', 'anime girl under cherry blossoms, studio ghibli style')).toContain('illustration');
    expect(intentsOf('IMAGE', 'tranh minh hoa truyen tranh cho be')).toContain('illustration');
    expect(intentsOf('IMAGE', 'photorealistic portrait of an old fisherman, 85mm, bokeh')).toEqual(expect.arrayContaining(['photorealism', 'portrait']));
  });

  it('takes "no", "without" and "static" as saying the opposite', () => {
    expect(intentsOf('IMAGE', 'a minimalist landscape, no text, no watermark')).not.toContain('text-in-image');
    expect(intentsOf('IMAGE', 'a poster-style illustration without any text')).not.toContain('text-in-image');
    expect(intentsOf('VIDEO', 'static camera, a candle flickering on a table')).not.toContain('camera-motion');
    expect(intentsOf('VIDEO', 'máy quay cố định, một cây nến cháy')).not.toContain('camera-motion');
    expect(intentsOf('VIDEO', 'a quiet street with no people dancing')).not.toContain('dance');
  });

  it('reads the clip length and the resolution, and takes decades for what they are', () => {
    expect(needsOf('VIDEO', 'a 10-second 1080p clip of waves')).toMatchObject({ seconds: 10, resolution: 1080 });
    expect(intentsOf('VIDEO', 'a 10-second 1080p clip of waves')).toEqual(expect.arrayContaining(['long-clip', 'high-resolution']));
    expect(needsOf('VIDEO', 'video 5 giây về biển')).toMatchObject({ seconds: 5 });
    expect(needsOf('VIDEO', 'a dance in the style of the 80s').seconds).toBeUndefined();
    expect(needsOf('VIDEO', 'waves', { options: { duration: 6 } }).seconds).toBe(6);
    expect(needsOf('IMAGE', 'a 4K wallpaper of mountains')).toMatchObject({ resolution: 2160 });
  });

  it('reads the language of the voice and of the text to render', () => {
    expect(needsOf('AUDIO', 'Xin chào các bạn, hôm nay chúng ta nói về lịch sử.')).toMatchObject({ voiceLanguage: 'vi', promptLanguage: 'vi' });
    expect(needsOf('AUDIO', 'Xin chao cac ban, hom nay chung ta se noi ve lich su')).toMatchObject({ voiceLanguage: 'vi' });
    expect(needsOf('AUDIO', 'Welcome to our store.').voiceLanguage).toBe('en');
    expect(needsOf('AUDIO', 'Hello', { options: { languageCode: 'vi-VN' } }).voiceLanguage).toBe('vi');
    expect(needsOf('IMAGE', 'a shop sign that says "Phở Hà Nội"')).toMatchObject({ textLanguage: 'vi' });
    expect(needsOf('VIDEO', 'a chef cooking, with a Vietnamese voice-over')).toMatchObject({ voiceLanguage: 'vi' });
    expect(needsOf('VIDEO', 'a bowl of Vietnamese pho on a table').voiceLanguage).toBeUndefined();
  });

  it('is deterministic and reads nothing into a plain prompt', () => {
    const first = needsOf('VIDEO', 'Hai chàng trai nhảy hip hop, máy quay lia theo, 10 giây');
    expect(needsOf('VIDEO', 'Hai chàng trai nhảy hip hop, máy quay lia theo, 10 giây')).toEqual(first);
    expect(needsOf('IMAGE', 'a red fox in the snow').needs).toEqual([]);
  });
});

describe('routing by needs', () => {
  function router(providers: ReturnType<typeof testProvider>[]) {
    const registry = new ProviderRegistry();
    for (const provider of providers) registry.register(provider.adapter);
    return new ProviderRouter(registry);
  }
  const route = (
    chooser: ProviderRouter,
    text: string,
    extra: { priority?: 'QUALITY' | 'SPEED' | 'COST' | 'BALANCED'; type?: 'VIDEO' | 'AUDIO'; options?: Record<string, string | number> } = {},
  ) =>
    chooser.route({
      type: extra.type ?? 'VIDEO',
      input: { text },
      options: extra.options ?? {},
      priority: extra.priority ?? null,
      mode: 'test',
      generationId: 'g',
      accountId: 'a',
    });

  const general = testProvider({ id: 'general', quality: 9, speed: 9, creditCost: 5, estimatedTime: 10 });
  const dancer = testProvider({
    id: 'dancer',
    quality: 5,
    speed: 4,
    creditCost: 20,
    estimatedTime: 60,
    strengths: { intents: { dance: 3, 'several-people': 3 } },
  });
  const mover = testProvider({ id: 'mover', quality: 8, speed: 5, creditCost: 10, estimatedTime: 30, strengths: { intents: { dance: 2 } } });
  const cheapMover = testProvider({ id: 'cheap-mover', quality: 6, speed: 5, creditCost: 4, estimatedTime: 30, strengths: { intents: { dance: 2 } } });

  it('sends a request to the provider made for what it needs, and explains why', () => {
    const chosen = route(router([general, mover, dancer]), 'Two dancers performing synchronized choreography');
    expect(chosen.adapter.id).toBe('dancer');
    expect(chosen.decision.needs!.map((need) => need.intent)).toEqual(['dance', 'several-people']);
    expect(chosen.decision.explanation).toContain('Needs found: dance or choreography ("dancers", "choreography")');
    expect(chosen.decision.explanation).toContain('dancer fits: made for dance or choreography, made for several people');
    expect(chosen.decision.explanation).toMatch(/Runner-up mover: fits less \(\d+ % against 100 %\): weaker at dance or choreography, several people/);
    expect(chosen.decision.candidates.find((candidate) => candidate.provider === 'general')!.fit).toBe(0);
    expect(chosen.fallbacks).toEqual(['mover', 'general']);
  });

  it('keeps the priority among providers that fit alike, and says so', () => {
    const chooser = router([general, mover, cheapMover]);
    expect(route(chooser, 'a woman dancing tango', { priority: 'COST' }).adapter.id).toBe('cheap-mover');
    const quality = route(chooser, 'a woman dancing tango', { priority: 'QUALITY' });
    expect(quality.adapter.id).toBe('mover');
    expect(quality.decision.explanation).toMatch(/Runner-up cheap-mover: fits as well, but scores lower for quality/);
    // Without a need the priority alone decides, as before.
    expect(route(chooser, 'a red fox in the snow', { priority: 'QUALITY' }).adapter.id).toBe('general');
  });

  it('leaves out a provider that cannot render the length asked for, unless none can', () => {
    const short = testProvider({ id: 'short', quality: 10, speed: 10, creditCost: 1, strengths: { intents: {}, maxSeconds: 8 } });
    const long = testProvider({ id: 'long', quality: 5, speed: 5, creditCost: 10, strengths: { intents: {}, maxSeconds: 10 } });
    const chosen = route(router([short, long]), 'a 10-second clip of the sea');
    expect(chosen.adapter.id).toBe('long');
    expect(chosen.decision.candidates.find((candidate) => candidate.provider === 'short')).toMatchObject({
      eligible: false,
      reason: 'cannot serve this request: it renders at most 8 s, and 10 s were asked for',
    });
    const unmet = route(router([short]), 'a 20-second clip of the sea');
    expect(unmet.adapter.id).toBe('short');
    expect(unmet.decision.explanation).toContain('No video provider can meet every need (short: it renders at most 8 s, and 20 s were asked for)');
  });

  it('leaves out voices that lack the language, and sets the language on the one chosen', () => {
    const englishOnly = testProvider({
      id: 'english-only',
      type: 'AUDIO',
      quality: 10,
      speed: 10,
      creditCost: 1,
      strengths: { intents: {}, voiceLanguages: ['en'] },
    });
    const many = testProvider({
      id: 'many',
      type: 'AUDIO',
      quality: 5,
      speed: 5,
      creditCost: 3,
      options: [{ name: 'languageCode', type: 'string', description: 'Language.', allowedValues: ['en-US', 'vi-VN'], default: 'en-US' }],
      strengths: { intents: {}, voiceLanguages: ['en', 'vi'], languageOption: { option: 'languageCode', values: { en: 'en-US', vi: 'vi-VN' } } },
    });
    const chooser = router([englishOnly, many]);
    const vietnamese = route(chooser, 'Xin chào các bạn, cảm ơn đã ghé thăm cửa hàng.', { type: 'AUDIO' });
    expect(vietnamese.adapter.id).toBe('many');
    expect(vietnamese.request.options.languageCode).toBe('vi-VN');
    expect(vietnamese.decision.explanation).toContain('Set options.languageCode to "vi-VN" so the voice speaks Vietnamese.');
    expect(vietnamese.decision.explanation).toContain('Left out: english-only (its voices do not speak Vietnamese (they speak English))');
    expect(route(chooser, 'Welcome to our store.', { type: 'AUDIO' }).adapter.id).toBe('english-only');
    // A language the caller set is kept.
    expect(route(chooser, 'Xin chào', { type: 'AUDIO', options: { languageCode: 'en-US' } }).request.options.languageCode).toBe('en-US');
  });

  it('sends a specialist only requests that need its speciality', () => {
    const showcase = testProvider({ id: 'showcase', quality: 10, speed: 10, creditCost: 1, strengths: { intents: { product: 3 }, reservedFor: ['product'] } });
    const chooser = router([showcase, general]);
    const plain = route(chooser, 'a city at night');
    expect(plain.adapter.id).toBe('general');
    expect(plain.decision.candidates.find((candidate) => candidate.provider === 'showcase')!.reason).toBe(
      'kept for requests that need a product or e-commerce showcase',
    );
    expect(route(chooser, 'a product video of a perfume bottle').adapter.id).toBe('showcase');
    expect(route(router([showcase]), 'a city at night').adapter.id).toBe('showcase');
  });
});

describe('routing through the API', () => {
  let doitong: Doitong;
  afterEach(async () => doitong?.close());
  const generate =
    'mutation($input: GenerateInput!) { generate(input: $input) { provider routing { provider reason explanation analyser needs { intent evidence } candidates { provider fit } } } }';
  const providers = () => [
    testProvider({ id: 'general', quality: 9, speed: 9, creditCost: 5, estimatedTime: 10 }),
    testProvider({ id: 'dancer', quality: 5, speed: 4, creditCost: 20, estimatedTime: 60, strengths: { intents: { dance: 3, 'several-people': 3 } } }),
  ];

  it('still lets the caller name the provider, whatever the request needs', async () => {
    doitong = testDoitong({ providers: providers().map((provider) => provider.adapter) });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1000 });
    const response = await post(doitong, apiKey, {
      query: generate,
      variables: { input: { type: 'VIDEO', provider: 'general', input: { text: 'two dancers' } } },
    });
    expect(response.body.data.generate).toMatchObject({ provider: 'general', routing: { reason: 'requested by the caller', needs: [], explanation: null } });
  });

  it('shows the needs, the fit and the explanation on the generation', async () => {
    doitong = testDoitong({ providers: providers().map((provider) => provider.adapter) });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1000 });
    const response = await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'hai cô gái nhảy múa' } } } });
    const routing = response.body.data.generate.routing;
    expect(routing).toMatchObject({
      provider: 'dancer',
      analyser: 'built-in',
      needs: [{ intent: 'dance' }, { intent: 'several-people', evidence: ['hai cô gái'] }],
    });
    expect(routing.candidates).toEqual([
      { provider: 'general', fit: 0 },
      { provider: 'dancer', fit: 1 },
    ]);
    expect(routing.explanation).toContain('dancer fits: made for dance or choreography');
  });

  it('routes on the host hook’s analysis when it answers in time', async () => {
    const seen: string[] = [];
    doitong = testDoitong({
      providers: providers().map((provider) => provider.adapter),
      routing: {
        analyse: async (request, builtIn) => {
          seen.push(`${request.type}:${request.input.text}:${builtIn.needs.length}`);
          return { needs: [{ intent: 'dance', evidence: ['the host model says so'] }] };
        },
      },
    });
    const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1000 });
    const response = await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'a street at night' } } } });
    expect(response.body.data.generate).toMatchObject({
      provider: 'dancer',
      routing: { analyser: 'hook', needs: [{ intent: 'dance', evidence: ['the host model says so'] }] },
    });
    expect(seen).toEqual(['VIDEO:a street at night:0']);
    // A named provider needs no analysis: the hook is not called.
    await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', provider: 'general', input: { text: 'x' } } } });
    expect(seen).toHaveLength(1);
  });

  it('falls back to the built-in analysis when the hook is late, throws or answers nonsense', async () => {
    const hooks: Array<[string, NonNullable<Parameters<typeof testDoitong>[0]>['routing']]> = [
      ['took longer than 20 ms', { analyseBudgetMilliseconds: 20, analyse: () => new Promise<never>(() => undefined) }],
      [
        'threw',
        {
          analyse: () => {
            throw new Error('model offline');
          },
        },
      ],
      [
        'failed',
        {
          analyse: async () => {
            throw new Error('model offline');
          },
        },
      ],
      ['answered something unusable (unknown intent "juggling")', { analyse: () => ({ needs: [{ intent: 'juggling' as Intent, evidence: [] }] }) }],
    ];
    for (const [what, routing] of hooks) {
      doitong = testDoitong({ providers: providers().map((provider) => provider.adapter), routing });
      const { apiKey } = await doitong.accounts.create({ plan: 'pro', credits: 1000 });
      const response = await post(doitong, apiKey, { query: generate, variables: { input: { type: 'VIDEO', input: { text: 'two dancers on a rooftop' } } } });
      expect(response.body.data.generate).toMatchObject({ provider: 'dancer', routing: { analyser: `built-in (the hook ${what})` } });
      await doitong.close();
    }
  });
});

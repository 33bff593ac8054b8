import type { LiveCredentials, ProviderFamily } from '@doitong/adapters';
import { arkKey, arkMock } from '../mocks/ark';
import { bflKey, bflMock } from '../mocks/bfl';
import { elevenLabsKey, elevenLabsMock } from '../mocks/elevenlabs';
import { falKey, falMock } from '../mocks/fal';
import { geminiMock, googleKey, googleTtsMock } from '../mocks/google';
import { heygenKey, heygenMock } from '../mocks/heygen';
import { klingKeys, klingMock } from '../mocks/kling';
import { lumaKey, lumaMock } from '../mocks/luma';
import { minimaxKey, minimaxMock } from '../mocks/minimax';
import type { MockServer } from '../mocks/mock-server';
import { replicateMock, replicateToken } from '../mocks/replicate';
import { runwayKey, runwayMock } from '../mocks/runway';
import { stabilityKey, stabilityMock } from '../mocks/stability';
import { syncKey, syncMock } from '../mocks/sync';
import { viggleKey, viggleMock } from '../mocks/viggle';

/** Each catalog id with its family, its provider's mock and credentials the mock accepts. */
export const families: Record<string, { family: ProviderFamily; mock: () => Promise<MockServer>; credentials: LiveCredentials }> = {
  kling: { family: 'kling', mock: klingMock, credentials: { kling: { accessKey: klingKeys.accessKey, secretKey: klingKeys.secretKey } } },
  kolors: { family: 'kling', mock: klingMock, credentials: { kling: { accessKey: klingKeys.accessKey, secretKey: klingKeys.secretKey } } },
  'kling-ecommerce': { family: 'klingEcommerce', mock: klingMock, credentials: { kling: { apiKey: klingKeys.apiKey } } },
  minimax: { family: 'minimax', mock: minimaxMock, credentials: { minimax: { apiKey: minimaxKey } } },
  veo: { family: 'google', mock: geminiMock, credentials: { google: { apiKey: googleKey } } },
  imagen: { family: 'google', mock: geminiMock, credentials: { google: { apiKey: googleKey } } },
  'google-tts': { family: 'googleCloud', mock: googleTtsMock, credentials: { googleCloud: { apiKey: googleKey } } },
  runway: { family: 'runway', mock: runwayMock, credentials: { runway: { apiKey: runwayKey } } },
  luma: { family: 'luma', mock: lumaMock, credentials: { luma: { apiKey: lumaKey } } },
  viggle: { family: 'viggle', mock: viggleMock, credentials: { viggle: { apiKey: viggleKey } } },
  seedance: { family: 'ark', mock: arkMock, credentials: { ark: { apiKey: arkKey } } },
  seedream: { family: 'ark', mock: arkMock, credentials: { ark: { apiKey: arkKey } } },
  'flux-pro': { family: 'bfl', mock: bflMock, credentials: { bfl: { apiKey: bflKey } } },
  'flux-1.1-pro': { family: 'bfl', mock: bflMock, credentials: { bfl: { apiKey: bflKey } } },
  'flux-ultra': { family: 'bfl', mock: bflMock, credentials: { bfl: { apiKey: bflKey } } },
  'flux-kontext': { family: 'bfl', mock: bflMock, credentials: { bfl: { apiKey: bflKey } } },
  'flux-schnell': { family: 'fal', mock: falMock, credentials: { fal: { apiKey: falKey } } },
  'flux-optimized': { family: 'replicate', mock: replicateMock, credentials: { replicate: { apiToken: replicateToken } } as LiveCredentials },
  'stable-diffusion': { family: 'stability', mock: stabilityMock, credentials: { stability: { apiKey: stabilityKey } } },
  elevenlabs: { family: 'elevenlabs', mock: elevenLabsMock, credentials: { elevenlabs: { apiKey: elevenLabsKey } } },
  heygen: { family: 'heygen', mock: heygenMock, credentials: { heygen: { apiKey: heygenKey } } },
  'sync-lipsync': { family: 'sync', mock: syncMock, credentials: { sync: { apiKey: syncKey } } },
};

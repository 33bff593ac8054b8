/**
 * The sandbox's speech is intelligible: an offline recogniser (Debian's PocketSphinx) must hear
 * the words. Runs with `pnpm test:system`, which needs the Debian packages .ci/run installs.
 */
import { describe, expect, it } from 'vitest';
import { sandboxProviders } from '@doitong/sandbox';
import { outputOf, requestFor, runJob } from '../helpers';
import { transcribe, wordRecall } from '../media-witnesses';

describe('sandbox speech, heard by PocketSphinx', () => {
  it('speaks the text of an AUDIO request', async () => {
    const provider = sandboxProviders({ latencyMilliseconds: 0, providers: ['elevenlabs'] })[0]!;
    const script = 'Welcome to the future of artificial intelligence';
    const output = outputOf(await runJob(provider, requestFor(provider, 'AUDIO', { text: script }, { voice: 'rachel' })));
    const heard = await transcribe(output.data, 'wav');
    expect(heard).toContain('future');
    expect(heard).toContain('intelligence');
    expect(wordRecall(script, heard)).toBeGreaterThanOrEqual(0.8);
  });

  it('speaks the script in an avatar video’s sound track', async () => {
    const provider = sandboxProviders({ latencyMilliseconds: 0, maxVideoResolution: 240, providers: ['heygen'] })[0]!;
    const script = 'Hello there. Welcome to the future of artificial intelligence.';
    const output = outputOf(
      await runJob(provider, requestFor(provider, 'AVATAR', { text: script, voice: 'professional_female' }, { resolution: '720p', aspectRatio: '16:9' })),
    );
    const heard = await transcribe(output.data, 'mp4');
    expect(heard).toContain('future');
    expect(heard).toContain('intelligence');
    expect(wordRecall(script, heard)).toBeGreaterThanOrEqual(0.7);
  });
});

/**
 * The product page's Python client, as written (only the endpoint and the key changed), against
 * the demo. Needs python3 with `requests` (Debian's python3-requests; .ci/run installs it when
 * missing), so it runs with `pnpm test:system`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoServer } from '../demo-server';

const run = promisify(execFile);
const seedDirectory = new URL('../seed/', import.meta.url);
const pageEndpoint = 'https://api.doitong.com/graphql';
let demo: DemoServer;
const scratch = mkdtempSync(join(tmpdir(), 'doitong-seed-python-'));

beforeAll(async () => {
  demo = await startDemo();
}, 90_000);
afterAll(async () => demo?.stop());

function localised(file: string): string {
  return readFileSync(new URL(file, seedDirectory), 'utf8').replaceAll(pageEndpoint, demo.endpoint).replaceAll('YOUR_API_KEY', demo.apiKey);
}

describe('the Python class', () => {
  const pythons = ['python3', '/usr/bin/python3'];

  async function python(): Promise<string> {
    for (const candidate of pythons) {
      try {
        await run(candidate, ['-c', 'import requests']);
        return candidate;
      } catch {
        // try the next interpreter
      }
    }
    throw new Error('no python3 with the requests package (CI installs python3-requests)');
  }

  it('generates a video, an image and speech, and checks status', async () => {
    writeFileSync(join(scratch, 'doitong_client.py'), localised('doitong_client.py'));
    writeFileSync(
      join(scratch, 'drive.py'),
      [
        'import json, sys, time',
        'from doitong_client import DoitongAPI',
        'api = DoitongAPI(sys.argv[1])',
        'video = api.generate(content_type="video", input_data={"text": "A majestic eagle soaring through clouds"}, options={"duration": 10, "resolution": "1080p"})',
        'first = api.check_status(video["id"])',
        'image = api.generate(content_type="image", provider="flux-ultra", input_data={"text": "Professional product photography"}, options={"aspectRatio": "16:9", "quality": "ultra"})',
        'audio = api.generate(content_type="audio", provider="elevenlabs", input_data={"text": "Welcome to the future of AI"}, options={"voice": "rachel", "emotion": "excited"})',
        'status = api.check_status(image["id"])',
        'while status["status"] not in ("COMPLETED", "FAILED"):',
        '    time.sleep(0.2)',
        '    status = api.check_status(image["id"])',
        'print(json.dumps({"video": video, "first": first, "image": image, "audio": audio, "done": status}))',
      ].join('\n'),
    );
    const { stdout } = await run(await python(), ['drive.py', demo.apiKey], { cwd: scratch, timeout: 60_000 });
    const result = JSON.parse(stdout);
    expect(result.video).toMatchObject({ status: 'PENDING', type: 'VIDEO', metadata: null, error: null, errorCode: null });
    expect(result.first.id).toBe(result.video.id);
    expect(result.image.provider).toBe('flux-ultra');
    expect(result.audio.provider).toBe('elevenlabs');
    expect(result.done).toMatchObject({ status: 'COMPLETED', type: 'IMAGE', metadata: { width: expect.any(Number), format: 'png' } });
    expect(result.done.metadata.width / result.done.metadata.height).toBeCloseTo(16 / 9, 1);
  }, 60_000);
});

/**
 * The `doitong` command line (packages/client) against the demo server, run as a user runs it: a
 * child process with the key and endpoint from the environment or from flags.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoServer } from './demo-server';

// tsx runs the sources, as `pnpm doitong` does; the command runs in a scratch folder, so tsx is named by path.
const tsx = pathToFileURL(createRequire(new URL('../package.json', import.meta.url)).resolve('tsx')).href;
const cli = fileURLToPath(new URL('../../../packages/client/src/cli.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'doitong-cli-'));
let demo: DemoServer;

beforeAll(async () => {
  demo = await startDemo();
}, 90_000);
afterAll(async () => demo?.stop());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function doitong(
  args: string[],
  environment: Record<string, string | undefined> = { DOITONG_API_KEY: demo.apiKey, DOITONG_ENDPOINT: demo.endpoint },
): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOITONG_API_KEY: undefined, DOITONG_ENDPOINT: undefined, ...environment };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=source', '--import', tsx, cli, ...args], { cwd: scratch, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('doitong (the command line)', () => {
  it('generate image "a red fox" --out fox.png: shows progress, saves the picture', async () => {
    const run = await doitong([
      'generate',
      'image',
      'a red fox',
      '--out',
      'fox.png',
      '--provider',
      'flux-schnell',
      '--option',
      'aspectRatio=16:9',
      '--option',
      'seed=42',
    ]);
    expect(run.stderr).toMatch(/^gen_\w+: IMAGE on flux-schnell, \d+ credits?, about \d+ s$/m);
    // Not a terminal here, so the bar is written as one line per step.
    expect(run.stderr).toMatch(/^PENDING\s+0%/m);
    expect(run.stderr).toMatch(/^COMPLETED\s+100%/m);
    expect(run.stdout).toMatch(/^Saved fox\.png \(png, 1024x576, \d+ KB\)$/m);
    expect(run.code).toBe(0);
    expect(pngSize(readFileSync(join(scratch, 'fox.png')))).toEqual([1024, 576]);
  });

  it('generate audio saves a WAV, and --json prints the finished generation', async () => {
    const run = await doitong([
      'generate',
      'audio',
      'Welcome to the future of artificial intelligence',
      '--provider',
      'elevenlabs',
      '--option',
      'speed=1.2',
      '--out',
      'welcome.wav',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const finished = JSON.parse(run.stdout);
    expect(finished).toMatchObject({ status: 'COMPLETED', type: 'AUDIO', provider: 'elevenlabs', metadata: { format: 'wav', sampleRate: 24000 } });
    expect(readFileSync(join(scratch, 'welcome.wav')).subarray(0, 4).toString()).toBe('RIFF');
  });

  it('providers video prints a table of the video providers', async () => {
    const run = await doitong(['providers', 'video']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+CREDITS\s+TIME\s+MODELS\s+QUALITY\s+SPEED\s+AVAILABLE$/);
    expect(lines[1]).toMatch(/^─+(\s+─+)+$/);
    for (const id of ['kling', 'minimax', 'veo', 'runway', 'luma', 'seedance']) expect(run.stdout).toMatch(new RegExp(`^${id}\\s+`, 'm'));
    expect(run.stdout).not.toMatch(/^flux/m);
  });

  it('status <id> prints where a generation is, and --no-wait returns at once', async () => {
    const started = await doitong(['generate', 'video', 'A paper boat on a stream', '--provider', 'seedance', '--option', 'resolution=480p', '--no-wait']);
    expect(started.code).toBe(0);
    const id = /^(gen_\w+)\s+PENDING\s+VIDEO on seedance/m.exec(started.stdout)?.[1];
    expect(id).toBeDefined();
    const status = await doitong(['status', id!]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^id\\s+${id}$`, 'm'));
    expect(status.stdout).toMatch(/^status\s+(PENDING|PROCESSING \d+%|COMPLETED)$/m);
    expect(status.stdout).toMatch(/^provider\s+seedance/m);
  });

  it('takes the key and endpoint from flags as well as from the environment, and says what is wrong', async () => {
    const withFlags = await doitong(['providers', 'audio', '--api-key', demo.apiKey, '--endpoint', demo.endpoint], {});
    expect(withFlags.code).toBe(0);
    expect(withFlags.stdout).toMatch(/^elevenlabs\s+/m);

    const noKey = await doitong(['providers', 'audio'], {});
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('DOITONG_API_KEY');

    const wrongKey = await doitong(['providers', 'audio', '--api-key', 'dk_test_wrong'], { DOITONG_ENDPOINT: demo.endpoint });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^UNAUTHENTICATED: /m);

    const missing = await doitong(['status', 'gen_missing']);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, expect.stringMatching(/^NOT_FOUND: /)]);

    const invalid = await doitong(['generate', 'image', 'x', '--provider', 'flux-ultra', '--option', 'quality=medium']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^INVALID_INPUT: .*"option":"quality"/m);
    // Five runs of the command line, each a new Node process: seconds each on a saturated machine.
  }, 120_000);
});

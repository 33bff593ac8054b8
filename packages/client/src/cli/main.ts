import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DoitongClient } from '../client';
import { DoitongError } from '../errors';
import { terminalStatuses, type GenerateInput, type Generation, type GenerationType, type JsonValue, type Priority } from '../types';
import { ProgressBar, type ProgressOutput } from './progress-bar';
import { table } from './table';

export interface CliIo {
  stdout: ProgressOutput;
  stderr: ProgressOutput;
  environment: Record<string, string | undefined>;
  fetch?: typeof fetch;
}

const usage = `doitong: generate video, images, speech and avatars through a Doitong API

Usage
  doitong generate <video|image|audio|avatar> "<prompt or script>" [--out file] [options]
  doitong providers <video|image|audio|avatar> [--json]
  doitong status <generation id> [--json]
  doitong cancel <generation id>

Generate options
  --out, -o <file>        save the result there when it is ready (otherwise its link is printed)
  --provider <id>         a provider from \`doitong providers <type>\` (chosen automatically otherwise)
  --option <name=value>   a provider option, repeatable: --option aspectRatio=16:9 --option seed=42
  --image <url>           an input image (image-to-video); also --voice, --audio, --video
  --priority <p>          QUALITY, SPEED, COST or BALANCED, for automatic selection
  --no-wait               print the generation and return at once

Everywhere
  --api-key, -k <key>     or DOITONG_API_KEY
  --endpoint, -e <url>    or DOITONG_ENDPOINT (default http://localhost:4000/graphql)
  --json                  print the API's answer as JSON
  --help, -h
`;

const types: Record<string, GenerationType> = { video: 'VIDEO', image: 'IMAGE', audio: 'AUDIO', avatar: 'AVATAR', speech: 'AUDIO', tts: 'AUDIO' };

/** Runs the command line; resolves with the exit code (0 done, 1 the generation failed or an API error, 2 usage). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'api-key': { type: 'string', short: 'k' },
        endpoint: { type: 'string', short: 'e' },
        out: { type: 'string', short: 'o' },
        provider: { type: 'string' },
        option: { type: 'string', multiple: true },
        image: { type: 'string' },
        voice: { type: 'string' },
        audio: { type: 'string' },
        video: { type: 'string' },
        priority: { type: 'string' },
        'no-wait': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr).write(usage);
    return values.help ? 0 : 2;
  }
  const apiKey = values['api-key'] ?? io.environment.DOITONG_API_KEY;
  if (!apiKey) {
    io.stderr.write('No API key: pass --api-key or set DOITONG_API_KEY (the demo prints a dk_test_… key when it starts).\n');
    return 2;
  }
  const client = new DoitongClient({
    apiKey,
    endpoint: values.endpoint ?? io.environment.DOITONG_ENDPOINT ?? 'http://localhost:4000/graphql',
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  const print = (text: string) => io.stdout.write(`${text}\n`);

  try {
    switch (command) {
      case 'generate': {
        const [typeWord, ...promptWords] = rest;
        const type = types[(typeWord ?? '').toLowerCase()];
        if (!type) return usageError(io, `Say what to generate: video, image, audio or avatar (got "${typeWord ?? ''}").`);
        const options = parseOptions(values.option ?? []);
        if (typeof options === 'string') return usageError(io, options);
        const input: GenerateInput = { type, input: {} };
        const text = promptWords.join(' ').trim();
        if (text) input.input.text = text;
        for (const field of ['image', 'voice', 'audio', 'video'] as const) if (values[field]) input.input[field] = values[field];
        if (values.provider) input.provider = values.provider;
        if (values.priority) input.priority = values.priority.toUpperCase() as Priority;
        if (Object.keys(options).length) input.options = options;

        const started = await client.generate(input);
        if (values['no-wait']) {
          print(values.json ? JSON.stringify(started, null, 2) : `${started.id}  ${started.status}  ${summary(started)}`);
          return 0;
        }
        io.stderr.write(`${started.id}: ${summary(started)}\n`);
        const bar = new ProgressBar(io.stderr);
        bar.update(started);
        const finished = await client.waitForCompletion(started.id, { onUpdate: (generation) => bar.update(generation) });
        bar.done();
        if (values.json) print(JSON.stringify(finished, null, 2));
        if (finished.status !== 'COMPLETED') {
          io.stderr.write(`${finished.status}${finished.error ? `: ${finished.error.code}: ${finished.error.message}` : ''}\n`);
          return 1;
        }
        if (values.out) {
          const saved = await download(finished, values.out, io.fetch);
          if (!values.json) print(`Saved ${values.out} (${describe(finished)}, ${formatBytes(saved)})`);
        } else if (!values.json) print(`${describe(finished)}\n${finished.url}`);
        return 0;
      }
      case 'providers': {
        const type = types[(rest[0] ?? '').toLowerCase()];
        if (!type) return usageError(io, `Say which type: video, image, audio or avatar (got "${rest[0] ?? ''}").`);
        const providers = await client.providers(type);
        if (values.json) {
          print(JSON.stringify(providers, null, 2));
          return 0;
        }
        print(
          table(
            ['ID', 'NAME', 'CREDITS', 'TIME', 'MODELS', 'QUALITY', 'SPEED', 'AVAILABLE'],
            providers.map((provider) => [
              provider.id,
              provider.name,
              String(provider.pricing.creditCost),
              `${provider.pricing.estimatedTime} s`,
              String(provider.models.length),
              `${provider.traits.quality}/10`,
              `${provider.traits.speed}/10`,
              provider.available ? 'yes' : 'no',
            ]),
          ),
        );
        return 0;
      }
      case 'status': {
        if (!rest[0]) return usageError(io, 'Say which generation: doitong status <id>.');
        const generation = await client.generation(rest[0]);
        if (values.json) print(JSON.stringify(generation, null, 2));
        else print(statusLines(generation));
        return 0;
      }
      case 'cancel': {
        if (!rest[0]) return usageError(io, 'Say which generation: doitong cancel <id>.');
        const cancelled = await client.cancel(rest[0]);
        print(cancelled ? `${rest[0]} cancelled` : `${rest[0]} had already ended`);
        return 0;
      }
      default:
        return usageError(io, `Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof DoitongError) {
      const details = Object.keys(error.details).length ? ` ${JSON.stringify(error.details)}` : '';
      io.stderr.write(`${error.code}: ${error.message}${details}\n`);
      return 1;
    }
    throw error;
  }
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`${message}\n\n${usage}`);
  return 2;
}

/** `--option name=value`: numbers, booleans and JSON read as such, anything else as a string. */
function parseOptions(pairs: readonly string[]): Record<string, JsonValue> | string {
  const options: Record<string, JsonValue> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) return `An option is name=value (got "${pair}").`;
    const raw = pair.slice(equals + 1);
    let value: JsonValue = raw;
    if (/^-?\d+(\.\d+)?$/.test(raw) || raw === 'true' || raw === 'false' || raw === 'null' || /^[[{"]/.test(raw)) {
      try {
        value = JSON.parse(raw) as JsonValue;
      } catch {
        value = raw;
      }
    }
    options[pair.slice(0, equals)] = value;
  }
  return options;
}

async function download(generation: Generation, path: string, fetchFunction: typeof fetch = fetch): Promise<number> {
  const response = await fetchFunction(generation.url!);
  if (!response.ok)
    throw new DoitongError(response.status === 403 ? 'FORBIDDEN' : 'NOT_FOUND', `Downloading ${generation.url} answered ${response.status}.`, {
      status: response.status,
    });
  const data = new Uint8Array(await response.arrayBuffer());
  await writeFile(path, data);
  return data.byteLength;
}

function summary(generation: Generation): string {
  return `${generation.type} on ${generation.provider}, ${generation.creditCost} credit${generation.creditCost === 1 ? '' : 's'}, about ${generation.estimatedTime} s`;
}

function describe(generation: Generation): string {
  const metadata = generation.metadata;
  if (!metadata) return generation.type.toLowerCase();
  return [metadata.format, metadata.width && metadata.height ? `${metadata.width}x${metadata.height}` : '', metadata.duration ? `${metadata.duration} s` : '']
    .filter(Boolean)
    .join(', ');
}

function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function statusLines(generation: Generation): string {
  const rows: Array<[string, string | null | undefined]> = [
    ['id', generation.id],
    ['type', generation.type],
    ['provider', [generation.provider, generation.model].filter(Boolean).join(' · ')],
    ['status', terminalStatuses.has(generation.status) ? generation.status : `${generation.status} ${generation.progress}%`],
    ['credits', String(generation.creditCost)],
    ['file', generation.status === 'COMPLETED' ? describe(generation) : null],
    ['url', generation.url],
    ['error', generation.error ? `${generation.error.code}: ${generation.error.message}` : null],
    ['created', generation.createdAt],
    ['completed', generation.completedAt],
  ];
  return rows
    .filter(([, value]) => value)
    .map(([name, value]) => `${name.padEnd(10)}${value}`)
    .join('\n');
}

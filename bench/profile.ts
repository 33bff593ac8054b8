/**
 * One server under load with `node --cpu-prof`: `tsx --conditions=source bench/profile.ts <server file> <generate|generation> [binding]`.
 * Writes the profile to bench/profiles/ and prints where the self time goes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchApiKey } from './http/doitong-key.ts';
import { generateDocument, generateVariables, generationDocument } from './http/shared.ts';

const [file = 'doitong.ts', operation = 'generate', binding = 'express'] = process.argv.slice(2);
const directory = fileURLToPath(new URL('./profiles/', import.meta.url));
mkdirSync(directory, { recursive: true });
const before = new Set(readdirSync(directory));
const server = spawn(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${directory}`, '--conditions=source', '--import', 'tsx', fileURLToPath(new URL(`./http/${file}`, import.meta.url))],
  {
    env: { ...process.env, NODE_ENV: 'production', BENCH_BINDING: binding },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const info = await new Promise<{ port: number; generationId?: string }>((resolve) =>
  createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line))),
);
const document =
  operation === 'generate' ? { query: generateDocument, variables: generateVariables } : { query: generationDocument, variables: { id: info.generationId } };
const load = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load.ts', import.meta.url))], {
  env: {
    ...process.env,
    BENCH_LOAD: JSON.stringify({
      url: `http://127.0.0.1:${info.port}/graphql`,
      body: JSON.stringify(document),
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${benchApiKey}` },
      connections: 50,
      warmupSeconds: 1,
      seconds: Number(process.env.BENCH_SECONDS ?? 6),
      idempotencyKeys: operation === 'generate',
    }),
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
await new Promise((resolve) => load.once('exit', resolve));
// SIGINT lets node write the profile.
server.kill('SIGINT');
await new Promise((resolve) => server.once('exit', resolve));
const written = readdirSync(directory).filter((name) => !before.has(name));
const summary = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./profile-summary.ts', import.meta.url)), `${directory}${written[0]}`, '25'],
  { stdio: 'inherit' },
);
await new Promise((resolve) => summary.once('exit', resolve));

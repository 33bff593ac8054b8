/**
 * The README's TypeScript snippets, run where and how the README says: each is saved as a file at the
 * repository root and run with `node --conditions=source --import tsx`. The embedding snippet must
 * print the key it creates (and that key must work); the client snippet must run against the demo.
 * Also the README's word on Apollo Client 3 in plain Node, which the product page's sample uses.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoServer } from './demo-server';

const run = promisify(execFile);
const repository = fileURLToPath(new URL('../../../', import.meta.url));
const example = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(repository, 'README.md'), 'utf8');
const written: string[] = [];
let demo: DemoServer;

beforeAll(async () => {
  demo = await startDemo();
}, 90_000);
afterAll(async () => {
  for (const file of written) rmSync(file, { force: true });
  // The demo lets running generations finish before it exits.
  await demo?.stop();
}, 90_000);

/** The first TypeScript block after a README heading. */
function snippet(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`the README has no heading "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error(`no TypeScript block after "${heading}"`);
  return block[1]!;
}

/** Saves a snippet at the repository root, where the README says to put it. */
function saveAtRoot(name: string, text: string): string {
  const file = join(repository, `${name}-${process.pid}-${Date.now()}.ts`);
  writeFileSync(file, text);
  written.push(file);
  return file;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the README snippets, run from the repository root', () => {
  it('the embedding snippet prints the key it creates, and that key is accepted', async () => {
    const text = snippet('## Embedding');
    expect(text).toContain('app.listen(4000)');
    // The one change: a free port instead of 4000, which the demo may hold.
    const port = await freePort();
    const file = saveAtRoot('readme-embedding', text.replace('app.listen(4000)', `app.listen(${port})`));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], { cwd: repository, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await expect.poll(() => output, { timeout: 60_000 }).toMatch(/dk_test_\w+/);
      const apiKey = /dk_test_\w+/.exec(output)![0];
      await expect
        .poll(
          async () => {
            const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
              method: 'POST',
              headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
              body: JSON.stringify({ query: '{ me { credits plan { id } } }' }),
            }).catch(() => undefined);
            return response ? await response.json() : undefined;
          },
          { timeout: 30_000 },
        )
        .toEqual({ data: { me: { credits: 100, plan: { id: 'free' } } } });
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }, 90_000);

  it('the TypeScript client snippet runs as the README says, against the demo', async () => {
    const text = snippet('### From TypeScript');
    expect(text).toContain("endpoint: 'http://localhost:4000/graphql'");
    // The one change: the demo's endpoint (a free port) instead of 4000.
    const file = saveAtRoot('readme-client', text.replace("endpoint: 'http://localhost:4000/graphql'", `endpoint: '${demo.endpoint}'`));
    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
      cwd: repository,
      env: { ...process.env, DOITONG_API_KEY: demo.apiKey },
      timeout: 60_000,
    });
    // It followed the image to the end, printed its link and size, and the refused video's reason.
    expect(stdout).toMatch(/^COMPLETED 100$/m);
    expect(stdout).toMatch(/^http:\/\/\S+\/graphql\/assets\/\S+ \d+ \d+$/m);
    expect(stdout).toMatch(/^duration \[ 5, 10 \]$/m);
  }, 90_000);
});

describe('Apollo Client 3 in plain Node (the product page uses it)', () => {
  it("cannot be imported from '@apollo/client' as an ES module", async () => {
    const failure = await run(process.execPath, ['--input-type=module', '-e', "import { ApolloClient } from '@apollo/client';"], { cwd: example }).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain("Named export 'ApolloClient' not found");
  });

  it("works as an ES module from '@apollo/client/core/index.js', with a cache", async () => {
    const program = `
      import { ApolloClient, InMemoryCache, gql } from '@apollo/client/core/index.js';
      const client = new ApolloClient({ uri: ${JSON.stringify(demo.endpoint)}, headers: { authorization: 'Bearer ${demo.apiKey}' }, cache: new InMemoryCache() });
      const result = await client.mutate({
        mutation: gql\`mutation CreateVideo($input: VideoCreateInput!) { videoCreate(input: $input) { id status videoUrl } }\`,
        variables: { input: { prompt: 'Beautiful sunset over ocean', model: 'luma', duration: 9 } },
      });
      console.log(JSON.stringify(result.data.videoCreate));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', program], { cwd: example, timeout: 60_000 });
    const created = JSON.parse(stdout) as { id: string };
    expect(created).toMatchObject({ status: 'PENDING', videoUrl: null });
    // The video itself is not needed here: cancelled, so the demo does not render it.
    const cancelled = await fetch(demo.endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($id: ID!) { cancelGeneration(id: $id) }', variables: { id: created.id } }),
    });
    expect(((await cancelled.json()) as { data: unknown }).data).toEqual({ cancelGeneration: true });
  }, 90_000);
});

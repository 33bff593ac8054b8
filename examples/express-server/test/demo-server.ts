import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DemoServer {
  /** The GraphQL endpoint the demo printed. */
  endpoint: string;
  apiKey: string;
  output: () => string;
  stop(): Promise<void>;
}

const exampleDirectory = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/**
 * Starts the demo exactly as `pnpm start` does (tsx on the sources), on a free port, and waits
 * for the line that says it is listening.
 */
export async function startDemo(example = exampleDirectory, environment: Record<string, string> = {}): Promise<DemoServer> {
  const port = await freePort();
  const apiKey = environment.DOITONG_DEMO_KEY ?? `dk_test_seed${Math.random().toString(36).slice(2)}${Date.now()}`;
  const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/server.ts'], {
    cwd: example,
    // Each demo keeps its data in a folder of its own.
    env: {
      ...process.env,
      PORT: String(port),
      DOITONG_DEMO_KEY: apiKey,
      DOITONG_SANDBOX_LATENCY_MS: '300',
      DOITONG_DATA_DIRECTORY: mkdtempSync(join(tmpdir(), 'doitong-demo-')),
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start in time:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${output}`));
    });
  });
  return {
    endpoint,
    apiKey,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

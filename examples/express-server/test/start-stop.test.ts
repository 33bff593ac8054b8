/**
 * Starting and stopping as a newcomer and a process manager do: the documented
 * `npx --yes pnpm@10 start`, stopped by Ctrl-C (SIGINT to the whole process group, as a terminal
 * sends it) and by SIGTERM to the npx process alone (as `kill` or a process manager sends it); and
 * the examples on a port that another program holds.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const examples = fileURLToPath(new URL('../../', import.meta.url));
const held: Server[] = [];
afterAll(() => held.forEach((server) => server.close()));

/** A port held by another program, as the examples would bind it (every address). */
async function takenPort(): Promise<number> {
  const server = createServer();
  server.listen(0);
  await once(server, 'listening');
  held.push(server);
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port);
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

/** Runs a command in its own process group and collects its output until every process of it has let go of it. */
function run(command: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  // 'close' comes when the last process holding the output pipes has ended, descendants included.
  const closed = once(child, 'close');
  return { child, output: () => output, exited, closed };
}

// Each test waits mostly on processes starting: they run side by side.
describe.concurrent('the documented start, `npx --yes pnpm@10 start`', () => {
  for (const how of ['Ctrl-C (SIGINT to the process group)', 'SIGTERM to the npx process'] as const) {
    it(`stops cleanly on ${how}: no server left running, no "Command failed"`, async ({ expect }) => {
      const port = await freePort();
      const started = run('npx', ['--yes', 'pnpm@10', 'start'], { cwd: repository, env: { PORT: String(port) } });
      await expect.poll(started.output, { timeout: 90_000, interval: 200 }).toContain(`listening on http://localhost:${port}/graphql`);
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(200);

      if (how.startsWith('Ctrl-C')) process.kill(-started.child.pid!, 'SIGINT');
      else process.kill(started.child.pid!, 'SIGTERM');
      await started.closed;

      // Nothing of that command is left: no process in its group, and the port is free again.
      await expect.poll(() => groupAlive(started.child.pid!), { timeout: 20_000 }).toBe(false);
      expect(await portFree(port)).toBe(true);
      const output = started.output();
      expect(output).toContain('Stopped.');
      expect(output).not.toMatch(/Command failed|ELIFECYCLE|ERR_PNPM|Error/);
    }, 120_000);
  }
});

describe.concurrent('an example on a port that is taken', () => {
  for (const example of ['express-server', 'koa-server', 'custom-provider']) {
    it(`${example} says the port is taken and exits 1`, async ({ expect }) => {
      const port = await takenPort();
      const started = run(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/server.ts'], {
        cwd: `${examples}${example}`,
        env: { PORT: String(port) },
      });
      const [code] = await started.exited;
      await started.closed;
      expect(code).toBe(1);
      expect(started.output()).toContain(`Cannot listen: port ${port} is already in use by another program`);
      expect(started.output()).not.toContain('listening');
      expect(started.output()).not.toMatch(/^\s+at /m);
    }, 90_000);
  }
});

/**
 * How the runnable examples start and stop, as a host's own server would: a port that is taken is
 * said plainly (exit 1), and SIGINT, SIGTERM or the end of the command that started the server
 * close it cleanly (exit 0).
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';

export interface ServeOptions {
  port: number;
  /** Closes what the server uses (`doitong.close()`): called once, on failure to listen or on stop. */
  close: () => Promise<void>;
}

/**
 * Listens on `port`, then stops cleanly on SIGINT, SIGTERM, or when the command that started it is
 * gone. When the port is taken it says so on stderr and exits 1, instead of a stack trace or a server
 * that looks started but is not.
 */
export async function serve(server: Server, options: ServeOptions): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${options.port} is already in use by another program. Stop it, or choose a free port: PORT=${options.port + 1}`
        : code === 'EACCES'
          ? `port ${options.port} needs privileges this process does not have. Choose another port with PORT`
          : (error as Error).message;
    console.error(`Cannot listen: ${reason}`);
    await options.close();
    process.exit(1);
  }

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${why})…`);
    server.close();
    // Open streams (live updates, keep-alive sockets) would hold close() for as long as they last.
    server.closeAllConnections();
    void options.close().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Stopped with an error while closing:', error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  watchLauncher(() => stop('the command that started it has ended'));
}

interface ProcessState {
  parent: number;
  group: number;
  started: string;
  zombie: boolean;
}

/** One process's parent, process group and start time, from Linux's /proc; undefined once it is gone. */
function processState(pid: number): ProcessState | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), group: Number(fields[2]), started: fields[19] ?? '', zombie: fields[0] === 'Z' };
  } catch {
    return undefined;
  }
}

/**
 * `npx pnpm start` starts this server through a chain of shells and package managers; a SIGTERM
 * sent to the command the user or a process manager started ends the top of that chain, and the
 * shells in between pass it no further, so this server would be left running, orphaned. So the
 * server watches its ancestors in its own process group (the chain that one command started) and
 * stops when any of them is gone. Without /proc it watches its parent only.
 */
function watchLauncher(onGone: () => void): void {
  const own = processState(process.pid);
  const ancestors: Array<{ pid: number; started: string }> = [];
  if (own) {
    for (let pid = own.parent; pid > 1;) {
      const state = processState(pid);
      if (!state || state.group !== own.group) break;
      ancestors.push({ pid, started: state.started });
      pid = state.parent;
    }
  }
  const parent = process.ppid;
  const timer = setInterval(() => {
    const gone = own
      ? ancestors.some(({ pid, started }) => {
          const state = processState(pid);
          return !state || state.zombie || state.started !== started;
        })
      : process.ppid !== parent;
    if (gone) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}

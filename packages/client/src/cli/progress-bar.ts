import type { Generation } from '../types';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * A progress bar for a generation. On a terminal it redraws one line in place
 * (`[████████░░░░░░░░] 52%  PROCESSING  4.1 s`); in a log or a pipe it writes a line per change
 * of status or of ten points of progress, so logs stay readable.
 */
export class ProgressBar {
  readonly #output: ProgressOutput;
  readonly #started = Date.now();
  #lastLine = '';
  #lastLogged = '';
  #drawn = false;

  constructor(output: ProgressOutput) {
    this.#output = output;
  }

  update(generation: Generation): void {
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(1);
    if (this.#output.isTTY) {
      const width = Math.max(10, Math.min(30, (this.#output.columns ?? 80) - 40));
      const filled = Math.round((generation.progress / 100) * width);
      const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(generation.progress).padStart(3)}%  ${generation.status.padEnd(10)} ${seconds} s`;
      if (line === this.#lastLine) return;
      this.#output.write(`\r${line}\u001b[K`);
      this.#lastLine = line;
      this.#drawn = true;
      return;
    }
    const step = `${generation.status} ${Math.floor(generation.progress / 10) * 10}`;
    if (step === this.#lastLogged) return;
    this.#lastLogged = step;
    this.#output.write(`${generation.status.padEnd(10)} ${String(generation.progress).padStart(3)}%  ${seconds} s\n`);
  }

  /** Ends the bar's line, so what follows starts on a new one. */
  done(): void {
    if (this.#drawn) this.#output.write('\n');
    this.#drawn = false;
  }
}

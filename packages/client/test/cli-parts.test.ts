import { describe, expect, it } from 'vitest';
import type { Generation } from '@doitong/client';
import { ProgressBar } from '../src/cli/progress-bar';
import { table } from '../src/cli/table';

const at = (status: Generation['status'], progress: number) => ({ id: 'gen_1', status, progress }) as Generation;

describe('the progress bar', () => {
  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    const bar = new ProgressBar({ write: (text: string) => written.push(text), isTTY: true, columns: 60 });
    bar.update(at('PROCESSING', 50));
    bar.update(at('PROCESSING', 50));
    bar.update(at('COMPLETED', 100));
    bar.done();
    expect(written).toHaveLength(3);
    // The bar's exact output: its runs of spaces and the ANSI erase-line code are what is checked.
    // eslint-disable-next-line no-regex-spaces, no-control-regex
    expect(written[0]).toMatch(/^\r\[█{10}░{10}\]  50%  PROCESSING +\d+\.\d s\u001b\[K$/);
    // eslint-disable-next-line no-regex-spaces, no-control-regex
    expect(written[1]).toMatch(/^\r\[█{20}\] 100%  COMPLETED +\d+\.\d s\u001b\[K$/);
    expect(written[2]).toBe('\n');
  });

  it('writes a line per status or ten points of progress in a log', () => {
    const written: string[] = [];
    const bar = new ProgressBar({ write: (text: string) => written.push(text) });
    for (const progress of [0, 3, 12, 15, 40]) bar.update(at('PROCESSING', progress));
    bar.update(at('COMPLETED', 100));
    bar.done();
    expect(written.map((line) => line.replace(/\s+\d+\.\d s\n$/, ''))).toEqual(['PROCESSING   0%', 'PROCESSING  12%', 'PROCESSING  40%', 'COMPLETED  100%']);
  });
});

describe('tables', () => {
  it('align columns under their headers', () => {
    expect(
      table(
        ['ID', 'CREDITS'],
        [
          ['kling', '28'],
          ['veo', '320'],
        ],
      ),
    ).toBe(['ID     CREDITS', '─────  ───────', 'kling  28', 'veo    320'].join('\n'));
  });
});

import { describe, expect, it } from 'vitest';
import { GenerationStore } from '../src/engine/generation-store';
import type { Generation } from '../src/engine/generation';
import { memoryStore } from '../src/storage/key-value-store';

function record(accountId: string, index: number): Generation {
  return { id: `gen_${String(index).padStart(5, '0')}`, accountId, type: 'IMAGE', status: 'PENDING' } as unknown as Generation;
}

/** Index appends are batched per account per turn of the event loop; listings must not tell. */
describe('the generation index', () => {
  it('lists every generation of concurrent creates once, newest first, across chunk boundaries', async () => {
    const generations = new GenerationStore(memoryStore());
    // 100 first, so the next 300 (in one batch) start inside a chunk and span three more.
    for (let index = 0; index < 100; index++) await generations.create(record('acct_a', index));
    await Promise.all(Array.from({ length: 300 }, (_, offset) => generations.create(record('acct_a', 100 + offset))));
    // Another account's creates in the same turn stay in its own index.
    await Promise.all([generations.create(record('acct_b', 0)), generations.create(record('acct_a', 400)), generations.create(record('acct_b', 1))]);
    const listed: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await generations.list('acct_a', { first: 37, after });
      listed.push(...page.items.map((item) => item.id));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(listed).toEqual(Array.from({ length: 401 }, (_, index) => `gen_${String(400 - index).padStart(5, '0')}`));
    expect((await generations.list('acct_b', { first: 10 })).items.map((item) => item.id)).toEqual(['gen_00001', 'gen_00000']);
  });

  it('resolves a create only once its index entry is written', async () => {
    const generations = new GenerationStore(memoryStore());
    await generations.create(record('acct_c', 0));
    expect((await generations.list('acct_c', { first: 5 })).items).toHaveLength(1);
  });
});

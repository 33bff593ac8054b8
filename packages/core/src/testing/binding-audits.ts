import type { TestApi } from './test-api';

/** What `serverAudits` from graphql-http looks like, so core needs no dependency on it. */
export type ServerAudits = (options: { url: () => string; fetchFn: typeof fetch }) => ReadonlyArray<{
  id: string;
  name: string;
  fn(): Promise<{ status: string; reason?: string }>;
}>;

/**
 * Registers each graphql-http audit as its own test, which passes only on `ok`: a failed
 * SHOULD (`warn`) or MAY (`notice`) fails too, since DESIGN.md asks for zero warnings.
 */
export function registerAudits(test: TestApi, audits: ServerAudits, target: { url: () => string; apiKey: () => string }): void {
  // The audits send no credentials; every request gets the suite's key.
  const fetchFn: typeof fetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${target.apiKey()}`);
    return fetch(input, { ...init, headers });
  };
  test.describe('graphql-http audits', () => {
    for (const audit of audits({ url: target.url, fetchFn })) {
      test.it(`${audit.id} ${audit.name}`, async () => {
        const result = await audit.fn();
        if (result.status !== 'ok') throw new Error(`${audit.id} ended "${result.status}": ${result.reason ?? 'no reason given'}`);
      });
    }
  });
}

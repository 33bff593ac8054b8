/**
 * The part of a test framework a conformance suite registers its tests with. Pass vitest's
 * module (`import * as vitest from 'vitest'`) or jest's globals; assertions use node:assert,
 * so no framework's `expect` is needed.
 */
export interface TestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
  beforeAll(body: () => Promise<void>): unknown;
  afterAll(body: () => Promise<void>): unknown;
}

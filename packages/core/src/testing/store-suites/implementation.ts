// What the store suites share: how a suite is handed its implementation, and a fresh one per test.
import type { TestApi } from '../test-api';

/** Each suite gets a fresh implementation per test from `create`, and closes it with `close`. */
export interface Implementation<Subject> {
  name: string;
  create(): Promise<Subject>;
  close?(subject: Subject): Promise<void>;
}

/** Registers a test that runs `body` on a fresh subject and closes it whatever happens. */
export function each<Subject>(test: TestApi, implementation: Implementation<Subject>, name: string, body: (subject: Subject) => Promise<void>) {
  test.it(name, async () => {
    const subject = await implementation.create();
    try {
      await body(subject);
    } finally {
      await implementation.close?.(subject);
    }
  });
}

/** A fresh key per test, so tests sharing one server (Redis, a database file) do not meet each other's records. */
export const unique = () => `t${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

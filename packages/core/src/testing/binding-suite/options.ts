import type { Doitong } from '@doitong/core';
import type { ServerAudits } from '../binding-audits';
import type { RunningHost } from '../listen';

export interface BindingSuiteOptions {
  /** Names the suite in test output: `Express 5 after express.json()`. */
  name: string;
  /**
   * Mounts the binding at `/graphql` in a fresh host app listening on 127.0.0.1, port 0
   * (`listen` does the listening). The host app also answers `GET /other` with 200 and the
   * text `other` through a route of its own beside the binding (Express: `app.get`; Koa: a
   * later middleware), and paths nobody handles with its framework's default 404.
   */
  start(doitong: Doitong): Promise<RunningHost>;
  /** The host runs a JSON body parser before the binding (`express.json()`, `@koa/bodyparser`). */
  hostBodyParser?: boolean;
  /** Malformed JSON is refused by the host's parser with its own 400 and never reaches Doitong. */
  hostAnswersMalformedJson?: boolean;
  /** `serverAudits` from graphql-http: each audit becomes a test that must end `ok`. */
  audits?: ServerAudits;
}

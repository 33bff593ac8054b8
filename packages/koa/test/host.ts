import { bodyParser } from '@koa/bodyparser';
import type { Doitong } from '@doitong/core';
import { listen } from '@doitong/core/testing';
import { doitongKoa } from '@doitong/koa';
import type Koa from 'koa';

export type KoaClass = typeof Koa;

/** A host app as a user writes one: a body parser of its own maybe, its own middleware after Doitong. */
export function startKoaHost(Application: KoaClass, doitong: Doitong, options: { bodyParser?: boolean } = {}) {
  const app = new Application();
  // Koa prints each error it sees: the parser's refusals and the sockets of clients that hung up,
  // both of which the suite provokes on purpose.
  app.silent = true;
  if (options.bodyParser) app.use(bodyParser());
  app.use(doitongKoa(doitong, { path: '/graphql' }));
  app.use((context) => {
    if (context.path === '/other') context.body = 'other';
  });
  return listen(app.callback());
}

import type { Doitong } from '@doitong/core';
import { listen } from '@doitong/core/testing';
import { doitongExpress } from '@doitong/express';
import type express from 'express';

export type ExpressModule = typeof express;
export type HostBodyParser = 'json' | 'text' | 'raw';

/** A host app as a user writes one: a body parser of its own maybe, its own routes beside Doitong. */
export function startExpressHost(expressModule: ExpressModule, doitong: Doitong, bodyParser?: HostBodyParser) {
  const app = expressModule();
  if (bodyParser === 'json') app.use(expressModule.json());
  // Parsers for every type hand Doitong a string or a Buffer of a JSON body.
  if (bodyParser === 'text') app.use(expressModule.text({ type: '*/*' }));
  if (bodyParser === 'raw') app.use(expressModule.raw({ type: '*/*' }));
  app.get('/other', (_request, response) => {
    response.type('text/plain').send('other');
  });
  app.use('/graphql', doitongExpress(doitong));
  return listen(app);
}

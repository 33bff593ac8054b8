/** Fastify 5 with its own JSON parser, answering the fixed JSON: the framework's usual limit. */
import Fastify from 'fastify';
import { announce, fixedResponse } from './shared.ts';

const app = Fastify();
app.post('/graphql', async (_request, reply) => reply.type('application/json; charset=utf-8').send(fixedResponse));
await app.ready();
announce(app.server);

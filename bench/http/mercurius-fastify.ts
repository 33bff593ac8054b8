/**
 * Mercurius on Fastify 5, a trivial resolver: Fastify's own GraphQL server, which compiles
 * repeated documents with graphql-jit (`jit: 1`, its fastest setting), the fastest peer in Node.
 */
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { announce, trivialResolvers, trivialTypeDefs } from './shared.ts';

const app = Fastify();
await app.register(mercurius, { schema: trivialTypeDefs, resolvers: trivialResolvers, jit: 1, path: '/graphql' });
await app.ready();
announce(app.server);

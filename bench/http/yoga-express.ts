/** GraphQL Yoga 5 on Express 5, a trivial resolver. */
import { createServer } from 'node:http';
import express from 'express';
import { createYoga } from 'graphql-yoga';
import { announce, trivialSchema } from './shared.ts';

const yoga = createYoga({ schema: trivialSchema(), graphqlEndpoint: '/graphql', logging: false, graphiql: false });
const app = express();
app.use(yoga.graphqlEndpoint, yoga);
announce(createServer(app));

/** Apollo Server 5 on Express 5 (@as-integrations/express5), a trivial resolver. */
import { createServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { announce, trivialSchema } from './shared.ts';

const apollo = new ApolloServer({ schema: trivialSchema() });
await apollo.start();
const app = express();
app.use('/graphql', express.json(), expressMiddleware(apollo));
announce(createServer(app));

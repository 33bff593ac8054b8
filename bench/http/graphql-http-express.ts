/** graphql-http (the GraphQL-over-HTTP reference server) on Express 5, a trivial resolver. */
import { createServer } from 'node:http';
import express from 'express';
import { createHandler } from 'graphql-http/lib/use/express';
import { announce, trivialSchema } from './shared.ts';

const app = express();
app.all('/graphql', createHandler({ schema: trivialSchema() }));
announce(createServer(app));

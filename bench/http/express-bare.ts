/** The framework's limit: Express 5 with express.json(), returning the same JSON. */
import { createServer } from 'node:http';
import express from 'express';
import { announce, fixedResponse } from './shared.ts';

const app = express();
app.use(express.json());
app.post('/graphql', (_request, response) => {
  response.type('application/json').send(fixedResponse);
});
announce(createServer(app));

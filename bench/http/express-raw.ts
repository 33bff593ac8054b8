/** Express 5 without a body parser: the middleware reads the body and writes the same JSON itself, as Doitong's binding does. */
import { createServer } from 'node:http';
import express from 'express';
import { announce, fixedResponse } from './shared.ts';
const body = Buffer.from(fixedResponse);
const app = express();
app.use('/graphql', (request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString());
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.byteLength });
    response.end(body);
  });
});
announce(createServer(app));

/** The physical limit: node:http reading the body and returning the same JSON, no framework. */
import { createServer } from 'node:http';
import { announce, fixedResponse } from './shared.ts';

const body = Buffer.from(fixedResponse);
const server = createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.byteLength });
    response.end(body);
  });
});
announce(server);

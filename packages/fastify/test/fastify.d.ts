// `fastify4` is Fastify 4 installed under another name (npm:fastify@4); its API matches the typed one for what the tests use.
declare module 'fastify4' {
  import fastify from 'fastify';
  export default fastify;
}

// `koa2` is Koa 2 installed under another name (npm:koa@2); its API matches the typed one.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}

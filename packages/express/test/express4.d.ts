// `express4` is Express 4 installed under another name (npm:express@4); its API matches the typed one.
declare module 'express4' {
  import express from 'express';
  export default express;
}

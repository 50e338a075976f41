/** Types of Comlink's Node adapter, whose ESM build ships its declarations under another name. */
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}

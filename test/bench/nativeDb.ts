/** The benchmark's native DuckDB is the product's (`--engine native`). */
export { openNativeDb, type NativeDb, type NativeDbOptions } from '../../src/node/nativeDb';

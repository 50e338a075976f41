import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from '../core/engine';
import { ClvError } from '../core/errors';

/** A local file as the engine wants it: path for DuckDB, first bytes, and random access. */
export function nodeSourceFile(file: string): SourceFile {
  const resolved = path.resolve(file);
  let size: number;
  let isDirectory: boolean;
  try {
    const stat = statSync(resolved);
    size = stat.size;
    isDirectory = stat.isDirectory();
  } catch {
    throw new ClvError('BAD_ARGUMENT', `The file "${file}" does not exist. Check the path.`);
  }
  if (isDirectory) throw new ClvError('BAD_ARGUMENT', `"${path.basename(resolved)}" is a folder, not a file. Give the path of the transaction file inside it.`);
  const read = (start: number, end: number): ArrayBuffer => {
    const length = Math.max(0, Math.min(end, size) - start);
    const buffer = new Uint8Array(length);
    const fd = openSync(resolved, 'r');
    try {
      readSync(fd, buffer, 0, length, start);
    } finally {
      closeSync(fd);
    }
    return buffer.buffer;
  };
  return {
    fileName: path.basename(resolved),
    path: resolved,
    head: new Uint8Array(read(0, 4096)),
    size,
    bytes: { byteLength: size, slice: (start, end = size) => read(start, end) },
  };
}

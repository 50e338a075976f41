import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ClvError } from '../core/errors';

/** Refuses an --out that is a file, before any work is done (the folder itself is made when written). */
export function checkOutputPath(out: string): void {
  let isFile = false;
  try {
    isFile = !statSync(out).isDirectory();
  } catch {
    // Missing: created when the outputs are written.
  }
  if (isFile) throw new ClvError('BAD_ARGUMENT', `--out "${out}" is a file, not a folder. Give a folder for the output files.`);
}

/** The --out folder, created when missing; a file in its place is named as such, not an EEXIST. */
export function outputFolder(out: string): { file(name: string): string; write(name: string, text: string | Uint8Array): string; json(name: string, value: unknown): string } {
  checkOutputPath(out);
  try {
    mkdirSync(out, { recursive: true });
  } catch {
    throw new ClvError('BAD_ARGUMENT', `The folder --out "${out}" cannot be created. Check the path and its permissions.`);
  }
  const file = (name: string) => path.join(out, name);
  const write = (name: string, text: string | Uint8Array) => {
    writeFileSync(file(name), text);
    return file(name);
  };
  return { file, write, json: (name, value) => write(name, `${JSON.stringify(value, null, 2)}\n`) };
}

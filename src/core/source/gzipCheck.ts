import { ClvError } from '../errors';
import type { ByteSource } from './importedTable';

/** Bytes handed to the decompressor at a time: the file is never held whole. */
const CHUNK = 4 * 1024 * 1024;

/**
 * Decompresses a whole gzip file and throws INCOMPLETE_FILE unless the stream ends properly
 * (its end marker and checksum are there). DuckDB's reader stops quietly at the end of a cut
 * stream and would load the rows before the cut as if they were the whole file.
 */
export async function verifyGzip(source: ByteSource, fileName: string): Promise<void> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const drained = (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  // The error surfaces in both halves; the one awaited below reports it.
  drained.catch(() => undefined);
  try {
    for (let start = 0; start < source.byteLength; start += CHUNK) {
      await writer.write(new Uint8Array(await source.slice(start, Math.min(start + CHUNK, source.byteLength))));
    }
    await writer.close();
    await drained;
  } catch {
    throw new ClvError(
      'INCOMPLETE_FILE',
      `"${fileName}" is incomplete: the compressed stream ends early (or is damaged), so some rows are missing. Download or copy the file again, or use the uncompressed file.`,
    );
  }
}

/**
 * The character encoding of a text file, told from its first bytes: a byte-order mark, the NUL
 * pattern of UTF-16/UTF-32 without one, or bytes that are not valid UTF-8 (Latin-1/Windows-1252).
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'latin-1';

const startsWith = (head: Uint8Array, bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);

/** Share of the code units of one byte position that must be NUL to call the text UTF-16/32. */
const NUL_SHARE = 0.7;

/** Length of the byte-order mark of each encoding, skipped when decoding. */
export function byteOrderMarkLength(head: Uint8Array, encoding: TextEncoding): number {
  if (encoding === 'utf-8') return startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  if (encoding === 'utf-32le') return startsWith(head, [0xff, 0xfe, 0, 0]) ? 4 : 0;
  if (encoding === 'utf-32be') return startsWith(head, [0, 0, 0xfe, 0xff]) ? 4 : 0;
  if (encoding === 'utf-16le') return startsWith(head, [0xff, 0xfe]) ? 2 : 0;
  if (encoding === 'utf-16be') return startsWith(head, [0xfe, 0xff]) ? 2 : 0;
  return 0;
}

function nulShareAt(head: Uint8Array, stride: number, offset: number): number {
  let units = 0;
  let nul = 0;
  for (let i = offset; i < head.length; i += stride) {
    units++;
    if (head[i] === 0) nul++;
  }
  return units === 0 ? 0 : nul / units;
}

/** Unicode encodings that mark themselves (BOM) or show the NUL bytes of mostly-ASCII text. */
export function detectUnicodeEncoding(head: Uint8Array): TextEncoding | null {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(head, [0xff, 0xfe, 0, 0])) return 'utf-32le';
  if (startsWith(head, [0, 0, 0xfe, 0xff])) return 'utf-32be';
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  if (head.length < 8) return null;
  const at4 = [0, 1, 2, 3].map((o) => nulShareAt(head, 4, o));
  if (at4[0] < 0.1 && at4[1] > NUL_SHARE && at4[2] > NUL_SHARE && at4[3] > NUL_SHARE) return 'utf-32le';
  if (at4[3] < 0.1 && at4[0] > NUL_SHARE && at4[1] > NUL_SHARE && at4[2] > NUL_SHARE) return 'utf-32be';
  const even = nulShareAt(head, 2, 0);
  const odd = nulShareAt(head, 2, 1);
  if (even < 0.1 && odd > NUL_SHARE) return 'utf-16le';
  if (odd < 0.1 && even > NUL_SHARE) return 'utf-16be';
  return null;
}

/**
 * Whether the bytes are valid UTF-8; a multi-byte character cut by the end of the sample is
 * allowed (the sample is a prefix of the file).
 */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Decodes text in any of the detected encodings, without its byte-order mark. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  const body = bytes.subarray(byteOrderMarkLength(bytes, encoding));
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(body, encoding === 'utf-32le');
  if (encoding === 'latin-1') return decodeWindows1252(body);
  return new TextDecoder(encoding).decode(body);
}

/**
 * Windows-1252's characters at 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ' ' " " • – — ˜ ™ š › œ ž Ÿ; the
 * five unassigned bytes stay the C1 controls). Written out: the WHATWG decoder maps them so in
 * browsers, but Node's TextDecoder reads the "windows-1252" label as plain Latin-1.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const WINDOWS_1252 = Uint16Array.from({ length: 256 }, (_, b) => (b >= 0x80 && b <= 0x9f ? WINDOWS_1252_HIGH[b - 0x80] : b));

/** Windows-1252 (Latin-1 for every byte outside 0x80–0x9F) to text, in chunks. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  const codes = new Uint16Array(CHUNK);
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    for (let i = start; i < end; i++) codes[i - start] = WINDOWS_1252[bytes[i]];
    parts.push(String.fromCharCode(...codes.subarray(0, end - start)));
  }
  return parts.join('');
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start + 4 <= bytes.byteLength; start += CHUNK * 4) {
    const points: number[] = [];
    for (let i = start; i + 4 <= bytes.byteLength && i < start + CHUNK * 4; i += 4) {
      const cp = view.getUint32(i, littleEndian);
      points.push(cp <= 0x10ffff ? cp : 0xfffd);
    }
    parts.push(String.fromCodePoint(...points));
  }
  return parts.join('');
}

/** The encoding DuckDB's CSV reader is told, or null when the text is decoded in JavaScript. */
export function duckdbEncoding(encoding: TextEncoding): 'utf-8' | 'utf-16' | 'latin-1' | null {
  if (encoding === 'utf-8') return 'utf-8';
  // DuckDB's utf-16 is little-endian (with or without a byte-order mark).
  if (encoding === 'utf-16le') return 'utf-16';
  if (encoding === 'latin-1') return 'latin-1';
  return null;
}

export function encodingName(encoding: TextEncoding): string {
  return { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16 (big-endian)', 'utf-32le': 'UTF-32', 'utf-32be': 'UTF-32 (big-endian)', 'latin-1': 'Latin-1/Windows-1252' }[encoding];
}

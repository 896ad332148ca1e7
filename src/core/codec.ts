/** Pure byte <-> text helpers: payload decoding, display forms, the textbook transforms and line framing. */
import { invalidArgument } from './errors';
import { NoteId } from './lectureNotes';
import type { Encoding } from './types';

export const ENCODINGS: readonly Encoding[] = ['utf8', 'hex', 'base64'];

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Turns user input into the exact bytes to send. Hex may contain spaces, colons or a `0x` prefix between
 * bytes; base64 may contain whitespace. Anything else is an error that says what is allowed, and nothing is sent.
 */
export function decodePayload(data: string, encoding: Encoding = 'utf8'): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(data, 'utf8');
    case 'hex': {
      const compact = data.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
      if (!HEX_RE.test(compact)) {
        const bad = /[^0-9a-fA-F]/.exec(compact);
        throw invalidArgument(
          bad
            ? `data is not hex: "${bad[0]}" is not a hex digit. Allowed: pairs of 0-9 and a-f, optionally separated by spaces (e.g. "48 65 6c 6c 6f").`
            : `data is not hex: it has an odd number of digits (${compact.length}). Each byte takes two hex digits (e.g. "0a", not "a").`,
          NoteId.PayloadEncoding,
        );
      }
      return Buffer.from(compact, 'hex');
    }
    case 'base64': {
      const compact = data.replace(/\s/g, '');
      if (!BASE64_RE.test(compact)) {
        throw invalidArgument(
          `data is not base64: allowed are A-Z, a-z, 0-9, "+" and "/", in groups of four characters, padded with "=" (e.g. "aGVsbG8=").`,
          NoteId.PayloadEncoding,
        );
      }
      return Buffer.from(compact, 'base64');
    }
    default:
      throw invalidArgument(`encoding must be one of ${ENCODINGS.join(', ')}; got ${JSON.stringify(encoding)}.`);
  }
}

/** ASCII-only uppercase on bytes, exactly like Python 3's `bytes.upper()` in the textbook server. */
export function asciiUppercase(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    out[i] = b >= 0x61 && b <= 0x7a ? b - 0x20 : b;
  }
  return out;
}

/** Hex with a space between bytes: "48 69 0a". */
export function toHex(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i++) {
    if (i > 0) {
      s += ' ';
    }
    s += HEX_BYTE[data[i]!];
  }
  return s;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A classic hex dump: offset, 16 bytes in hex, and the printable ASCII (others as "."). Pure text:
 * safe to show anywhere.
 */
export function hexDump(data: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, Math.min(off + 16, data.length));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i < row.length) {
        const b = row[i]!;
        hex += HEX_BYTE[b] + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
      if (i === 7) {
        hex += ' ';
      }
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines.join('\n');
}

/**
 * Payload as readable text: valid UTF-8 is kept, control bytes (including ESC, so ANSI sequences stay inert)
 * and invalid bytes become visible escapes (`\n`, `\x1b`, `\xff`). Never interpretable as markup by itself;
 * callers still render it with textContent.
 */
export function escapeText(data: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
  let out = '';
  // Decoding replaced invalid bytes by U+FFFD; to show them exactly we fall back to byte escapes when that happened.
  if (text.includes('\uFFFD') && !isValidUtf8(data)) {
    for (const b of data) {
      out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : escapeByte(b);
    }
    return out;
  }
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) {
      out += escapeControl(c);
    } else if (ch === '\\') {
      out += '\\\\';
    } else {
      out += ch;
    }
  }
  return out;
}

function escapeControl(c: number): string {
  switch (c) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x00:
      return '\\0';
    default:
      return c <= 0xff ? `\\x${HEX_BYTE[c]}` : `\\u{${c.toString(16)}}`;
  }
}

function escapeByte(b: number): string {
  if (b === 0x5c) {
    return '\\\\';
  }
  return escapeControl(b);
}

export function isValidUtf8(data: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits a TCP byte stream into lines ending in "\n" (the line is returned with its terminator). TCP has no
 * message boundaries: a chunk may hold part of a line or several lines, so the framer buffers the rest.
 * `maxLine` bounds the buffer; a longer run without "\n" is returned as it is so memory stays bounded.
 */
export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLine = 1 << 20) {}

  /** Feeds one chunk; returns the complete lines it finished. */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) {
        break;
      }
      const piece = chunk.subarray(start, nl + 1);
      if (this.pendingBytes > 0) {
        this.pending.push(piece);
        lines.push(Buffer.concat(this.pending, this.pendingBytes + piece.length));
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        lines.push(piece);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.pending.push(rest);
      this.pendingBytes += rest.length;
      if (this.pendingBytes >= this.maxLine) {
        lines.push(this.flush()!);
      }
    }
    return lines;
  }

  /** What is buffered without a line end (returned at end of stream), or undefined. */
  flush(): Buffer | undefined {
    if (this.pendingBytes === 0) {
      return undefined;
    }
    const all = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return all;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}

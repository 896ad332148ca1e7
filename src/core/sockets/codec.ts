/** Pure byte <-> text helpers: payload decoding, display forms, the textbook transforms and line framing. */
import { invalidArgument } from '../errors';
import { NoteId } from '../notes/notes';
import type { Encoding } from '../../shared/types';
import { parseHex } from '../../shared/bytes';

export const ENCODINGS: readonly Encoding[] = ['utf8', 'hex', 'base64'];

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Turns user input into the exact bytes to send. Hex is pairs of digits, optionally with whitespace between
 * bytes; base64 may contain whitespace. Anything else is an error that says what is allowed, and nothing is sent.
 */
export function decodePayload(data: string, encoding: Encoding = 'utf8'): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(data, 'utf8');
    case 'hex': {
      // One strict reader for the host and the webview (shared/bytes.ts): digit pairs and whitespace only.
      const hex = parseHex(data);
      if (!hex.ok) {
        throw invalidArgument(`data is not hex: ${hex.reason}`, NoteId.PayloadEncoding);
      }
      return Buffer.from(hex.bytes.buffer, hex.bytes.byteOffset, hex.bytes.byteLength);
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
      throw invalidArgument(
        `encoding must be one of ${ENCODINGS.join(', ')}; got ${JSON.stringify(encoding)}.`,
      );
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

export { escapeText, hexDump, isValidUtf8, toHex } from '../../shared/bytes';

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

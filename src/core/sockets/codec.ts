/** Pure byte <-> text helpers: payload decoding, display forms, the textbook transforms and line framing. */
import { text } from '../../shared/l10n';
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
        throw invalidArgument(text('data is not hex: {0}', hex.reason), NoteId.PayloadEncoding);
      }
      return Buffer.from(hex.bytes.buffer, hex.bytes.byteOffset, hex.bytes.byteLength);
    }
    case 'base64': {
      const compact = data.replace(/\s/g, '');
      if (!BASE64_RE.test(compact)) {
        throw invalidArgument(
          text(
            'data is not base64: allowed are A-Z, a-z, 0-9, "+" and "/", in groups of four characters, padded with "=" (e.g. "aGVsbG8=").',
          ),
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
 * Most bytes a line-framing server holds of a line not yet ended (64 KiB, the size of the largest datagram and
 * of the default payload kept per log entry). A fixed cap, not a setting: it protects the host, whatever a
 * workspace's settings say.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Splits a TCP byte stream into lines ending in "\n" (the line is returned with its terminator). TCP has no
 * message boundaries: a chunk may hold part of a line or several lines, so the framer keeps the rest, copied
 * into one buffer of its own (keeping each piece would pin every chunk's memory: a peer sending one byte per
 * segment would cost kilobytes per byte). Past `maxLine` bytes without "\n" the framer stops and reports
 * `overflowed`; the caller closes the connection.
 */
export class LineFramer {
  private buf: Buffer | undefined;
  private pendingBytes = 0;
  /** Set once a line grew past the cap; nothing more is framed. */
  overflowed = false;

  constructor(readonly maxLine = MAX_LINE_BYTES) {}

  /** Feeds one chunk; returns the complete lines it finished. */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    if (this.overflowed) {
      return lines;
    }
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) {
        break;
      }
      const piece = chunk.subarray(start, nl + 1);
      if (this.pendingBytes > 0) {
        if (this.pendingBytes + piece.length > this.maxLine) {
          this.overflow();
          return lines;
        }
        const line = Buffer.allocUnsafe(this.pendingBytes + piece.length);
        this.buf!.copy(line, 0, 0, this.pendingBytes);
        piece.copy(line, this.pendingBytes);
        lines.push(line);
        this.pendingBytes = 0;
      } else if (piece.length > this.maxLine) {
        this.overflow();
        return lines;
      } else {
        lines.push(piece);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.keep(chunk.subarray(start));
    }
    return lines;
  }

  private keep(rest: Buffer): void {
    const need = this.pendingBytes + rest.length;
    if (need > this.maxLine) {
      this.overflow();
      return;
    }
    if (!this.buf || this.buf.length < need) {
      // Grows by doubling, up to the cap: a few copies in all, not one per piece.
      const grown = Buffer.allocUnsafe(
        Math.min(this.maxLine, Math.max(256, need, (this.buf?.length ?? 0) * 2)),
      );
      this.buf?.copy(grown, 0, 0, this.pendingBytes);
      this.buf = grown;
    }
    rest.copy(this.buf, this.pendingBytes);
    this.pendingBytes = need;
  }

  private overflow(): void {
    this.overflowed = true;
    this.buf = undefined;
    this.pendingBytes = 0;
  }

  /** What is buffered without a line end (returned at end of stream), or undefined. */
  flush(): Buffer | undefined {
    if (this.pendingBytes === 0 || !this.buf) {
      return undefined;
    }
    const all = Buffer.from(this.buf.subarray(0, this.pendingBytes));
    this.pendingBytes = 0;
    this.buf = undefined;
    return all;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}

/** Byte display helpers shared by the host and the webview: pure, on Uint8Array (no Buffer, no DOM). */

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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

/**
 * A classic hex dump: offset, 16 bytes in hex (or `perRow`, e.g. 8 in a narrow pane), and the printable ASCII
 * (others as "."). Pure text.
 */
export function hexDump(data: Uint8Array, perRow = 16): string {
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += perRow) {
    const row = data.subarray(off, Math.min(off + perRow, data.length));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < perRow; i++) {
      if (i < row.length) {
        const b = row[i]!;
        hex += HEX_BYTE[b] + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
      if (i === perRow / 2 - 1) {
        hex += ' ';
      }
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines.join('\n');
}

export function isValidUtf8(data: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
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

/**
 * Payload as readable text: valid UTF-8 is kept; control bytes (ESC too, so ANSI sequences stay inert) and
 * invalid bytes become visible escapes (`\n`, `\x1b`, `\xff`). Callers still render it as text, never HTML.
 */
export function escapeText(data: Uint8Array): string {
  let out = '';
  if (!isValidUtf8(data)) {
    for (const b of data) {
      out += b === 0x5c ? '\\\\' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : escapeControl(b);
    }
    return out;
  }
  for (const ch of new TextDecoder('utf-8').decode(data)) {
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

/** base64 to bytes without Buffer (the webview has none). Invalid input gives what atob accepts, or nothing. */
export function base64ToBytes(b64: string): Uint8Array {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out;
  } catch {
    return new Uint8Array(0);
  }
}

/** The value of a hex digit's character code (already checked to be one). */
function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** The outcome of reading hex text: the bytes, or why the text is not hex. */
export type HexParse = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * Strict hex: pairs of hex digits (either case), optionally separated by whitespace between bytes. Anything
 * else is refused with the reason: a `0x` prefix, commas, colons, dashes, or a digit left alone ("a bc")
 * would each have to be guessed at, and a guess sends bytes the user did not mean.
 */
export function parseHex(text: string): HexParse {
  const groups = text.split(/\s+/).filter((g) => g !== '');
  let digits = 0;
  for (const g of groups) {
    const bad = /[^0-9a-fA-F]/u.exec(g);
    if (bad) {
      const c = bad[0];
      const shown =
        c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? escapeText(new TextEncoder().encode(c)) : c;
      const hint = /0[xX]/.test(g) ? ' (write bytes without a "0x" prefix)' : '';
      return {
        ok: false,
        reason:
          `"${shown}" is not a hex digit${hint}. Allowed: pairs of 0-9 and a-f, optionally separated by ` +
          `spaces (e.g. "48 65 6c 6c 6f").`,
      };
    }
    if (g.length % 2 !== 0) {
      return {
        ok: false,
        reason:
          `"${g.length > 20 ? `${g.slice(0, 20)}…` : g}" has an odd number of digits (${g.length}). Each byte ` +
          `takes two hex digits (e.g. "0a", not "a").`,
      };
    }
    digits += g.length;
  }
  const bytes = new Uint8Array(digits / 2);
  let at = 0;
  for (const g of groups) {
    for (let i = 0; i < g.length; i += 2) {
      bytes[at++] = (hexValue(g.charCodeAt(i)) << 4) | hexValue(g.charCodeAt(i + 1));
    }
  }
  return { ok: true, bytes };
}

/** The escapes of send and expect text, and the error a line's parse throws (with its columns). */
import type { Segment } from './scenarioTypes';

export class LineError extends Error {
  constructor(
    message: string,
    readonly column: number,
    readonly endColumn: number,
    readonly code = 'syntax',
  ) {
    super(message);
  }
}

export /** `\r \n \t \0 \\ \{ \xHH`: the escapes of send and expect text. */
function unescapeInto(text: string, col: number, out: number[]): void {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      const cp = text.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      out.push(...Buffer.from(s, 'utf8'));
      i += s.length - 1;
      continue;
    }
    const next = text[i + 1];
    const at = col + i;
    switch (next) {
      case 'r':
        out.push(0x0d);
        break;
      case 'n':
        out.push(0x0a);
        break;
      case 't':
        out.push(0x09);
        break;
      case '0':
        out.push(0x00);
        break;
      case '\\':
        out.push(0x5c);
        break;
      case '{':
        out.push(0x7b);
        break;
      case 'x': {
        const hh = text.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hh)) {
          throw new LineError(
            `"\\x" needs two hex digits (e.g. \\x0a); got "\\x${hh}".`,
            at,
            at + 2 + hh.length,
            'escape',
          );
        }
        out.push(parseInt(hh, 16));
        i += 2;
        break;
      }
      case undefined:
        throw new LineError(
          'a lone "\\" at the end of the line: write "\\\\" for a backslash.',
          at,
          at + 1,
          'escape',
        );
      default:
        throw new LineError(
          `unknown escape "\\${next}": allowed are \\r \\n \\t \\0 \\\\ \\{ and \\xHH.`,
          at,
          at + 2,
          'escape',
        );
    }
    i++;
  }
}

/**
 * Send or expect text as bytes, with `{{name}}` filled in by `lookup`; a variable only known at run time
 * (`lookup` gives undefined) stays a `{ variable }` segment between the byte runs.
 */
export function payloadSegments(
  text: string,
  col: number,
  lookup: (name: string, col: number, len: number) => string | undefined,
): Segment[] {
  const segments: Segment[] = [];
  let bytes: number[] = [];
  let litStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2; // an escape: `\{{` is a literal brace, checked by unescapeInto below
      continue;
    }
    if (!text.startsWith('{{', i)) {
      i++;
      continue;
    }
    const close = text.indexOf('}}', i + 2);
    if (close < 0) {
      throw new LineError(
        '"{{" without "}}": write {{name}}, or \\{{ for literal braces.',
        col + i,
        col + text.length,
      );
    }
    unescapeInto(text.slice(litStart, i), col + litStart, bytes);
    const name = text.slice(i + 2, close).trim();
    const len = close + 2 - i;
    const value = lookup(name, col + i, len);
    if (value === undefined) {
      if (bytes.length) {
        segments.push(Buffer.from(bytes));
      }
      bytes = [];
      segments.push({ variable: name });
    } else {
      try {
        unescapeInto(value, col + i, bytes);
      } catch (e) {
        if (e instanceof LineError) {
          throw new LineError(`in {{${name}}}: ${e.message}`, col + i, col + i + len, e.code);
        }
        throw e;
      }
    }
    i = close + 2;
    litStart = i;
  }
  unescapeInto(text.slice(litStart), col + litStart, bytes);
  if (bytes.length || segments.length === 0) {
    segments.push(Buffer.from(bytes));
  }
  return segments;
}

/** The escapes of send and expect text, and the error a line's parse throws (with its columns). */
import { englishText, plainText, text, type Text } from '../../shared/l10n';
import type { Segment } from './scenarioTypes';

/** A problem on one line, with its columns; `text` is the message as a translatable text (the editor's language). */
export class LineError extends Error {
  readonly text: Text;

  constructor(
    message: string | Text,
    readonly column: number,
    readonly endColumn: number,
    readonly code = 'syntax',
  ) {
    super(typeof message === 'string' ? message : englishText(message));
    this.text = typeof message === 'string' ? plainText(message) : message;
  }
}

export /** `\r \n \t \0 \\ \{ \xHH`: the escapes of send and expect text. */
function unescapeInto(input: string, col: number, out: number[]): void {
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch !== '\\') {
      const cp = input.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      out.push(...Buffer.from(s, 'utf8'));
      i += s.length - 1;
      continue;
    }
    const next = input[i + 1];
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
        const hh = input.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hh)) {
          throw new LineError(
            text('"\\x" needs two hex digits (e.g. \\x0a); got "\\x{0}".', hh),
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
          text('a lone "\\" at the end of the line: write "\\\\" for a backslash.'),
          at,
          at + 1,
          'escape',
        );
      default:
        throw new LineError(
          text('unknown escape "\\{0}": allowed are \\r \\n \\t \\0 \\\\ \\{ and \\xHH.', next),
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
  input: string,
  col: number,
  lookup: (name: string, col: number, len: number) => string | undefined,
): Segment[] {
  const segments: Segment[] = [];
  let bytes: number[] = [];
  let litStart = 0;
  let i = 0;
  while (i < input.length) {
    if (input[i] === '\\') {
      i += 2; // an escape: `\{{` is a literal brace, checked by unescapeInto below
      continue;
    }
    if (!input.startsWith('{{', i)) {
      i++;
      continue;
    }
    const close = input.indexOf('}}', i + 2);
    if (close < 0) {
      throw new LineError(
        text('"{{" without "}}": write {{name}}, or \\{{ for literal braces.'),
        col + i,
        col + input.length,
      );
    }
    unescapeInto(input.slice(litStart, i), col + litStart, bytes);
    const name = input.slice(i + 2, close).trim();
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
          throw new LineError(text('in {{{0}}}: {1}', name, e.text), col + i, col + i + len, e.code);
        }
        throw e;
      }
    }
    i = close + 2;
    litStart = i;
  }
  unescapeInto(input.slice(litStart), col + litStart, bytes);
  if (bytes.length || segments.length === 0) {
    segments.push(Buffer.from(bytes));
  }
  return segments;
}

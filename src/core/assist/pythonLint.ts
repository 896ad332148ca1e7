/**
 * Lecture-era pitfalls in Python socket code, found lexically, each with the note that explains it and, where a
 * mechanical fix exists, the edit that makes it. Pure and vscode-free: `src/language/pythonDiagnostics.ts` turns
 * the results into diagnostics and quick fixes, and plain mocha tests them on the slides' own listings.
 *
 * The slides' programs are Python 2 with typos (each has a course note): print statements, `raw_input`, `str` handed
 * to `send`/`sendto`, `socket.AF_INET` after `from socket import *`, `SOCK DGRAM`, `raw input`, `sentto`.
 * Beyond those, two things Python 3 does not complain about but a course should: a TCP `recv` read as if it
 * were one whole message (Information: it works on loopback and fails on a real network), and binding a port
 * below 1024.
 *
 * Types (str or bytes) are inferred from assignments in file order: right for the lecture's straight-line
 * programs, and silent whenever unsure. Types and edits: lintTypes.ts; the module's names: pythonNames.ts.
 */
import { maskSource, splitTopLevel, usesSockets } from './sourceMask';
import { NoteId } from '../notes/notes';
import { applyEdits, type LintDiagnostic, type LintEdit, type LintRange } from './lintTypes';
import { englishText, text, type Text } from '../../shared/l10n';
import { SOCKET_CLASS_ATTRS, SPLIT_CONSTANTS } from './pythonNames';

/** Only files that use the socket module are linted: the extension is not a general Python linter. */
export function shouldLintPython(text: string): boolean {
  return usesSockets('python', text) || /^\s*from\s+socket\s+import/m.test(text);
}

type ValueType = 'str' | 'bytes';

/** A diagnostic as a rule writes it: message and fix titles as translatable texts (made English by `add`). */
type Draft = Omit<LintDiagnostic, 'message' | 'messageText' | 'fixes'> & {
  message: Text;
  fixes: Array<{ title: Text; edits: LintEdit[] }>;
};

/** Lints one Python source file. Returns diagnostics in text order. */
export function lintPython(text: string): LintDiagnostic[] {
  return new Linter(text).run();
}

class Linter {
  private readonly lines: string[];
  private readonly masked: string[];
  private readonly out: LintDiagnostic[] = [];
  private readonly types = new Map<string, ValueType>();
  /** What the name `socket` is bound to at the current line. */
  private socketName: 'module' | 'class' | 'other' | undefined;
  /** Bracket depth at the start of each line (a line with depth > 0 continues a statement). */
  private readonly depthAt: number[];
  private readonly tcp: boolean;
  /** The file creates TCP sockets and never a UDP one (so a bare send() is a TCP send). */
  private readonly tcpOnly: boolean;

  constructor(private readonly text: string) {
    this.lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    this.masked = maskSource('python', text)
      .split('\n')
      .map((l) => l.replace(/\r$/, ''));
    this.depthAt = [];
    let depth = 0;
    for (const line of this.masked) {
      this.depthAt.push(depth);
      for (const c of line.replace(/#.*$/, '')) {
        if (c === '(' || c === '[' || c === '{') {
          depth++;
        } else if ((c === ')' || c === ']' || c === '}') && depth > 0) {
          depth--;
        }
      }
    }
    const all = this.masked.join('\n');
    const udpAt = all.search(/\bSOCK[ \t]+DGRAM\b|\bSOCK_DGRAM\b/);
    const tcpAt = all.search(
      /\bSOCK[ \t]+STREAM\b|\bSOCK_STREAM\b|\bcreate_(?:connection|server)\s*\(|\.\s*(?:accept|listen)\s*\(/,
    );
    // socket() without a type is SOCK_STREAM, so a file that never says DGRAM is TCP.
    this.tcp = tcpAt >= 0 || udpAt < 0;
    this.tcpOnly = this.tcp && udpAt < 0;
  }

  run(): LintDiagnostic[] {
    for (let i = 0; i < this.lines.length; i++) {
      const code = this.masked[i]!;
      this.importsOn(code);
      this.printStatement(i);
      this.rawInput(i);
      this.socketAttribute(i);
      this.constantTypo(i);
      this.sentto(i);
      this.strToSend(i);
      this.singleRecv(i);
      this.privilegedPort(i);
      this.addressNotTuple(i);
      this.placeholderHost(i);
      this.sendNotSendall(i);
      this.assignmentsOn(i);
    }
    return this.out.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  }

  private add(d: Draft): void {
    this.out.push({
      ...d,
      message: englishText(d.message),
      messageText: d.message,
      fixes: d.fixes.map((f) => ({ title: englishText(f.title), titleText: f.title, edits: f.edits })),
    });
  }

  private range(line: number, start: number, end: number, endLine = line): LintRange {
    return { start: { line, character: start }, end: { line: endLine, character: end } };
  }

  /** Column where this line's comment starts, or the line length. */
  private codeEnd(line: number): number {
    const i = this.masked[line]!.indexOf('#');
    return i < 0 ? this.masked[line]!.length : i;
  }

  // ─── imports and types ─────────────────────────────────────────────────────────────────────────────

  private importsOn(code: string): void {
    const from = /^\s*from\s+socket\s+import\s+\(?([^#)]*)/.exec(code);
    if (from) {
      // Only the names the import binds count: `from socket import socket as Socket` binds Socket and leaves
      // `socket` (the module, after `import socket`) alone.
      const bound = from[1]!.split(',').map((part) => {
        const m = /^\s*(\*|\w+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        return m ? (m[2] ?? m[1]) : undefined;
      });
      if (bound.includes('*') || bound.includes('socket')) {
        this.socketName = 'class';
      }
    } else if (/^\s*import\s+(?:[\w.]+\s*,\s*)*socket\b(?!\s+as\b)/.test(code)) {
      this.socketName = 'module';
    } else if (/^\s*socket\s*=(?!=)/.test(code)) {
      this.socketName = 'other';
    }
  }

  private assignmentsOn(i: number): void {
    const code = this.masked[i]!.slice(0, this.codeEnd(i));
    const raw = this.lines[i]!.slice(0, this.codeEnd(i));
    const walrus = /\b([A-Za-z_]\w*)\s*:=/.exec(code);
    if (walrus) {
      const rest = raw.slice(walrus.index + walrus[0].length);
      this.setType(walrus[1]!, this.typeOf(rest.replace(/\)\s*:?\s*$/, '')));
    }
    const single = /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(code);
    if (single) {
      this.setType(single[1]!, this.typeOf(raw.slice(single[0].length)));
      return;
    }
    const augmented = /^\s*([A-Za-z_]\w*)\s*\+=/.exec(code);
    if (augmented && !this.types.has(augmented[1]!)) {
      this.setType(augmented[1]!, this.typeOf(raw.slice(augmented[0].length)));
      return;
    }
    const pair = /^\s*\(?\s*([A-Za-z_]\w*)\s*,\s*([A-Za-z_]\w*)\s*\)?\s*=(?!=)/.exec(code);
    if (pair) {
      const rhs = raw.slice(pair[0].length);
      // data, address = sock.recvfrom(n): the first is bytes, the second a (host, port) tuple.
      this.setType(pair[1]!, /\.\s*recvfrom\s*\(/.test(rhs) ? 'bytes' : undefined);
      this.setType(pair[2]!, undefined);
    }
  }

  private setType(name: string, t: ValueType | undefined): void {
    if (t) {
      this.types.set(name, t);
    } else {
      this.types.delete(name);
    }
  }

  /** str or bytes for an expression, when the lecture's idioms make it certain; else undefined. */
  private typeOf(expr: string): ValueType | undefined {
    const e = expr.trim();
    if (
      /\.\s*encode\s*\([^()]*\)$/.test(e) ||
      /^bytes\s*\(/.test(e) ||
      /^(?:[bB][rR]?|[rR][bB])['"]/.test(e)
    ) {
      return 'bytes';
    }
    if (/\.\s*decode\s*\([^()]*\)$/.test(e) || /^str\s*\(/.test(e) || /^[rRuUfF]{0,2}['"]/.test(e)) {
      return 'str';
    }
    if (/^(?:raw_input|raw\s+input|input)\s*\(/.test(e)) {
      return 'str';
    }
    if (/\.\s*recv(?:from)?\s*\(/.test(e) && !/\.\s*recvfrom\s*\(/.test(e)) {
      return 'bytes';
    }
    const method =
      /^([A-Za-z_]\w*)((?:\s*\.\s*(?:upper|lower|strip|lstrip|rstrip|title|capitalize|swapcase|replace)\s*\([^()]*\))*)$/.exec(
        e,
      );
    if (method) {
      return this.types.get(method[1]!);
    }
    return undefined;
  }

  // ─── the rules ─────────────────────────────────────────────────────────────────────────────────────

  /** `print x` (Python 2): a SyntaxError in Python 3. */
  private printStatement(i: number): void {
    if (this.depthAt[i]! > 0) {
      return;
    }
    const code = this.masked[i]!;
    const m = /(^\s*|[:;]\s*)print(?=[ \t]+[^\s=(.,)\]:;#]|[ \t]*>>|['"])/.exec(code);
    if (!m) {
      return;
    }
    const start = m.index + m[1]!.length;
    // The statement runs to the end of the line, or further while brackets are open.
    let endLine = i;
    while (endLine + 1 < this.lines.length && this.depthAt[endLine + 1]! > 0) {
      endLine++;
    }
    const endChar = this.codeEnd(endLine);
    const argStart = start + 'print'.length;
    const raw = this.sliceLines(i, argStart, endLine, endChar);
    const masked = this.sliceLines(i, argStart, endLine, endChar, true);
    let body = raw.trim();
    let maskedBody = masked.trim();
    let file: string | undefined;
    if (body.startsWith('>>')) {
      // print >>f, x  →  print(x, file=f)
      const parts = splitTopLevel(body.slice(2), maskedBody.slice(2));
      file = parts.shift()?.trim();
      body = parts.join(',').trim();
      maskedBody = body;
    }
    let end = '';
    if (body.endsWith(',')) {
      // A trailing comma suppressed the newline in Python 2.
      body = body.slice(0, -1).trimEnd();
      maskedBody = maskedBody.slice(0, -1).trimEnd();
      end = "end=' '";
    }
    let decoded = false;
    const args = body
      ? splitTopLevel(body, maskedBody).map((a) => {
          const t = a.trim();
          if (/^[A-Za-z_]\w*$/.test(t) && this.types.get(t) === 'bytes') {
            decoded = true;
            return `${t}.decode()`;
          }
          return t;
        })
      : [];
    if (end) {
      args.push(end);
    }
    if (file) {
      args.push(`file=${file}`);
    }
    const trimmedEnd = this.trimmedEnd(endLine, endChar);
    this.add({
      code: 'python2-print',
      severity: 'error',
      message: decoded
        ? text(
            'Python 2 print statement: a SyntaxError in Python 3, where print is a function. Write print(…).' +
              " The value is bytes, so decode it to print text rather than b'…'.",
          )
        : text(
            'Python 2 print statement: a SyntaxError in Python 3, where print is a function. Write print(…).',
          ),
      range: this.range(i, start, trimmedEnd, endLine),
      noteId: NoteId.Python2vs3,
      fixes: [
        {
          title: decoded ? text('Convert to print() and decode the bytes') : text('Convert to print()'),
          edits: [{ range: this.range(i, start, trimmedEnd, endLine), newText: `print(${args.join(', ')})` }],
        },
      ],
    });
  }

  /** `raw_input(…)` (a NameError in Python 3) and the slide's `raw input(…)` (a SyntaxError). */
  private rawInput(i: number): void {
    const code = this.masked[i]!;
    for (const m of code.matchAll(/(?<![\w.])raw(_|[ \t]+)input(?=\s*\()/g)) {
      if (m[1] === '_' && /^\s*def\s+raw_input\b|^\s*raw_input\s*=/m.test(this.text)) {
        continue; // the program defines its own raw_input
      }
      const typo = m[1] !== '_';
      const r = this.range(i, m.index, m.index + m[0].length);
      this.add({
        code: typo ? 'raw-input-typo' : 'python2-raw-input',
        severity: 'error',
        message: typo
          ? text(
              "'raw input' with a space is a typo on the slide (a SyntaxError). Python 3 reads a line with input().",
            )
          : text('raw_input() is Python 2: Python 3 calls it input() (it returns a str).'),
        range: r,
        noteId: typo ? NoteId.SlideTypos : NoteId.Python2vs3,
        fixes: [{ title: text('Use input()'), edits: [{ range: r, newText: 'input' }] }],
      });
    }
  }

  /** `socket.AF_INET` while `socket` names the class (after `from socket import *`): an AttributeError. */
  private socketAttribute(i: number): void {
    if (this.socketName !== 'class') {
      return;
    }
    const code = this.masked[i]!;
    for (const m of code.matchAll(/(?<![\w.])socket\s*\.\s*([A-Za-z_]\w*)/g)) {
      const attr = m[1]!;
      if (SOCKET_CLASS_ATTRS.has(attr)) {
        continue;
      }
      const after = code.slice(m.index + m[0].length);
      const split = SPLIT_CONSTANTS[attr]?.find((w) => new RegExp(`^[ \\t]+${w}\\b`).test(after));
      const shown = split ? `${attr} ${split}` : attr;
      const prefixEnd = m.index + m[0].length - attr.length;
      const replacement = attr === 'timeout' ? 'timeout' : attr;
      this.add({
        code: 'socket-attribute-after-import-star',
        severity: 'error',
        message:
          attr === 'timeout'
            ? text(
                "After 'from socket import *', socket.timeout is a property of the socket class, not the exception. Write timeout (or TimeoutError).",
              )
            : text(
                "After 'from socket import *', the name socket is the socket class, which has no attribute '{0}' (AttributeError in Python 3). Write {1}, without 'socket.'.",
                shown,
                split ? `${attr}_${split}` : attr,
              ),
        range: this.range(
          i,
          m.index,
          m.index + m[0].length + (split ? split.length + (after.length - after.trimStart().length) : 0),
        ),
        noteId: NoteId.PythonImportStar,
        fixes: [
          {
            title: text(
              "Remove 'socket.' (write {0})",
              replacement === attr && split ? `${attr}_${split}` : replacement,
            ),
            edits: [{ range: this.range(i, m.index, prefixEnd), newText: '' }],
          },
        ],
      });
    }
  }

  /** `SOCK DGRAM` and friends: the slide's space where an underscore belongs (a SyntaxError). */
  private constantTypo(i: number): void {
    const code = this.masked[i]!;
    for (const m of code.matchAll(/(?<![\w])(SOCK|AF|SOL|SO|SHUT)([ \t]+)([A-Z][A-Z0-9]*)\b/g)) {
      const [head, space, tail] = [m[1]!, m[2]!, m[3]!];
      if (!SPLIT_CONSTANTS[head]?.includes(tail)) {
        continue;
      }
      const gapStart = m.index + head.length;
      this.add({
        code: 'constant-typo',
        severity: 'error',
        message: text(
          "'{0} {1}' is a typo on the slide (a SyntaxError): the constant is {0}_{1}.",
          head,
          tail,
        ),
        range: this.range(i, m.index, m.index + m[0].length),
        noteId: NoteId.SlideTypos,
        fixes: [
          {
            title: text('Write {0}_{1}', head, tail),
            edits: [{ range: this.range(i, gapStart, gapStart + space.length), newText: '_' }],
          },
        ],
      });
    }
  }

  /** `sentto` for `sendto` (an AttributeError). */
  private sentto(i: number): void {
    for (const m of this.masked[i]!.matchAll(/\.\s*(sentto)(?=\s*\()/g)) {
      const start = m.index + m[0].length - m[1]!.length;
      const r = this.range(i, start, start + m[1]!.length);
      this.add({
        code: 'sentto-typo',
        severity: 'error',
        message: text(
          "'sentto' is a typo on the slide: sockets have no such method (AttributeError). The call is sendto.",
        ),
        range: r,
        noteId: NoteId.SlideTypos,
        fixes: [{ title: text('Write sendto'), edits: [{ range: r, newText: 'sendto' }] }],
      });
    }
  }

  /** A str handed to send/sendto/sendall: Python 3 sockets take bytes (TypeError). */
  private strToSend(i: number): void {
    const code = this.masked[i]!;
    for (const m of code.matchAll(/\.\s*(send|sendall|sendto|sentto)\s*\(/g)) {
      const open = m.index + m[0].length - 1;
      const arg = this.firstArg(i, open);
      if (!arg) {
        continue;
      }
      const t = this.typeOf(arg.text);
      if (t !== 'str') {
        continue;
      }
      const r = this.range(i, arg.start, arg.end);
      const literal = /^[rRuU]?(['"])/.exec(arg.text);
      // A plain ASCII literal becomes a bytes literal; anything else gets .encode() (UTF-8).
      const asciiLiteral = literal && !/^[uU]/.test(arg.text) && /^[\x20-\x7e]*$/.test(arg.text);
      const simple = /^[\w.]+(?:\([^()]*\))*$/.test(arg.text) || literal;
      const fixed = asciiLiteral
        ? `b${arg.text}`
        : simple
          ? `${arg.text}.encode()`
          : `(${arg.text}).encode()`;
      this.add({
        code: 'str-to-send',
        severity: 'warning',
        message: text(
          "{0} is a str, but {1}() sends bytes in Python 3 (TypeError: a bytes-like object is required, not 'str'). Encode it: {2}.",
          arg.text,
          m[1]!,
          fixed,
        ),
        range: r,
        noteId: NoteId.Python2vs3,
        fixes: [{ title: text('Send bytes: {0}', fixed), edits: [{ range: r, newText: fixed }] }],
      });
    }
  }

  /** The first argument of the call whose `(` is at `open` on line i (same line only). */
  private firstArg(i: number, open: number): { text: string; start: number; end: number } | undefined {
    const code = this.masked[i]!;
    let depth = 0;
    for (let j = open; j < code.length; j++) {
      const c = code[j];
      if (c === '(' || c === '[' || c === '{') {
        depth++;
      } else if (c === ')' || c === ']' || c === '}') {
        depth--;
      }
      if ((depth === 0 && c === ')') || (depth === 1 && c === ',')) {
        const rawArg = this.lines[i]!.slice(open + 1, j);
        const text = rawArg.trim();
        if (!text) {
          return undefined;
        }
        const start = open + 1 + (rawArg.length - rawArg.trimStart().length);
        return { text, start, end: start + text.length };
      }
    }
    return undefined;
  }

  /**
   * A TCP `recv` whose result is used as the whole message. Skipped when the code visibly collects the
   * stream: `+=` or `.append` on the same line, or a loop that checks for the empty read that means EOF.
   */
  private singleRecv(i: number): void {
    if (!this.tcp) {
      return;
    }
    const code = this.masked[i]!;
    for (const m of code.matchAll(/\.\s*recv\s*\(/g)) {
      if (/\+=|\.\s*append\s*\(|\bjoin\s*\(/.test(code) || /MSG_WAITALL/.test(code)) {
        continue;
      }
      const target = /^\s*([A-Za-z_]\w*)\s*:?=/.exec(code)?.[1] ?? /\b([A-Za-z_]\w*)\s*:=/.exec(code)?.[1];
      if (target && this.collectsLater(i, target)) {
        continue;
      }
      const callStart = this.receiverStart(code, m.index);
      const close = this.closeParen(code, m.index + m[0].length - 1);
      this.add({
        code: 'single-recv',
        severity: 'information',
        message: text(
          'TCP is a byte stream: one recv() returns whatever has arrived, which may be part of the message or several messages. ' +
            'On loopback it usually looks whole; on a real network it need not. Loop until the message is complete (e.g. up to a newline, or until recv() returns b"").',
        ),
        range: this.range(i, callStart, close),
        noteId: NoteId.TcpByteStream,
        fixes: [],
      });
    }
  }

  /** Whether the next few lines show `target` being collected or checked for EOF (a read loop). */
  private collectsLater(i: number, target: string): boolean {
    const window = this.masked.slice(i, i + 6).join('\n');
    const t = target.replace(/\$/g, '\\$');
    return new RegExp(
      `\\bif\\s+not\\s+${t}\\b|\\b${t}\\s*==\\s*b?['"]{2}|\\blen\\(\\s*${t}\\s*\\)\\s*==\\s*0|\\+=\\s*${t}\\b|\\.append\\(\\s*${t}\\s*\\)|\\bwhile\\s+${t}\\b`,
    ).test(window);
  }

  private receiverStart(code: string, dot: number): number {
    const m = /[A-Za-z_][\w.]*\s*$/.exec(code.slice(0, dot));
    return m ? m.index : dot;
  }

  private closeParen(code: string, open: number): number {
    let depth = 0;
    for (let j = open; j < code.length; j++) {
      if (code[j] === '(') {
        depth++;
      } else if (code[j] === ')' && --depth === 0) {
        return j + 1;
      }
    }
    return code.length;
  }

  /** `bind((host, 80))`, directly or through a variable set to a literal: ports below 1024 need privileges. */
  private privilegedPort(i: number): void {
    const code = this.masked[i]!;
    for (const m of code.matchAll(/\.\s*bind\s*\(\s*\(\s*[^,()]*,\s*([A-Za-z_]\w*|\d+)\s*\)\s*\)/g)) {
      const portText = m[1]!;
      let where: { line: number; start: number; value: number } | undefined;
      if (/^\d+$/.test(portText)) {
        const start = m.index + m[0].lastIndexOf(portText);
        where = { line: i, start, value: Number(portText) };
      } else {
        where = this.intAssignment(portText, i);
      }
      if (!where || where.value < 1 || where.value > 1023) {
        continue;
      }
      const suggestion = where.value + 8000;
      const literal = this.range(where.line, where.start, where.start + String(where.value).length);
      const portAt = m.index + m[0].lastIndexOf(portText);
      this.add({
        code: 'privileged-port',
        severity: 'warning',
        message: text(
          "Port {0} is below 1024, a well-known port: binding it needs administrator rights on Linux and older macOS (PermissionError: [Errno 13]). Use a port from 1024 up, like the course's 12000.",
          where.value,
        ),
        range: this.range(i, portAt, portAt + portText.length),
        noteId: NoteId.PrivilegedPorts,
        fixes: [
          {
            title: text('Use port {0}', suggestion),
            edits: [{ range: literal, newText: String(suggestion) }],
          },
          {
            title: text('Use port 12000 (the course example)'),
            edits: [{ range: literal, newText: '12000' }],
          },
        ],
      });
    }
  }

  /**
   * `bind('', 12000)`, `connect(host, port)`, `sendto(data, host, port)`: the address is one argument, a
   * `(host, port)` tuple. With two, Python raises TypeError ("takes exactly one argument").
   */
  private addressNotTuple(i: number): void {
    const code = this.masked[i]!;
    for (const m of code.matchAll(/\.\s*(bind|connect|connect_ex|sendto)\s*\(/g)) {
      const method = m[1]!;
      const open = m.index + m[0].length - 1;
      const close = this.closeParen(code, open);
      if (close > code.length || code[close - 1] !== ')') {
        continue; // the call goes on to the next line: too unsure to say anything
      }
      const inner = this.lines[i]!.slice(open + 1, close - 1);
      const args = splitTopLevel(inner, code.slice(open + 1, close - 1));
      const addressAt = method === 'sendto' ? 1 : 0;
      if (args.length !== addressAt + 2 || args.some((a) => a.trim() === '' || /[=*]/.test(a))) {
        continue;
      }
      const host = args[addressAt]!.trim();
      if (host.startsWith('(')) {
        continue;
      }
      // sendto(data, flags, address) has three arguments too: only a port-like last one says it is (host, port).
      if (method === 'sendto' && (/^\d+$/.test(host) || !/^\d+$|port/i.test(args[2]!.trim()))) {
        continue;
      }
      // Where the host argument starts and the port argument ends, on the raw line.
      const hostStart = open + 1 + args.slice(0, addressAt).reduce((n, a) => n + a.length + 1, 0);
      const hostFrom = hostStart + (args[addressAt]!.length - args[addressAt]!.trimStart().length);
      const portEnd = close - 1 - (args[addressAt + 1]!.length - args[addressAt + 1]!.trimEnd().length);
      const pair = this.lines[i]!.slice(hostFrom, portEnd);
      const r = this.range(i, hostFrom, portEnd);
      this.add({
        code: 'address-not-tuple',
        severity: 'error',
        message: text(
          '{0}() takes the address as one argument, a (host, port) tuple: {0}({1}({2})). Passed separately, Python 3 raises TypeError.',
          method,
          method === 'sendto' ? `${args[0]!.trim()}, ` : '',
          pair,
        ),
        range: r,
        noteId: NoteId.BindCall,
        fixes: [
          {
            title: text('Pass the address as a tuple: ({0})', pair),
            edits: [{ range: r, newText: `(${pair})` }],
          },
        ],
      });
    }
  }

  /**
   * `serverName = 'hostname'`: the slides' placeholder for the server's name, used as is. Every other fix leaves
   * a program that still fails at run time (socket.gaierror: Name or service not known).
   */
  private placeholderHost(i: number): void {
    const m =
      /^(\s*([A-Za-z_]\w*)\s*=\s*)(['"])(hostname|host ?name|servername|server ?name|server ?host|your[ _-]?host(?:name)?|<[^'"<>]*>)\3\s*$/i.exec(
        this.lines[i]!.slice(0, this.codeEnd(i)),
      );
    if (!m) {
      return;
    }
    const name = m[2]!;
    // Only when the name is then used as an address (connect/sendto/create_connection), not as a label.
    const used = new RegExp(
      `(?:connect|connect_ex|sendto|create_connection)\\s*\\([^\\n]*\\(\\s*${name}\\s*,|\\b(?:gethostbyname|getaddrinfo)\\s*\\(\\s*${name}\\b`,
    );
    if (!used.test(this.masked.slice(i + 1).join('\n'))) {
      return;
    }
    const start = m[1]!.length;
    const r = this.range(i, start, start + m[4]!.length + 2);
    this.add({
      code: 'placeholder-host',
      severity: 'warning',
      message: text(
        "'{0}' is a placeholder for the server's name: run as is, the program stops with socket.gaierror (the name does not resolve). For a server on this machine use '127.0.0.1' (or 'localhost'); for another machine, its name or IP address.",
        m[4]!,
      ),
      range: r,
      noteId: NoteId.HostResolution,
      fixes: [
        {
          title: text("Use '127.0.0.1' (a server on this machine)"),
          edits: [{ range: r, newText: "'127.0.0.1'" }],
        },
        { title: text("Use 'localhost'"), edits: [{ range: r, newText: "'localhost'" }] },
      ],
    });
  }

  /**
   * A TCP `send()` whose result is thrown away: send may take only part of the bytes and returns how many, so
   * the rest would be lost without a word. `sendall()` is what the slides mean.
   */
  private sendNotSendall(i: number): void {
    if (!this.tcpOnly) {
      return;
    }
    const code = this.masked[i]!.slice(0, this.codeEnd(i));
    const m = /^\s*[A-Za-z_][\w.]*\s*\.\s*(send)\s*\(/.exec(code);
    if (!m) {
      return;
    }
    const close = this.closeParen(code, m[0].length - 1);
    if (code.slice(close).trim() !== '') {
      return; // the result is used (n = sock.send(...), send(...) + ...)
    }
    const at = m[0].lastIndexOf('send');
    const r = this.range(i, at, at + 'send'.length);
    this.add({
      code: 'send-not-sendall',
      severity: 'information',
      message: text(
        'On TCP, send() may take only part of the bytes and returns how many it took; this call ignores that, so the rest could be lost. ' +
          'sendall() keeps sending until every byte is gone (on loopback send usually takes everything, on a real network not always).',
      ),
      range: r,
      noteId: NoteId.TcpSendAll,
      fixes: [{ title: text('Use sendall()'), edits: [{ range: r, newText: 'sendall' }] }],
    });
  }

  /** The last `name = <int>` before line `before`, with the literal's place. */
  private intAssignment(
    name: string,
    before: number,
  ): { line: number; start: number; value: number } | undefined {
    for (let j = before; j >= 0; j--) {
      const m = new RegExp(`^\\s*${name}\\s*=\\s*(\\d+)\\s*(?:#.*)?$`).exec(this.masked[j]!);
      if (m) {
        return { line: j, start: m[0].indexOf(m[1]!, m[0].indexOf('=')), value: Number(m[1]) };
      }
      if (new RegExp(`^\\s*${name}\\s*=`).test(this.masked[j]!)) {
        return undefined; // set to something that is not a literal
      }
    }
    return undefined;
  }

  // ─── text helpers ──────────────────────────────────────────────────────────────────────────────────

  private sliceLines(l1: number, c1: number, l2: number, c2: number, masked = false): string {
    const src = masked ? this.masked : this.lines;
    if (l1 === l2) {
      return src[l1]!.slice(c1, c2);
    }
    const parts = [src[l1]!.slice(c1)];
    for (let l = l1 + 1; l < l2; l++) {
      parts.push(src[l]!);
    }
    parts.push(src[l2]!.slice(0, c2));
    return parts.join('\n');
  }

  /** End of the code on a line, before trailing spaces and the comment. */
  private trimmedEnd(line: number, codeEnd: number): number {
    return this.lines[line]!.slice(0, codeEnd).trimEnd().length;
  }
}

/** Applies the preferred fix of every diagnostic (the "fix all" action). */
export function fixAllPython(text: string): { text: string; applied: number } {
  const edits: LintEdit[] = [];
  for (const d of lintPython(text)) {
    const fix = d.fixes[0];
    if (fix) {
      edits.push(...fix.edits);
    }
  }
  return applyEdits(text, edits);
}

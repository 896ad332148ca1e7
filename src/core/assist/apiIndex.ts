/**
 * Which socket call, constant or class sits at a place in a source file, and which course notes explain it.
 * Pure and vscode-free (docs/architecture.md): the hovers, the notes panel's follow-the-cursor and the CodeLens are
 * thin glue over this module (src/language/), and plain mocha tests it (test/unit/core/apiIndex.test.ts).
 *
 * Matching is lexical, not semantic: a language's table names each identifier together with the shape it must
 * have (a bare call `bind(`, a method call `.bind(`, a qualified name `net.createServer`, a plain word such as
 * `AF_INET`, an event name in `.on('message', …)`). Names that are common outside socket code (`close`,
 * `send`, `connect`, …) only match in files that visibly use sockets (`import socket`, `require('node:net')`,
 * `import java.net.*`, `#include <sys/socket.h>`), so a hover never explains `file.close()` as a TCP FIN.
 * Identifiers inside comments and string literals never match (event names are string literals by nature and
 * are looked for there on purpose).
 */

import { UDP_VARIANTS, byName, type ApiEntry, type ApiLanguage, type ApiMatch } from './apiTables';
import { maskSource, usesSockets } from './sourceMask';

// ─── scanning ────────────────────────────────────────────────────────────────────────────────────────

const IDENT = /[A-Za-z_$][\w$]*/g;

/**
 * One source file, prepared once (masked, line starts, socket use) and then asked where its socket calls are.
 * Build a new one when the text changes.
 */
export class ApiScanner {
  readonly masked: string;
  readonly sockets: boolean;
  /** 'udp' when the file creates only UDP sockets (then close/connect/recv get their UDP notes). */
  readonly protocol: 'udp' | 'tcp' | undefined;
  private readonly lineStarts: number[];
  private all: ApiMatch[] | undefined;

  constructor(
    readonly language: ApiLanguage,
    readonly text: string,
  ) {
    this.masked = maskSource(language, text);
    this.sockets = usesSockets(language, text);
    this.protocol = fileProtocol(language, this.masked);
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n') {
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** Number of lines. */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset of a (line, character) position, clamped to the text. */
  offsetAt(line: number, character: number): number {
    const start = this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
    const end = this.lineEnd(line);
    return Math.min(start + Math.max(0, character), end);
  }

  /** (line, character) of an offset. */
  positionAt(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo, character: offset - this.lineStarts[lo]! };
  }

  private lineEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return end > 0 && this.text[end - 1] === '\r' ? end - 1 : end;
  }

  /** Every match in the file, in text order. */
  matches(): readonly ApiMatch[] {
    this.all ??= this.scan(0, this.text.length);
    return this.all;
  }

  /** The match under this offset (the identifier contains it or ends right at it), if any. */
  at(offset: number): ApiMatch | undefined {
    return this.matches().find((m) => m.start <= offset && offset <= m.end);
  }

  /** The matches on one line, in order. */
  onLine(line: number): ApiMatch[] {
    const from = this.offsetAt(line, 0);
    const to = this.lineEnd(line);
    return this.matches().filter((m) => m.start >= from && m.end <= to);
  }

  /**
   * What the notes panel shows for a cursor: the match under it, else the first call on its line (so a
   * cursor at the start of `data, addr = sock.recvfrom(2048)` still explains recvfrom).
   */
  forCursor(line: number, character: number): ApiMatch | undefined {
    return this.at(this.offsetAt(line, character)) ?? this.onLine(line)[0];
  }

  private scan(from: number, to: number): ApiMatch[] {
    const found: ApiMatch[] = [];
    const names = byName[this.language];
    const masked = this.masked;
    IDENT.lastIndex = from;
    for (let m = IDENT.exec(masked); m && m.index < to; m = IDENT.exec(masked)) {
      const candidates = names.get(m[0]);
      if (!candidates) {
        continue;
      }
      const start = m.index;
      const end = start + m[0].length;
      const entry = candidates.find((e) => this.fits(e, start, end));
      if (entry) {
        const udp =
          this.protocol === 'udp' && entry.forms.some((f) => f === 'call' || f === 'method' || f === 'word');
        const variant = udp ? UDP_VARIANTS[this.language][entry.name] : undefined;
        if (variant) {
          const shown = variant.summary ? { ...entry, summary: variant.summary } : entry;
          found.push({ entry: shown, start, end, notes: variant.notes });
        } else {
          found.push({ entry, start, end, notes: entry.notes });
        }
      }
    }
    if (this.language === 'javascript') {
      found.push(...this.scanStrings(from, to));
      found.sort((a, b) => a.start - b.start);
    }
    return found;
  }

  private fits(entry: ApiEntry, start: number, end: number): boolean {
    if (entry.generic && !this.sockets) {
      return false;
    }
    const before = this.masked.slice(Math.max(0, start - 80), start);
    const member = /(?:([A-Za-z_$][\w$]*)\s*)?(\.|::|->)\s*$/.exec(before);
    if (this.language === 'java' && this.readsKeyboard(entry, start, member?.[1])) {
      return false;
    }
    const called = /^\s*\(/.test(this.masked.slice(end, end + 40));
    for (const form of entry.forms) {
      if (form === 'call') {
        // `::bind(` is C++'s global (socket) bind; `std::bind(` is not.
        if (called && (!member || (member[2] === '::' && !member[1]))) {
          return this.callArgsFit(entry, end);
        }
      } else if (form === 'method') {
        if (called && member && member[2] !== '::') {
          return this.callArgsFit(entry, end);
        }
      } else if (form === 'word') {
        // `socket.AF_INET` (a Python module constant) and `java.net.Socket` are still the word.
        if (!member || member[2] === '::' || this.language === 'python' || this.language === 'java') {
          return true;
        }
      } else if (form.startsWith('qualified:')) {
        if (member?.[2] === '.' && member[1] === form.slice('qualified:'.length)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Java's keyboard reader, `new BufferedReader(new InputStreamReader(System.in))` and its `readLine()`: the
   * same classes as a socket's line reader, but no TCP framing is involved.
   */
  private readsKeyboard(entry: ApiEntry, start: number, receiver: string | undefined): boolean {
    if (entry.name === 'readLine') {
      if (!receiver) {
        return false;
      }
      const r = receiver.replace(/\$/g, '\\$');
      return new RegExp(
        `\\b${r}\\s*=\\s*new\\s+BufferedReader\\s*\\(\\s*new\\s+InputStreamReader\\s*\\(\\s*System\\s*\\.\\s*in\\b`,
      ).test(this.masked);
    }
    if (entry.name === 'BufferedReader' || entry.name === 'InputStreamReader') {
      // The statement around the word: from the previous `;`, `{` or `}` to the next `;`.
      const from = Math.max(
        this.masked.lastIndexOf(';', start),
        this.masked.lastIndexOf('{', start),
        this.masked.lastIndexOf('}', start),
      );
      const to = this.masked.indexOf(';', start);
      return /\bSystem\s*\.\s*in\b/.test(this.masked.slice(from + 1, to < 0 ? undefined : to));
    }
    return false;
  }

  /** JavaScript's `fn.bind(this)` is Function.prototype.bind, not a socket's bind. */
  private callArgsFit(entry: ApiEntry, end: number): boolean {
    if (this.language === 'javascript' && entry.name === 'bind') {
      return !/^\s*\(\s*(?:this|null|undefined)\b/.test(this.masked.slice(end, end + 40));
    }
    return true;
  }

  /** Node event names in `.on('message', …)` and the `'udp4'` / `'udp6'` socket types. */
  private scanStrings(from: number, to: number): ApiMatch[] {
    if (!this.sockets) {
      return [];
    }
    const out: ApiMatch[] = [];
    const names = byName.javascript;
    const quote = /(['"`])/g;
    quote.lastIndex = from;
    for (let m = quote.exec(this.masked); m && m.index < to; m = quote.exec(this.masked)) {
      const open = m.index;
      const close = this.masked.indexOf(m[1]!, open + 1);
      if (close < 0) {
        break;
      }
      quote.lastIndex = close + 1;
      const content = this.text.slice(open + 1, close);
      const entries = names.get(content);
      if (!entries) {
        continue;
      }
      const inOn =
        /\.\s*(?:on|once|addListener|prependListener|prependOnceListener|off|removeListener)\s*\(\s*$/.test(
          this.masked.slice(Math.max(0, open - 60), open),
        );
      const entry = entries.find((e) => e.forms.includes(inOn ? 'event' : 'string'));
      if (entry) {
        out.push({ entry, start: open + 1, end: close, notes: entry.notes });
      }
    }
    return out;
  }
}

const UDP_MARKS: Record<ApiLanguage, RegExp> = {
  python: /\bSOCK[ _]DGRAM\b/,
  javascript: /\bcreateSocket\s*\(/,
  java: /\bDatagramSocket\b/,
  c: /\bSOCK_DGRAM\b/,
};

const TCP_MARKS: Record<ApiLanguage, RegExp> = {
  python: /\bSOCK[ _]STREAM\b|\bcreate_(?:connection|server)\s*\(|\.\s*(?:listen|accept)\s*\(/,
  javascript: /\bnet\s*\.|\bcreate(?:Server|Connection)\s*\(/,
  java: /\b(?:Server)?Socket\b/,
  c: /\bSOCK_STREAM\b/,
};

function fileProtocol(language: ApiLanguage, masked: string): 'udp' | 'tcp' | undefined {
  const udp = UDP_MARKS[language].test(masked);
  const tcp = TCP_MARKS[language].test(masked);
  return udp && !tcp ? 'udp' : tcp && !udp ? 'tcp' : undefined;
}

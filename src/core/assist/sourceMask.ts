/**
 * Blanks out comments and string literals (keeping offsets and line breaks), so that identifiers in them never
 * match, and tells whether a file visibly uses sockets at all.
 */
import type { ApiLanguage } from './apiTables';

// ─── masking comments and strings ────────────────────────────────────────────────────────────────────

/**
 * The text with comment and string contents replaced by spaces, same length and same line breaks, so regular
 * expressions over it only see code. String delimiters stay (so a literal's place is still visible), and a
 * comment keeps its first character (`#` or `/`) so its start can be found.
 */
export function maskSource(language: ApiLanguage, text: string): string {
  return language === 'python' ? maskPython(text) : maskCLike(text, language === 'javascript');
}

function blank(out: string[], text: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    out[i] = text[i] === '\n' || text[i] === '\r' ? text[i]! : ' ';
  }
}

function maskPython(text: string): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      let j = i;
      while (j < text.length && text[j] !== '\n') {
        j++;
      }
      blank(out, text, i + 1, j);
      i = j;
    } else if (c === '"' || c === "'") {
      // A string prefix (r, b, f, u, rb, …) is letters right before the quote; raw strings still end at an
      // unescaped quote, so escapes are skipped the same way for both.
      const triple = text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      let j = i + q.length;
      while (j < text.length) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text.startsWith(q, j)) {
          break;
        }
        if (!triple && text[j] === '\n') {
          break; // unterminated: Python reports it; we stop at the line end
        }
        j++;
      }
      const end = Math.min(j, text.length);
      blank(out, text, i + q.length, end);
      i = text.startsWith(q, end) ? end + q.length : end;
    } else {
      i++;
    }
  }
  return out.join('');
}

function maskCLike(text: string, javascript: boolean): string {
  const out = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      let j = i;
      while (j < text.length && text[j] !== '\n') {
        j++;
      }
      blank(out, text, i + 1, j);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      blank(out, text, i + 1, end);
      i = end;
    } else if (c === '"' && text.startsWith('"""', i)) {
      // Java text block
      const close = text.indexOf('"""', i + 3);
      const end = close < 0 ? text.length : close;
      blank(out, text, i + 3, end);
      i = close < 0 ? end : end + 3;
    } else if (c === '"' || c === "'" || (javascript && c === '`')) {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\') {
          j++;
        } else if (c !== '`' && text[j] === '\n') {
          break;
        }
        j++;
      }
      const end = Math.min(j, text.length);
      blank(out, text, i + 1, end);
      i = text[end] === c ? end + 1 : end;
    } else {
      i++;
    }
  }
  return out.join('');
}

// ─── does this file use sockets? ─────────────────────────────────────────────────────────────────────

const USES_SOCKETS: Record<ApiLanguage, RegExp> = {
  python: /^\s*(?:import\s+(?:[\w.]+\s*,\s*)*socket\b|from\s+socket\s+import\b)/m,
  javascript: /(?:require\s*\(\s*|from\s+|import\s+)['"](?:node:)?(?:net|dgram)['"]/,
  java: /^\s*import\s+java\.net\.|\bjava\.net\.\w/m,
  c: /^\s*#\s*include\s*[<"](?:sys\/socket\.h|winsock2?\.h|ws2tcpip\.h|netinet\/in\.h|arpa\/inet\.h|netdb\.h)[>"]/m,
};

/** True when the file visibly uses sockets (an import or include of the socket library). */
export function usesSockets(language: ApiLanguage, text: string): boolean {
  return USES_SOCKETS[language].test(text);
}

/** Splits at top-level commas; `masked` (same length) tells which commas are inside strings. */
export function splitTopLevel(raw: string, masked: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < masked.length; j++) {
    const c = masked[j];
    if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    } else if (c === ',' && depth === 0) {
      parts.push(raw.slice(start, j));
      start = j + 1;
    }
  }
  parts.push(raw.slice(start));
  return parts;
}

/**
 * Recognises the textbook client and server programs (protocol, role, port) in a source file, so the CodeLens can
 * offer the matching playground peer. Lexical, on masked text, like the rest of this wing.
 */
import type { ApiLanguage } from './apiTables';
import { maskSource, usesSockets } from './sourceMask';

// ─── recognising a client or server program ──────────────────────────────────────────────────────────

export type ProgramShape = {
  readonly protocol: 'udp' | 'tcp';
  readonly role: 'client' | 'server';
  /** The server's port as the file states it (a literal, or a variable/constant set to one). */
  readonly port?: number;
  /** Offset where the socket is created (where a CodeLens goes). */
  readonly offset: number;
};

/**
 * Recognises a UDP/TCP client or server the way the lecture writes them, and the port it uses. Undefined
 * when the file does not look like one (no socket, or nothing that says which role it plays).
 */
export function classifyProgram(language: ApiLanguage, text: string): ProgramShape | undefined {
  const masked = maskSource(language, text);
  switch (language) {
    case 'python':
      return classifyPython(text, masked);
    case 'javascript':
      return classifyJavaScript(text, masked);
    case 'java':
      return classifyJava(text, masked);
    case 'c':
      return classifyC(text, masked);
  }
}

function first(masked: string, re: RegExp): number {
  const m = re.exec(masked);
  return m ? m.index : -1;
}

function has(masked: string, re: RegExp): boolean {
  return re.test(masked);
}

/** Earliest of the offsets that are >= 0, or -1. */
function earliest(...offsets: number[]): number {
  const found = offsets.filter((o) => o >= 0);
  return found.length ? Math.min(...found) : -1;
}

function validPort(n: number): number | undefined {
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * A port written as an expression: an integer literal, or a name whose assignment (in this language's syntax)
 * ends in one. `int(sys.argv[1]) if len(sys.argv) > 1 else 12000` resolves to 12000 (the last integer).
 */
function resolvePort(
  expr: string | undefined,
  text: string,
  masked: string,
  language: ApiLanguage,
): number | undefined {
  if (expr === undefined) {
    return undefined;
  }
  const e = expr.trim();
  if (/^\d+$/.test(e)) {
    return validPort(Number(e));
  }
  const name = /^[A-Za-z_$][\w$.]*$/.exec(e)?.[0];
  if (!name) {
    return lastInteger(e);
  }
  const plain = name.split('.').pop()!;
  const assign =
    language === 'c'
      ? new RegExp(`(?:#\\s*define\\s+${plain}\\s+([^\\n]+)|\\b${plain}\\s*=\\s*([^;\\n]+))`, 'g')
      : language === 'python'
        ? new RegExp(`^[ \\t]*(?:self\\.)?${plain}\\s*=(?!=)([^\\n]+)`, 'gm')
        : new RegExp(`\\b${plain}\\s*=(?!=)\\s*([^;\\n]+)`, 'g');
  let found: number | undefined;
  for (let m = assign.exec(masked); m; m = assign.exec(masked)) {
    // Read the value from the original text: the literal may sit in a string default, e.g. `?? '12000'`.
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? '').length;
    const value = text.slice(start, m.index + m[0].length);
    const n = lastInteger(value.replace(/#.*$|\/\/.*$/, ''));
    if (n !== undefined) {
      found = n;
    }
  }
  return found;
}

function lastInteger(s: string): number | undefined {
  const all = [...s.matchAll(/(?<![\w.[])(\d+)(?![\w.\]])/g)].map((m) => Number(m[1]));
  for (let i = all.length - 1; i >= 0; i--) {
    const p = validPort(all[i]!);
    if (p !== undefined && p >= 7) {
      return p;
    }
  }
  return undefined;
}

/** Splits call arguments at top-level commas (over masked text, so commas in strings do not count). */
function splitArgs(masked: string, text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(start, i));
        return args.map((a) => a.trim());
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return args.map((a) => a.trim());
}

/** The arguments of the first call matching `re` (which must end at the opening parenthesis). */
function argsOf(masked: string, text: string, re: RegExp): string[] | undefined {
  const m = re.exec(masked);
  return m ? splitArgs(masked, text, m.index + m[0].length - 1) : undefined;
}

/** A port from a variable named like one (`serverPort = 12000`, `PORT = 12000`), as a fallback. */
function portVariable(text: string, masked: string, language: ApiLanguage): number | undefined {
  const re = /\b([A-Za-z_$]*[Pp][Oo][Rr][Tt][A-Za-z_$\d]*)\s*=(?!=)/g;
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const p = resolvePort(m[1], text, masked, language);
    if (p !== undefined) {
      return p;
    }
  }
  if (language === 'c') {
    const d = /#\s*define\s+\w*PORT\w*\s+(\d+)/i.exec(masked);
    if (d) {
      return validPort(Number(d[1]));
    }
  }
  return undefined;
}

/** `(host, port)` → port expression. */
function tuplePort(arg: string | undefined): string | undefined {
  const m = arg ? /^\(\s*[^,]*,\s*([^)]+?)\s*\)$/.exec(arg) : null;
  return m?.[1];
}

function classifyPython(text: string, masked: string): ProgramShape | undefined {
  const create = first(masked, /\bsocket\s*\(|\bcreate_(?:connection|server)\s*\(/);
  if (create < 0) {
    return undefined;
  }
  const udpAt = first(masked, /\bSOCK[ _]DGRAM\b/);
  const tcpAt = earliest(first(masked, /\bSOCK[ _]STREAM\b|\bcreate_(?:connection|server)\s*\(/));
  const udp = udpAt >= 0 && (tcpAt < 0 || udpAt < tcpAt);
  let role: 'client' | 'server' | undefined;
  let portExpr: string | undefined;
  if (udp) {
    const bind = argsOf(masked, text, /\.\s*bind\s*\(/);
    const recvAt = first(masked, /\.\s*recvfrom\s*\(/);
    const sendAt = first(masked, /\.\s*sen[dt]to\s*\(/);
    if (bind && (sendAt < 0 || (recvAt >= 0 && recvAt < sendAt))) {
      role = 'server';
      portExpr = tuplePort(bind[0]);
    } else if (sendAt >= 0 || has(masked, /\.\s*connect\s*\(/)) {
      role = 'client';
      portExpr = tuplePort(
        argsOf(masked, text, /\.\s*sen[dt]to\s*\(/)?.[1] ?? argsOf(masked, text, /\.\s*connect\s*\(/)?.[0],
      );
    }
  } else {
    if (has(masked, /\.\s*(?:listen|accept)\s*\(|\bcreate_server\s*\(/)) {
      role = 'server';
      portExpr = tuplePort(argsOf(masked, text, /\.\s*bind\s*\(|\bcreate_server\s*\(/)?.[0]);
    } else if (has(masked, /\.\s*connect\s*\(|\bcreate_connection\s*\(/)) {
      role = 'client';
      portExpr = tuplePort(argsOf(masked, text, /\.\s*connect\s*\(|\bcreate_connection\s*\(/)?.[0]);
    }
  }
  if (!role) {
    return undefined;
  }
  const port = resolvePort(portExpr, text, masked, 'python') ?? portVariable(text, masked, 'python');
  return { protocol: udp ? 'udp' : 'tcp', role, offset: create, ...(port !== undefined ? { port } : {}) };
}

function classifyJavaScript(text: string, masked: string): ProgramShape | undefined {
  const dgramAt = first(masked, /\bcreateSocket\s*\(/);
  const serverAt = first(masked, /\bcreateServer\s*\(/);
  const clientAt = earliest(
    first(masked, /\bnet\s*\.\s*connect\s*\(|\bcreateConnection\s*\(|\bnew\s+(?:net\s*\.\s*)?Socket\s*\(/),
  );
  if (!usesSockets('javascript', text)) {
    return undefined;
  }
  if (dgramAt >= 0 && (serverAt < 0 || dgramAt < serverAt) && (clientAt < 0 || dgramAt < clientAt)) {
    const bind = argsOf(masked, text, /\.\s*bind\s*\(/);
    const send = argsOf(masked, text, /\.\s*send\s*\(/);
    if (bind && bind.length > 0) {
      const port =
        resolvePort(objPort(bind[0]) ?? bind[0], text, masked, 'javascript') ??
        portVariable(text, masked, 'javascript');
      return { protocol: 'udp', role: 'server', offset: dgramAt, ...(port !== undefined ? { port } : {}) };
    }
    if (send) {
      // send(msg, port, address) or send(msg, offset, length, port, address)
      const portArg = send.length >= 5 ? send[3] : send[1];
      const port =
        resolvePort(portArg, text, masked, 'javascript') ?? portVariable(text, masked, 'javascript');
      return { protocol: 'udp', role: 'client', offset: dgramAt, ...(port !== undefined ? { port } : {}) };
    }
    return undefined;
  }
  if (serverAt >= 0) {
    const listen = argsOf(masked, text, /\.\s*listen\s*\(/);
    const port =
      resolvePort(objPort(listen?.[0]) ?? listen?.[0], text, masked, 'javascript') ??
      portVariable(text, masked, 'javascript');
    return { protocol: 'tcp', role: 'server', offset: serverAt, ...(port !== undefined ? { port } : {}) };
  }
  if (clientAt >= 0) {
    const args = argsOf(masked, text, /\bnet\s*\.\s*connect\s*\(|\bcreateConnection\s*\(|\.\s*connect\s*\(/);
    const port =
      resolvePort(objPort(args?.[0]) ?? args?.[0], text, masked, 'javascript') ??
      portVariable(text, masked, 'javascript');
    return { protocol: 'tcp', role: 'client', offset: clientAt, ...(port !== undefined ? { port } : {}) };
  }
  return undefined;
}

/** `{ port: 12000, host: … }` → `12000`. */
function objPort(arg: string | undefined): string | undefined {
  const m = arg ? /^\{[^}]*\bport\s*:\s*([^,}]+)/.exec(arg) : null;
  return m?.[1];
}

function classifyJava(text: string, masked: string): ProgramShape | undefined {
  const server = argsOf(masked, text, /\bnew\s+ServerSocket\s*\(/);
  const serverAt = first(masked, /\bnew\s+ServerSocket\s*\(/);
  const dgram = argsOf(masked, text, /\bnew\s+DatagramSocket\s*\(/);
  const dgramAt = first(masked, /\bnew\s+DatagramSocket\s*\(/);
  const client = argsOf(masked, text, /\bnew\s+Socket\s*\(/);
  const clientAt = first(masked, /\bnew\s+Socket\s*\(/);
  const port = (expr: string | undefined): { port?: number } => {
    const p = resolvePort(expr, text, masked, 'java') ?? portVariable(text, masked, 'java');
    return p !== undefined ? { port: p } : {};
  };
  if (serverAt >= 0) {
    return { protocol: 'tcp', role: 'server', offset: serverAt, ...port(server?.[0]) };
  }
  if (dgramAt >= 0 && dgram) {
    if (dgram.length > 0 && dgram[0] !== '') {
      return { protocol: 'udp', role: 'server', offset: dgramAt, ...port(dgram[0]) };
    }
    const packet = argsOf(masked, text, /\bnew\s+DatagramPacket\s*\((?=[^;]*,[^;]*,[^;]*,)/);
    return { protocol: 'udp', role: 'client', offset: dgramAt, ...port(packet?.[3]) };
  }
  if (clientAt >= 0) {
    return { protocol: 'tcp', role: 'client', offset: clientAt, ...port(client?.[1]) };
  }
  return undefined;
}

function classifyC(text: string, masked: string): ProgramShape | undefined {
  const create = first(masked, /(?<![\w.>])socket\s*\(/);
  if (create < 0) {
    return undefined;
  }
  const udpAt = first(masked, /\bSOCK_DGRAM\b/);
  const tcpAt = first(masked, /\bSOCK_STREAM\b/);
  const udp = udpAt >= 0 && (tcpAt < 0 || udpAt < tcpAt);
  let role: 'client' | 'server' | undefined;
  if (udp) {
    const bindAt = first(masked, /(?<![\w.>])bind\s*\(/);
    const recvAt = first(masked, /(?<![\w.>])recvfrom\s*\(/);
    const sendAt = first(masked, /(?<![\w.>])sendto\s*\(/);
    role =
      bindAt >= 0 && (sendAt < 0 || (recvAt >= 0 && recvAt < sendAt))
        ? 'server'
        : sendAt >= 0
          ? 'client'
          : undefined;
  } else if (has(masked, /(?<![\w.>])(?:listen|accept)\s*\(/)) {
    role = 'server';
  } else if (has(masked, /(?<![\w.>])connect\s*\(/)) {
    role = 'client';
  }
  if (!role) {
    return undefined;
  }
  const htons = argsOf(masked, text, /\bhtons\s*\(/);
  const port = resolvePort(htons?.[0], text, masked, 'c') ?? portVariable(text, masked, 'c');
  return { protocol: udp ? 'udp' : 'tcp', role, offset: create, ...(port !== undefined ? { port } : {}) };
}

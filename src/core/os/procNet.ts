/**
 * The machine's open ports, for the Ports view: parsers of Linux's /proc/net/{tcp,tcp6,udp,udp6} and of the
 * `netstat -an` output of macOS (BSD) and Windows, plus `listListeningPorts()` which reads them. The parsers
 * are pure and total: a line they do not understand is skipped, never thrown on.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import * as path from 'node:path';
import { portRange, serviceName } from './wellKnownPorts';
import type { Protocol } from '../../shared/types';

export type PortEntry = {
  protocol: Protocol;
  family: 4 | 6;
  /** Local address as usually written: 127.0.0.1, ::1, 0.0.0.0, ::, ::ffff:127.0.0.1. */
  address: string;
  port: number;
  /** TCP state (LISTEN, ESTABLISHED, …); UDP: UNCONN for an unconnected socket, ESTABLISHED for a connected one. */
  state: string;
  remoteAddress?: string;
  remotePort?: number;
  uid?: number;
  inode?: number;
  /** The program holding the socket, when the OS lets us see it (Linux: processes of this user). */
  owner?: SocketOwner;
};

/** A process that holds a socket. */
export type SocketOwner = { pid: number; name: string; command: string };

/** TCP states as numbered in the Linux kernel (include/net/tcp_states.h). */
const LINUX_TCP_STATES: Record<number, string> = {
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
};

/** Formats 16 bytes as an IPv6 address (RFC 5952: lower case, longest zero run as "::", IPv4-mapped dotted). */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Decodes a /proc/net address: 8 hex digits (IPv4) or 32 (IPv6), written as 32-bit words in the kernel's
 * byte order, followed by ":" and the port as 4 hex digits. Undefined when malformed.
 */
export function parseProcAddress(
  text: string,
  byteOrder: 'LE' | 'BE' = 'LE',
): { address: string; port: number; family: 4 | 6 } | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (!m) {
    return undefined;
  }
  const hex = m[1]!;
  const port = parseInt(m[2]!, 16);
  const bytes = new Uint8Array(hex.length / 2);
  for (let w = 0; w < hex.length / 8; w++) {
    for (let b = 0; b < 4; b++) {
      const v = parseInt(hex.slice(w * 8 + b * 2, w * 8 + b * 2 + 2), 16);
      // Little-endian words list their least significant byte last in the text, which is the first in memory.
      bytes[w * 4 + (byteOrder === 'LE' ? 3 - b : b)] = v;
    }
  }
  if (bytes.length === 4) {
    return { address: `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`, port, family: 4 };
  }
  return { address: formatIpv6(bytes), port, family: 6 };
}

/**
 * Parses the text of /proc/net/tcp, tcp6, udp or udp6 (the header line is skipped). Every socket is returned,
 * whatever its state; `listening()` picks the servers.
 */
export function parseProcNet(text: string, protocol: Protocol, byteOrder: 'LE' | 'BE' = 'LE'): PortEntry[] {
  const out: PortEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
    if (f.length < 4 || !/^\d+:$/.test(f[0]!)) {
      continue;
    }
    const local = parseProcAddress(f[1]!, byteOrder);
    const remote = parseProcAddress(f[2]!, byteOrder);
    if (!local || !remote || !/^[0-9A-Fa-f]{2}$/.test(f[3]!)) {
      continue;
    }
    const st = parseInt(f[3]!, 16);
    let state: string;
    if (protocol === 'udp') {
      // The kernel reuses TCP's numbers: 7 (CLOSE) is a plain bound socket, 1 a connect()ed one.
      state = st === 1 ? 'ESTABLISHED' : st === 7 ? 'UNCONN' : (LINUX_TCP_STATES[st] ?? `0x${f[3]}`);
    } else {
      state = LINUX_TCP_STATES[st] ?? `0x${f[3]}`;
    }
    const e: PortEntry = { protocol, family: local.family, address: local.address, port: local.port, state };
    if (remote.port !== 0 || !/^0+$/.test(f[2]!.split(':')[0]!)) {
      e.remoteAddress = remote.address;
      e.remotePort = remote.port;
    }
    const uid = Number(f[7]);
    const inode = Number(f[9]);
    if (f.length > 7 && Number.isInteger(uid)) {
      e.uid = uid;
    }
    if (f.length > 9 && Number.isInteger(inode)) {
      e.inode = inode;
    }
    out.push(e);
  }
  return out;
}

/**
 * Splits an endpoint as netstat prints it: "127.0.0.1.12000" or "::1.12000" (BSD: the port after the last
 * dot), "127.0.0.1:12000", "[::1]:12000" or ":::22" (Windows, Linux net-tools). "*" is a wildcard address
 * or port.
 */
function splitEndpoint(text: string): { address: string; port: number | undefined } | undefined {
  const m =
    /^\[([^\]]+)\]:(\d+|\*)$/.exec(text) ?? /^(.+)\.(\d+|\*)$/.exec(text) ?? /^(.*):(\d+|\*)$/.exec(text);
  if (!m || m[1] === '') {
    return undefined;
  }
  const portText = m[2]!;
  if (portText === '*') {
    return { address: m[1]!, port: undefined };
  }
  if (portText.length > 5 || Number(portText) > 65535) {
    return undefined;
  }
  return { address: m[1]!, port: Number(portText) };
}

/**
 * Parses `netstat -an` output: macOS/BSD (`tcp4 0 0 127.0.0.1.12000 *.* LISTEN`) and Windows
 * (`TCP 127.0.0.1:12000 0.0.0.0:0 LISTENING`). Lines of other sections (UNIX sockets, headers) are skipped.
 */
export function parseNetstat(text: string): PortEntry[] {
  const out: PortEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    const proto = /^(tcp|udp)(4|6|46)?$/i.exec(f[0] ?? '');
    if (!proto) {
      continue;
    }
    const protocol = proto[1]!.toLowerCase() as Protocol;
    // BSD and Linux put two queue columns before the addresses; Windows does not.
    const queues = /^\d+$/.test(f[1] ?? '') && /^\d+$/.test(f[2] ?? '');
    const localText = queues ? f[3] : f[1];
    const remoteText = queues ? f[4] : f[2];
    const stateText = queues ? f[5] : f[3];
    if (!localText || !remoteText) {
      continue;
    }
    const local = splitEndpoint(localText);
    const remote = splitEndpoint(remoteText);
    if (!local || local.port === undefined || !remote) {
      continue;
    }
    const suffix = proto[2];
    let address = local.address.split('%')[0]!;
    let family: 4 | 6 = address.includes(':') || suffix === '6' || suffix === '46' ? 6 : 4;
    if (address === '*') {
      // macOS: "tcp46 *.80" accepts IPv4 and IPv6; tcp4 "*" is 0.0.0.0.
      address = family === 6 ? '::' : '0.0.0.0';
    } else if (!address.includes(':')) {
      family = 4;
    }
    if (!/^[0-9a-fA-F:.]+$/.test(address)) {
      continue;
    }
    let state: string;
    if (protocol === 'udp') {
      state = remote.port ? 'ESTABLISHED' : 'UNCONN';
    } else if (stateText && /^LISTEN(ING)?$/i.test(stateText)) {
      state = 'LISTEN';
    } else if (!remote.port && (remote.address === '*' || /^(0\.0\.0\.0|::|\[::\])$/.test(remote.address))) {
      // A listening socket, whatever the (possibly translated) state word says.
      state = 'LISTEN';
    } else {
      state = (stateText ?? '').toUpperCase().replace(/^ESTAB$/, 'ESTABLISHED');
    }
    const e: PortEntry = { protocol, family, address: address.toLowerCase(), port: local.port, state };
    if (remote.port) {
      e.remoteAddress = remote.address.split('%')[0]!;
      e.remotePort = remote.port;
    }
    out.push(e);
  }
  return out;
}

/** The servers among the entries: TCP sockets in LISTEN and unconnected UDP sockets. Sorted, without doubles. */
export function listening(entries: readonly PortEntry[]): PortEntry[] {
  const seen = new Set<string>();
  const out: PortEntry[] = [];
  for (const e of entries) {
    if (e.protocol === 'tcp' ? e.state !== 'LISTEN' : e.state !== 'UNCONN') {
      continue;
    }
    const key = `${e.protocol}|${e.address}|${e.port}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out.sort(
    (a, b) =>
      a.protocol.localeCompare(b.protocol) ||
      a.port - b.port ||
      a.family - b.family ||
      a.address.localeCompare(b.address),
  );
}

export type AddressScope = 'loopback' | 'all-interfaces' | 'specific';

/** Who can reach a socket bound to this address. */
export function addressScope(address: string): AddressScope {
  const a = address.toLowerCase();
  if (a === '0.0.0.0' || a === '::' || a === '*') {
    return 'all-interfaces';
  }
  if (a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.')) {
    return 'loopback';
  }
  return 'specific';
}

/** A sentence for the tooltip: what binding this address means for a client. */
export function describeAddress(address: string): string {
  const v6 = address.includes(':');
  switch (addressScope(address)) {
    case 'loopback':
      return v6
        ? 'IPv6 loopback: reachable from this machine only, and only over IPv6 — a client that connects to 127.0.0.1 does not reach it.'
        : 'IPv4 loopback: reachable from this machine only, and only over IPv4 — a client that connects to ::1 does not reach it.';
    case 'all-interfaces':
      return v6
        ? 'every IPv6 interface (and usually IPv4 too, unless the socket is IPv6-only): reachable from other machines.'
        : 'every IPv4 interface: reachable from other machines on the network, as well as from this one.';
    default:
      return 'one interface of this machine: reachable through that address only.';
  }
}

/** The Ports view's label parts for a port: service name (when well known) and IANA range. */
export function describePort(
  port: number,
  protocol: Protocol,
): { service: string | undefined; range: string } {
  let range: string;
  try {
    range = portRange(port);
  } catch {
    range = 'invalid';
  }
  return { service: serviceName(port, protocol), range };
}

export type ListOptions = {
  platform?: NodeJS.Platform;
  /** Reads a file (default: fs.readFile as UTF-8). */
  read?: (path: string) => Promise<string>;
  /** Runs a program and resolves with its standard output (default: child_process.execFile). */
  run?: (file: string, args: string[]) => Promise<string>;
  /** The environment to find Windows' folder in (default: process.env). */
  env?: NodeJS.ProcessEnv;
};

/**
 * The netstat to run. On Windows by its absolute path: a bare "netstat.exe" is searched for in the current
 * folder first, so a workspace could ship its own. Elsewhere netstat lives in the system's PATH folders.
 */
export function netstatPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform !== 'win32') {
    return 'netstat';
  }
  const set = env['SystemRoot'] ?? env['SYSTEMROOT'] ?? env['windir'];
  const root = set && path.win32.isAbsolute(set) && /^[a-zA-Z]:\\/.test(set) ? set : 'C:\\Windows';
  return path.win32.join(root, 'System32', 'netstat.exe');
}

function runFile(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      file,
      args,
      { timeout: 10_000, maxBuffer: 32 * 1024 * 1024, windowsHide: true },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    ),
  );
}

/**
 * Every listening TCP port and bound UDP port of this machine (all processes, not only the playground).
 * Linux reads /proc/net; macOS, Windows and the BSDs run `netstat -an`. Rejects with an explanation when
 * neither works.
 */
export async function listListeningPorts(options: ListOptions = {}): Promise<PortEntry[]> {
  const platform = options.platform ?? process.platform;
  const read = options.read ?? ((p: string) => readFile(p, 'utf8'));
  const run = options.run ?? runFile;
  if (platform === 'linux' || platform === 'android') {
    const order = endianness();
    const files: Array<[string, Protocol]> = [
      ['/proc/net/tcp', 'tcp'],
      ['/proc/net/tcp6', 'tcp'],
      ['/proc/net/udp', 'udp'],
      ['/proc/net/udp6', 'udp'],
    ];
    const texts = await Promise.all(
      files.map(([file]) =>
        // tcp6/udp6 are missing when IPv6 is disabled: that is not an error.
        read(file).catch(() => undefined),
      ),
    );
    if (texts.every((t) => t === undefined)) {
      throw new Error('could not read /proc/net/tcp or /proc/net/udp (is /proc mounted?).');
    }
    return listening(texts.flatMap((t, i) => (t === undefined ? [] : parseProcNet(t, files[i]![1], order))));
  }
  let text: string;
  try {
    text = await run(netstatPath(platform, options.env), ['-an']);
  } catch (err) {
    throw new Error(
      `could not run netstat to list the machine's ports: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return listening(parseNetstat(text));
}

export type OwnerOptions = {
  /** Where procfs is mounted (tests point this at a folder they built). */
  procDir?: string;
  /** Longest command line kept, in characters. */
  maxCommand?: number;
};

/** How many processes are inspected at once: enough to overlap the reads, few enough to stay light. */
const OWNER_SCAN_CONCURRENCY = 16;

/**
 * Linux: which process holds each socket inode, found through the `socket:[inode]` links in
 * /proc/<pid>/fd. Only processes this user may inspect are seen (all of them for root); the others are
 * skipped, never reported as errors. A student's own server runs as the student, so it is always found.
 */
export async function findSocketOwners(
  inodes: Iterable<number>,
  options: OwnerOptions = {},
): Promise<Map<number, SocketOwner>> {
  const wanted = new Set([...inodes].filter((i) => Number.isInteger(i) && i > 0));
  const found = new Map<number, SocketOwner>();
  if (wanted.size === 0) {
    return found;
  }
  const procDir = options.procDir ?? '/proc';
  const maxCommand = options.maxCommand ?? 200;
  let pids: string[];
  try {
    pids = (await readdir(procDir)).filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  const inspect = async (pid: string): Promise<void> => {
    let fds: string[];
    try {
      fds = await readdir(`${procDir}/${pid}/fd`);
    } catch {
      return; // another user's process, or it has exited
    }
    const mine: number[] = [];
    for (const fd of fds) {
      if (found.size === wanted.size) {
        return;
      }
      const target = await readlink(`${procDir}/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && wanted.has(Number(m[1])) && !found.has(Number(m[1]))) {
        mine.push(Number(m[1]));
      }
    }
    if (mine.length === 0) {
      return;
    }
    const name = (await readFile(`${procDir}/${pid}/comm`, 'utf8').catch(() => '')).trim();
    const argv = (await readFile(`${procDir}/${pid}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .filter((a) => a !== '');
    let command = argv.join(' ') || name;
    if (command.length > maxCommand) {
      command = `${command.slice(0, maxCommand - 1)}…`;
    }
    const owner: SocketOwner = { pid: Number(pid), name: name || argv[0] || `pid ${pid}`, command };
    for (const inode of mine) {
      found.set(inode, owner);
    }
  };
  for (let i = 0; i < pids.length && found.size < wanted.size; i += OWNER_SCAN_CONCURRENCY) {
    await Promise.all(pids.slice(i, i + OWNER_SCAN_CONCURRENCY).map(inspect));
  }
  return found;
}

/**
 * Remembers socket owners between reads of the machine's ports, so a view refreshed every few seconds scans
 * /proc only when a socket appears that it has not seen before. Linux only; elsewhere entries pass unchanged.
 */
export class SocketOwnerCache {
  private readonly owners = new Map<number, SocketOwner | null>();

  constructor(
    private readonly platform: NodeJS.Platform = process.platform,
    private readonly options: OwnerOptions = {},
  ) {}

  /** The entries with `owner` filled in where it can be found. */
  async annotate(entries: readonly PortEntry[]): Promise<PortEntry[]> {
    if (this.platform !== 'linux' && this.platform !== 'android') {
      return [...entries];
    }
    const live = new Set(entries.flatMap((e) => (e.inode ? [e.inode] : [])));
    for (const inode of this.owners.keys()) {
      if (!live.has(inode)) {
        this.owners.delete(inode); // closed: the number may be reused for another socket
      }
    }
    const unknown = [...live].filter((i) => !this.owners.has(i));
    if (unknown.length > 0) {
      const found = await findSocketOwners(unknown, this.options);
      for (const inode of unknown) {
        this.owners.set(inode, found.get(inode) ?? null);
      }
    }
    return entries.map((e) => {
      const owner = e.inode ? this.owners.get(e.inode) : undefined;
      return owner ? { ...e, owner } : e;
    });
  }
}

/**
 * Argument validation for the command contract (docs/contract.md). Every check throws a PlaygroundError
 * whose message names the argument, what it got and what is allowed; nothing has been changed when it throws.
 */
import { text } from '../shared/l10n';
import { lookup } from 'node:dns/promises';
import { lstat } from 'node:fs/promises';
import { invalidArgument, PlaygroundError, explainSocketError } from './errors';
import { NoteId } from './notes/notes';
import type { Behavior, Encoding, Endpoint, Framing, Impairment } from '../shared/types';

export const BEHAVIORS: readonly Behavior[] = ['uppercase', 'echo', 'sink', 'fixed'];
export const FRAMINGS: readonly Framing[] = ['chunk', 'line'];
/** 65,535 − 8 (UDP header) − 20 (IPv4 header). */
export const MAX_UDP_PAYLOAD_IPV4 = 65_507;
/** 65,535 − 8 (UDP header); the IPv6 header is not counted in its payload length. */
export const MAX_UDP_PAYLOAD_IPV6 = 65_527;

export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  return typeof value;
}

export function requireObject(arg: unknown, command: string): Record<string, unknown> {
  if (arg == null) {
    return {};
  }
  if (typeof arg !== 'object' || Array.isArray(arg)) {
    throw invalidArgument(
      `${command} takes one argument object, e.g. { port: 12000 }; got ${describe(arg)}.`,
    );
  }
  return arg as Record<string, unknown>;
}

/** Rejects properties the command does not know, so a typo ("prot") is not silently ignored. */
export function rejectUnknownKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  command: string,
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw invalidArgument(`${command} has no argument "${key}". Allowed: ${allowed.join(', ')}.`);
    }
  }
}

export function validatePort(value: unknown, name = 'port'): number {
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    value = Number(value);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw invalidArgument(
      text(
        '{0} must be an integer from 0 to 65535 (0 lets the OS pick a free port); got {1}.',
        name,
        describe(value),
      ),
      NoteId.PortNumbers,
    );
  }
  return value;
}

/** A destination port: 0 cannot be sent to. */
export function validateDestinationPort(value: unknown, name = 'port'): number {
  const port = validatePort(value, name);
  if (port === 0) {
    throw invalidArgument(
      text("{0} 0 is not a destination: give the server's port, from 1 to 65535.", name),
      NoteId.PortNumbers,
    );
  }
  return port;
}

const HOSTNAME_RE =
  /^(?=.{1,253}$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const IPV4_RE = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 4 for a dotted-quad, 6 for an IPv6 literal, 0 otherwise (a name). Hand-written so core needs no node:net. */
export function ipVersion(host: string): 0 | 4 | 6 {
  if (IPV4_RE.test(host)) {
    return 4;
  }
  if (host.includes(':') && /^[0-9a-fA-F:.]+(%[\w.-]+)?$/.test(host)) {
    const [addr] = host.split('%');
    const parts = addr!.split('::');
    if (parts.length > 2) {
      return 0;
    }
    const groups = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
    const last = groups[groups.length - 1];
    const v4Tail = last !== undefined && last.includes('.');
    if (v4Tail && !IPV4_RE.test(last)) {
      return 0;
    }
    const hexGroups = v4Tail ? groups.slice(0, -1) : groups;
    if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) {
      return 0;
    }
    const count = hexGroups.length + (v4Tail ? 2 : 0);
    if (parts.length === 2 ? count <= 7 : count === 8) {
      return 6;
    }
  }
  return 0;
}

/** Syntax check of a host argument; brackets around IPv6 literals are removed. */
export function validateHost(value: unknown, name = 'host'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidArgument(
      text(
        '{0} must be a host name or IP address such as "127.0.0.1", "::1" or "localhost"; got {1}.',
        name,
        describe(value),
      ),
      NoteId.HostResolution,
    );
  }
  let host = value.trim();
  if (host.startsWith('[') && host.endsWith(']')) {
    host = host.slice(1, -1);
  }
  if (ipVersion(host) === 0 && (!HOSTNAME_RE.test(host) || /^[\d.]+$/.test(host))) {
    throw invalidArgument(
      text(
        '{0} {1} is not a valid host name or IP address. Use e.g. "127.0.0.1", "::1" or "localhost".',
        name,
        JSON.stringify(value),
      ),
      NoteId.HostResolution,
    );
  }
  return host;
}

export function isLoopback(address: string): boolean {
  if (ipVersion(address) === 4) {
    return address.startsWith('127.');
  }
  const lower = address.toLowerCase().split('%')[0]!;
  return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(lower);
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '0:0:0:0:0:0:0:0';
}

/** Resolves a host name to one address (IP literals pass through unchanged). */
export async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  const v = ipVersion(host);
  if (v !== 0) {
    return { address: host, family: v };
  }
  try {
    const r = await lookup(host);
    return { address: r.address, family: r.family === 6 ? 6 : 4 };
  } catch (err) {
    throw explainSocketError(err, { host, port: 0, action: 'connect' });
  }
}

/**
 * Resolves the address to bind and refuses a non-loopback one unless `allowRemoteBind` is on: a playground
 * server bound to 0.0.0.0 would be reachable from the whole network (SECURITY.md, Bind address).
 */
export async function resolveBindAddress(
  host: string,
  allowRemoteBind: boolean,
): Promise<{ address: string; family: 4 | 6 }> {
  const resolved = await resolveHost(host);
  if (!allowRemoteBind && !isLoopback(resolved.address)) {
    throw new PlaygroundError(
      `binding ${host}${resolved.address !== host ? ` (${resolved.address})` : ''} would expose the socket beyond this ` +
        `machine; only loopback addresses (127.0.0.0/8, ::1) are allowed unless the setting ` +
        `"socketPlayground.allowRemoteBind" is turned on.`,
      'EREMOTEBIND',
      NoteId.LoopbackBind,
    );
  }
  return resolved;
}

export function validateEnum<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(
      `${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}; got ${describe(value)}.`,
    );
  }
  return value as T;
}

export function validateEncoding(value: unknown): Encoding {
  return validateEnum<Encoding>(value ?? 'utf8', ['utf8', 'hex', 'base64'], 'encoding');
}

export function validateTimeout(value: unknown, name = 'timeoutMs'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 600_000) {
    throw invalidArgument(
      `${name} must be an integer number of milliseconds from 1 to 600000; got ${describe(value)}.`,
    );
  }
  return value;
}

export function validateString(value: unknown, name: string, maxLength = 1 << 20): string {
  if (typeof value !== 'string') {
    throw invalidArgument(`${name} must be a string; got ${describe(value)}.`);
  }
  if (value.length > maxLength) {
    throw invalidArgument(`${name} is too long: at most ${maxLength} characters; got ${value.length}.`);
  }
  return value;
}

export function validateEndpoint(value: unknown, name = 'to'): Endpoint {
  if (!value || typeof value !== 'object') {
    throw invalidArgument(
      `${name} must be an endpoint { address, port }, e.g. { address: "127.0.0.1", port: 12000 }; got ${describe(value)}.`,
    );
  }
  const v = value as Record<string, unknown>;
  return {
    address: validateHost(v['address'], `${name}.address`),
    port: validateDestinationPort(v['port'], `${name}.port`),
  };
}

function validateRate(value: unknown, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw invalidArgument(
      `impairment.${name} must be a probability from 0 to 1 (0.2 = 20 %); got ${describe(value)}.`,
      NoteId.Impairment,
    );
  }
  return value;
}

function validateMs(value: unknown, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 60_000) {
    throw invalidArgument(
      `impairment.${name} must be milliseconds from 0 to 60000; got ${describe(value)}.`,
      NoteId.Impairment,
    );
  }
  return value;
}

export function validateImpairment(value: unknown): Impairment | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(
      `impairment must be an object like { loss: 0.2, seed: 1 }; got ${describe(value)}.`,
      NoteId.Impairment,
    );
  }
  const v = value as Record<string, unknown>;
  rejectUnknownKeys(v, ['loss', 'delayMs', 'jitterMs', 'reorder', 'duplicate', 'seed'], 'impairment');
  const seed = v['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw invalidArgument(`impairment.seed must be an integer; got ${describe(seed)}.`, NoteId.Impairment);
  }
  const out: Impairment = {};
  const loss = validateRate(v['loss'], 'loss');
  const reorder = validateRate(v['reorder'], 'reorder');
  const duplicate = validateRate(v['duplicate'], 'duplicate');
  const delayMs = validateMs(v['delayMs'], 'delayMs');
  const jitterMs = validateMs(v['jitterMs'], 'jitterMs');
  if (loss !== undefined) {
    out.loss = loss;
  }
  if (reorder !== undefined) {
    out.reorder = reorder;
  }
  if (duplicate !== undefined) {
    out.duplicate = duplicate;
  }
  if (delayMs !== undefined) {
    out.delayMs = delayMs;
  }
  if (jitterMs !== undefined) {
    out.jitterMs = jitterMs;
  }
  if (seed !== undefined) {
    out.seed = seed as number;
  }
  return out;
}

export function validateBehavior(value: unknown): Behavior {
  return validateEnum<Behavior>(value ?? 'uppercase', BEHAVIORS, 'behavior');
}

export function validateFraming(value: unknown): Framing {
  return validateEnum<Framing>(value ?? 'chunk', FRAMINGS, 'framing');
}

/**
 * What is at an export path before it is written: nothing (`new`), a file (`file`: the prompted flow asks
 * before overwriting it) or something else (a device, a folder: the writer reports what goes wrong). A
 * symbolic link is refused: writing through it would change a file elsewhere that the user never named.
 * Checked with lstat, which looks at the link itself rather than its target.
 */
export async function checkExportTarget(file: string): Promise<'new' | 'file' | 'other'> {
  let st;
  try {
    st = await lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return 'new';
    }
    return 'other';
  }
  if (st.isSymbolicLink()) {
    throw new PlaygroundError(
      `${file} is a symbolic link: the export does not write through links (it would change the file the ` +
        `link points to). Choose the real file's path, or a new file.`,
      'ESYMLINK',
    );
  }
  return st.isFile() ? 'file' : 'other';
}

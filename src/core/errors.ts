import { NoteId } from './notes/notes';

/**
 * An error the user caused or the network reported, with Node's `code` kept (code branches on it, never on
 * the message) and the course note that explains it.
 */
export class PlaygroundError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly noteId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlaygroundError';
  }
}

/** Bad argument: says what was wrong and what is allowed. */
export function invalidArgument(message: string, noteId?: string): PlaygroundError {
  return new PlaygroundError(message, 'EINVAL', noteId);
}

export function errorCode(err: unknown): string | undefined {
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof (err as { code: unknown }).code === 'string'
  ) {
    return (err as { code: string }).code;
  }
  return undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Who holds a port: one of the playground's own sockets, or another program as the OS names it. */
export type PortHolder =
  { kind: 'playground'; id: string; label: string } | { kind: 'process'; name: string; pid: number };

/**
 * "Port in use", naming who holds it: the student's next step differs (close the playground's socket, or
 * stop the other program). `cause` is the OS error or the generic explanation it replaces.
 */
export function portInUse(host: string, port: number, holder: PortHolder, cause: unknown): PlaygroundError {
  const who =
    holder.kind === 'playground'
      ? `the playground's own ${holder.label} (id ${holder.id}) holds it. Close that socket ` +
        `(closeSocket { socketId: "${holder.id}" }, or its Close button in the Sockets view)`
      : `${holder.name} (pid ${holder.pid}) holds it. Stop that program`;
  return new PlaygroundError(
    `port ${port} is already in use on ${host}: ${who}, pick another port, or use port 0 to let the OS ` +
      `choose a free one.`,
    'EADDRINUSE',
    NoteId.AddressInUse,
    { cause },
  );
}

type Where = { host: string; port: number; action: 'bind' | 'listen' | 'connect' | 'send' };

/**
 * Turns an OS error from bind/listen/connect into an explanation a student can act on.
 * Branches on `code` only.
 */
export function explainSocketError(err: unknown, where: Where): PlaygroundError {
  if (err instanceof PlaygroundError) {
    return err;
  }
  const code = errorCode(err) ?? 'EUNKNOWN';
  const { host, port } = where;
  const at = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new PlaygroundError(
        `port ${port} is already in use on ${host}: another socket is bound to it. Close that program (or the ` +
          `playground socket holding it), pick another port, or use port 0 to let the OS choose a free one.`,
        code,
        NoteId.AddressInUse,
        { cause: err },
      );
    case 'EACCES':
    case 'EPERM':
      return new PlaygroundError(
        port > 0 && port < 1024
          ? `port ${port} is a privileged port (0–1023): binding it needs administrator rights ` +
              `(root or CAP_NET_BIND_SERVICE on Linux). Use a port from 1024 to 65535, such as 12000.`
          : `permission denied binding ${at}.`,
        code,
        NoteId.PrivilegedPorts,
        { cause: err },
      );
    case 'EADDRNOTAVAIL':
      return new PlaygroundError(
        `address ${host} is not an address of this machine, so nothing can be bound to it. ` +
          `Use 127.0.0.1 (loopback), ::1, or an address of one of this machine's interfaces.`,
        code,
        NoteId.AddressNotAvailable,
        { cause: err },
      );
    case 'ECONNREFUSED':
      return new PlaygroundError(
        `connection refused by ${at}: nothing is listening on that port. Start the server first, ` +
          `then connect (check the port and whether the server listens on IPv4 or IPv6).`,
        code,
        NoteId.ConnectionRefused,
        { cause: err },
      );
    case 'ETIMEDOUT':
      return new PlaygroundError(
        `connecting to ${at} timed out: no answer to the handshake. The host may be down or a firewall drops the SYN.`,
        code,
        NoteId.ConnectTimeout,
        { cause: err },
      );
    case 'ECONNRESET':
      return new PlaygroundError(
        `the connection to ${at} was reset by the peer.`,
        code,
        NoteId.ConnectionReset,
        {
          cause: err,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new PlaygroundError(
        `host "${host}" could not be resolved to an address. Check the spelling, or use an IP address such as 127.0.0.1.`,
        code,
        NoteId.HostResolution,
        { cause: err },
      );
    case 'EMSGSIZE':
      return new PlaygroundError(
        `the datagram is too large to send: a UDP payload over IPv4 can hold at most 65,507 bytes.`,
        code,
        NoteId.UdpDatagramLimit,
        { cause: err },
      );
    default:
      return new PlaygroundError(`${where.action} ${at} failed: ${errorMessage(err)}`, code, undefined, {
        cause: err,
      });
  }
}

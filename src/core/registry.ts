/**
 * The socket engine's front door: validates every command argument, creates and owns every socket, and tells
 * listeners when sockets come, change and go. No `vscode` here: the commands are thin wrappers around it.
 */
import { text } from '../shared/l10n';
import { notesFor } from './notes/annotate';
import { decodePayload } from './sockets/codec';
import { PlaygroundError, errorCode, invalidArgument, portInUse, type PortHolder } from './errors';
import { Emitter, type Disposable, type Event } from './events';
import { NoteId } from './notes/notes';
import { findPortHolder } from './os/portHolder';
import { Relay } from './relay/relay';
import type { PlaygroundSocket, SocketContext } from './sockets/socketBase';
import { connectTcpClient, type TcpStream } from './sockets/tcpClient';
import { TcpServer } from './sockets/tcpServer';
import type { TrafficLog } from './traffic/trafficLog';
import type { Endpoint, Protocol, SocketId, SocketInfo, SocketKind } from '../shared/types';
import { formatEndpoint } from '../shared/endpoint';
import { UdpClient, UdpServer } from './sockets/udpSocket';
import {
  MAX_UDP_PAYLOAD_IPV4,
  MAX_UDP_PAYLOAD_IPV6,
  describe,
  isLoopback,
  rejectUnknownKeys,
  requireObject,
  resolveBindAddress,
  resolveHost,
  validateBehavior,
  validateDestinationPort,
  validateEncoding,
  validateEndpoint,
  validateEnum,
  validateFraming,
  validateHost,
  validateImpairment,
  validatePort,
  validateString,
  validateTimeout,
} from './validate';

/**
 * The settings the engine uses, read afresh at every command. The host reads and clamps them (config.ts);
 * the engine still validates each value where it uses it.
 */
export type EngineSettings = {
  bindAddress: string;
  allowRemoteBind: boolean;
  defaultPort: number;
};

export type RegistryChange = { type: 'added' | 'removed' | 'changed'; socket: PlaygroundSocket };

/** Longest text accepted for one send: far above any datagram, small enough to keep a typo from eating memory. */
const MAX_SEND_CHARS = 16 * 1024 * 1024;

export class SocketRegistry implements Disposable {
  private readonly sockets = new Map<SocketId, PlaygroundSocket>();
  private readonly locallyClosed = new Set<SocketId>();
  private nextId = 1;
  private disposed = false;
  private readonly changeEmitter = new Emitter<RegistryChange>();

  /** Sockets added, removed, or changed state. Not fired for byte counters (read them when drawing). */
  readonly onDidChange: Event<RegistryChange> = this.changeEmitter.event;

  private readonly ctx: SocketContext;

  constructor(
    readonly log: TrafficLog,
    private readonly settings: () => EngineSettings,
  ) {
    this.ctx = {
      log,
      adopt: (s) => this.add(s),
      closed: (s) => this.onSocketClosed(s),
      newId: (kind) => this.newId(kind),
    };
  }

  private newId(kind: SocketKind): SocketId {
    return `${kind}-${this.nextId++}`;
  }

  get(id: SocketId): PlaygroundSocket | undefined {
    return this.sockets.get(id);
  }

  /** Every socket the playground holds, servers before their connections. */
  list(): SocketInfo[] {
    return [...this.sockets.values()].map((s) => s.info());
  }

  all(): PlaygroundSocket[] {
    return [...this.sockets.values()];
  }

  get size(): number {
    return this.sockets.size;
  }

  /** Number of sockets that hold an OS handle (for the status bar). */
  get openCount(): number {
    let n = 0;
    for (const s of this.sockets.values()) {
      if (s.isOpen) {
        n++;
      }
    }
    return n;
  }

  private add(s: PlaygroundSocket): void {
    if (this.disposed) {
      s.dispose();
      return;
    }
    this.sockets.set(s.id, s);
    s.onDidChangeState(() => {
      if (this.sockets.has(s.id)) {
        this.changeEmitter.fire({ type: 'changed', socket: s });
      }
    });
    this.changeEmitter.fire({ type: 'added', socket: s });
  }

  private remove(s: PlaygroundSocket): void {
    if (this.sockets.delete(s.id)) {
      this.changeEmitter.fire({ type: 'removed', socket: s });
    }
  }

  private onSocketClosed(s: PlaygroundSocket): void {
    // A client closed by its peer stays in view (state closed or error) so the student sees what happened;
    // everything else leaves the registry when it closes. Its story stays in the traffic log.
    if (s.kind === 'tcp-client' && !s.parentId && !this.locallyClosed.has(s.id)) {
      return;
    }
    this.locallyClosed.delete(s.id);
    this.remove(s);
  }

  private checkNotDisposed(): void {
    if (this.disposed) {
      throw new PlaygroundError('the socket engine has shut down.', 'ESHUTDOWN');
    }
  }

  /** Logs a socket that never came to be (refused, port in use), so the log explains the failure. */
  private logFailure(
    id: SocketId,
    kind: SocketKind,
    protocol: Protocol,
    local: Endpoint,
    remote: Endpoint | undefined,
    err: unknown,
  ): void {
    const code = err instanceof PlaygroundError ? err.code : undefined;
    const message = err instanceof Error ? err.message : String(err);
    this.log.append({
      socketId: id,
      protocol,
      event: 'error',
      local,
      remote,
      bytes: 0,
      notes: notesFor({ kind, protocol, event: 'error', local, remote, errorCode: code }),
      error: { code, message },
    });
  }

  /**
   * Who holds a port that a bind found in use: one of our sockets (found here, exact), else the program the
   * OS names. Undefined when nobody can be named.
   */
  async portHolder(protocol: Protocol, port: number, address: string): Promise<PortHolder | undefined> {
    const ours = this.all().filter(
      (s) => s.isOpen && s.protocol === protocol && s.local.port === port && s.kind !== 'tcp-connection',
    );
    const mine = ours.find((s) => s.local.address === address) ?? ours[0];
    if (mine) {
      return { kind: 'playground', id: mine.id, label: mine.label };
    }
    const owner = await findPortHolder(protocol, port, address);
    return owner ? { kind: 'process', name: owner.name, pid: owner.pid } : undefined;
  }

  /** For a failed bind: rethrows it, naming who holds the port when it was in use and that can be found. */
  private async rethrowNamingHolder(
    err: unknown,
    protocol: Protocol,
    address: string,
    port: number,
  ): Promise<never> {
    if (errorCode(err) !== 'EADDRINUSE' || port === 0) {
      throw err;
    }
    const holder = await this.portHolder(protocol, port, address).catch(() => undefined);
    throw holder ? portInUse(address, port, holder, err) : err;
  }

  private fixedReply(behavior: string, reply: unknown): Buffer | undefined {
    if (reply === undefined) {
      if (behavior === 'fixed') {
        throw invalidArgument(
          'behavior "fixed" needs reply: the text the server answers with, e.g. { behavior: "fixed", reply: "OK\\n" }.',
        );
      }
      return undefined;
    }
    if (behavior !== 'fixed') {
      throw invalidArgument(`reply is only used with behavior "fixed"; behavior is "${behavior}".`);
    }
    const text = validateString(reply, 'reply', MAX_UDP_PAYLOAD_IPV4);
    const bytes = Buffer.from(text, 'utf8');
    // Checked in bytes, not characters: "é" is one character and two bytes in UTF-8.
    if (bytes.length > MAX_UDP_PAYLOAD_IPV4) {
      throw invalidArgument(
        `reply is ${bytes.length.toLocaleString('en-US')} bytes in UTF-8 (${text.length.toLocaleString('en-US')} ` +
          `characters); a reply is at most ${MAX_UDP_PAYLOAD_IPV4.toLocaleString('en-US')} bytes, what one UDP ` +
          `datagram carries over IPv4.`,
        NoteId.UdpDatagramLimit,
      );
    }
    return bytes;
  }

  /** True when `s` is bound where `ep` points (a wildcard bind takes every address of its family). */
  private static holds(s: PlaygroundSocket, ep: Endpoint): boolean {
    if (s.local.port !== ep.port || !s.isOpen) {
      return false;
    }
    const wildcard = ep.address.includes(':') ? '::' : '0.0.0.0';
    return s.local.address === ep.address || s.local.address === wildcard;
  }

  /**
   * Why `relay` would forward in a loop, or undefined: its target is itself, or a chain of playground relays
   * that leads back to it. Two relays pointed at each other pass every connection round and round, each turn a
   * new connection (two descriptors) until the host runs out. A chain that ends at a server is fine.
   */
  private relayLoop(relay: PlaygroundSocket): string | undefined {
    const relays = [relay, ...[...this.sockets.values()].filter((s) => s.kind === 'relay' && s !== relay)];
    const seen = new Set<PlaygroundSocket>();
    let at = relay.remote!;
    const path: string[] = [];
    for (;;) {
      const next = relays.find((r) => r.protocol === relay.protocol && SocketRegistry.holds(r, at));
      if (!next || seen.has(next)) {
        return undefined;
      }
      if (next === relay) {
        return path.length === 0
          ? `the relay's target ${formatEndpoint(at)} is the relay itself: it would forward to itself forever.`
          : `the relay's target leads back to it through ${path.join(' → ')}: the relays would forward every ` +
              `${relay.protocol === 'tcp' ? 'connection' : 'datagram'} round in a loop until the host runs out of descriptors.`;
      }
      seen.add(next);
      path.push(next.label);
      at = next.remote!;
    }
  }

  /**
   * Why sending from `s` to `to` would never end, or undefined. A playground server that replies (echo,
   * uppercase, fixed) or a UDP relay, sending to another socket that replies (or to itself), makes the two answer
   * each other forever: 90,000 datagrams in 2 s, evicting the whole log. Refused here, before anything is sent,
   * because the registry knows every playground socket; detecting the loop afterwards would mean guessing from
   * traffic, and would let the first thousands through. (A loop through another program cannot be seen here.)
   */
  private replyLoop(s: PlaygroundSocket, to: Endpoint): string | undefined {
    if (!s.replies) {
      return undefined;
    }
    const peer = [...this.sockets.values()].find(
      (p) => p.protocol === 'udp' && p.replies && SocketRegistry.holds(p, to),
    );
    if (!peer) {
      return undefined;
    }
    return peer === s
      ? `${s.label} answers every datagram, and ${formatEndpoint(to)} is itself: it would answer itself forever.`
      : `${s.label} answers every datagram, and so does ${peer.label} at ${formatEndpoint(to)}: the two would ` +
          `answer each other forever. Send from a UDP client instead (openUdpClient), or make one of them a sink.`;
  }

  /** socketPlayground.startUdpServer */
  async startUdpServer(arg?: unknown): Promise<SocketInfo> {
    this.checkNotDisposed();
    const o = requireObject(arg, 'startUdpServer');
    rejectUnknownKeys(o, ['port', 'host', 'behavior', 'reply', 'impairment'], 'startUdpServer');
    const cfg = this.settings();
    const port = validatePort(o['port'] ?? cfg.defaultPort);
    const host = validateHost(o['host'] ?? cfg.bindAddress);
    const behavior = validateBehavior(o['behavior']);
    const reply = this.fixedReply(behavior, o['reply']);
    const impairment = validateImpairment(o['impairment']);
    const { address, family } = await resolveBindAddress(host, cfg.allowRemoteBind);
    const s = await UdpServer.start(this.newId('udp-server'), this.ctx, {
      port,
      address,
      family,
      behavior,
      reply,
      impairment,
    }).catch((err: unknown) => this.rethrowNamingHolder(err, 'udp', address, port));
    this.add(s);
    return s.info();
  }

  /** socketPlayground.startTcpServer */
  async startTcpServer(arg?: unknown): Promise<SocketInfo> {
    this.checkNotDisposed();
    const o = requireObject(arg, 'startTcpServer');
    rejectUnknownKeys(o, ['port', 'host', 'behavior', 'reply', 'framing'], 'startTcpServer');
    const cfg = this.settings();
    const port = validatePort(o['port'] ?? cfg.defaultPort);
    const host = validateHost(o['host'] ?? cfg.bindAddress);
    const behavior = validateBehavior(o['behavior']);
    const reply = this.fixedReply(behavior, o['reply']);
    const framing = validateFraming(o['framing']);
    const { address, family } = await resolveBindAddress(host, cfg.allowRemoteBind);
    const s = await TcpServer.start(this.newId('tcp-server'), this.ctx, {
      port,
      address,
      family,
      behavior,
      reply,
      framing,
    }).catch((err: unknown) => this.rethrowNamingHolder(err, 'tcp', address, port));
    this.add(s);
    return s.info();
  }

  /** socketPlayground.openUdpClient */
  async openUdpClient(arg?: unknown): Promise<SocketInfo> {
    this.checkNotDisposed();
    const o = requireObject(arg, 'openUdpClient');
    rejectUnknownKeys(o, ['host', 'port', 'localPort'], 'openUdpClient');
    if (o['port'] === undefined) {
      throw invalidArgument(
        'openUdpClient needs port: the server port to send to, e.g. { port: 12000 }.',
        NoteId.PortNumbers,
      );
    }
    const cfg = this.settings();
    const port = validateDestinationPort(o['port']);
    const host = validateHost(o['host'] ?? cfg.bindAddress);
    const localPort = validatePort(o['localPort'] ?? 0, 'localPort');
    const { address, family } = await resolveHost(host);
    // Talk to loopback from loopback. A remote destination cannot be reached from a loopback address: the
    // client would have to bind the wildcard address and so receive from the whole network, which is the
    // same exposure as a remote server bind and needs the same setting.
    if (!isLoopback(address) && !cfg.allowRemoteBind) {
      throw new PlaygroundError(
        `sending to ${host}${address !== host ? ` (${address})` : ''} needs a UDP client bound to every ` +
          `interface (${family === 6 ? '::' : '0.0.0.0'}), which other machines could then reach; a loopback ` +
          `address cannot reach another host. Only loopback destinations (127.0.0.0/8, ::1) are allowed unless ` +
          `the setting "socketPlayground.allowRemoteBind" is turned on.`,
        'EREMOTEBIND',
        NoteId.LoopbackBind,
      );
    }
    const localAddress = isLoopback(address)
      ? family === 6
        ? '::1'
        : '127.0.0.1'
      : family === 6
        ? '::'
        : '0.0.0.0';
    const c = await UdpClient.open(this.newId('udp-client'), this.ctx, {
      remote: { address, port },
      family,
      localPort,
      localAddress,
    }).catch((err: unknown) => this.rethrowNamingHolder(err, 'udp', localAddress, localPort));
    this.add(c);
    return c.info();
  }

  /** socketPlayground.connectTcpClient: resolves after the three-way handshake. */
  async connectTcpClient(arg?: unknown): Promise<SocketInfo> {
    this.checkNotDisposed();
    const o = requireObject(arg, 'connectTcpClient');
    rejectUnknownKeys(o, ['host', 'port', 'timeoutMs'], 'connectTcpClient');
    if (o['port'] === undefined) {
      throw invalidArgument(
        'connectTcpClient needs port: the server port to connect to, e.g. { port: 12000 }.',
        NoteId.PortNumbers,
      );
    }
    const cfg = this.settings();
    const port = validateDestinationPort(o['port']);
    const host = validateHost(o['host'] ?? cfg.bindAddress);
    const timeoutMs = validateTimeout(o['timeoutMs'] ?? 10_000);
    const { address, family } = await resolveHost(host);
    const id = this.newId('tcp-client');
    let c: TcpStream;
    try {
      c = await connectTcpClient(id, this.ctx, { host, address, family, port, timeoutMs });
    } catch (err) {
      this.logFailure(
        id,
        'tcp-client',
        'tcp',
        { address: family === 6 ? '::' : '0.0.0.0', port: 0 },
        { address, port },
        err,
      );
      throw err;
    }
    this.add(c);
    return c.info();
  }

  /** socketPlayground.startRelay: listens, and forwards to the target both ways (impaired if asked). */
  async startRelay(arg?: unknown): Promise<SocketInfo> {
    this.checkNotDisposed();
    const o = requireObject(arg, 'startRelay');
    const keys = ['protocol', 'listenPort', 'host', 'targetHost', 'targetPort', 'impairment'];
    rejectUnknownKeys(o, keys, 'startRelay');
    if (o['protocol'] === undefined || o['targetPort'] === undefined) {
      throw invalidArgument(
        `startRelay needs protocol ("udp" or "tcp") and targetPort (the port of the server to forward to), ` +
          `e.g. { protocol: "udp", targetPort: 12000 }.`,
        NoteId.PortNumbers,
      );
    }
    const cfg = this.settings();
    const protocol = validateEnum<Protocol>(o['protocol'], ['udp', 'tcp'], 'protocol');
    const targetPort = validateDestinationPort(o['targetPort'], 'targetPort');
    const listenPort = validatePort(o['listenPort'] ?? 0, 'listenPort');
    const host = validateHost(o['host'] ?? cfg.bindAddress);
    const targetHost = validateHost(o['targetHost'] ?? cfg.bindAddress, 'targetHost');
    const impairment = validateImpairment(o['impairment']);
    const listen = await resolveBindAddress(host, cfg.allowRemoteBind);
    const target = await resolveHost(targetHost);
    if (listenPort === targetPort && listen.address === target.address) {
      throw invalidArgument(
        `listenPort ${listenPort} on ${listen.address} is the target itself: the relay would forward to itself. ` +
          `Give the relay its own port (or 0 to let the OS pick one) and point your client at it.`,
        NoteId.PortNumbers,
      );
    }
    const r = await Relay.start(this.newId('relay'), this.ctx, {
      protocol,
      listen: { address: listen.address, port: listenPort, family: listen.family },
      target: { host: targetHost, address: target.address, port: targetPort, family: target.family },
      impairment,
    }).catch((err: unknown) => this.rethrowNamingHolder(err, protocol, listen.address, listenPort));
    // Checked once bound: with listenPort 0 only the OS knows the port, and another relay may point at it.
    const loop = this.relayLoop(r);
    if (loop) {
      await r.close();
      throw new PlaygroundError(`${loop} Point the relay at a server instead.`, 'ELOOP', NoteId.PortNumbers);
    }
    this.add(r);
    return r.info();
  }

  /** The socket with this id, or the error every command gives for a bad or unknown socket id. */
  requireSocket(value: unknown): PlaygroundSocket {
    if (typeof value !== 'string' || value === '') {
      throw invalidArgument(
        `socketId must be the id of a playground socket (see listSockets); got ${describe(value)}.`,
      );
    }
    const s = this.sockets.get(value);
    if (!s) {
      throw new PlaygroundError(
        `no socket with id "${value}": it was closed or never existed. listSockets shows the open ones.`,
        'ENOTSOCK',
        NoteId.SocketClosed,
      );
    }
    return s;
  }

  /** socketPlayground.send */
  async send(arg?: unknown): Promise<{ bytes: number }> {
    this.checkNotDisposed();
    const o = requireObject(arg, 'send');
    rejectUnknownKeys(o, ['socketId', 'data', 'encoding', 'to'], 'send');
    const s = this.requireSocket(o['socketId']);
    const encoding = validateEncoding(o['encoding']);
    const data = decodePayload(validateString(o['data'], 'data', MAX_SEND_CHARS), encoding);
    return this.sendBytes(s.id, data, o['to'] === undefined ? undefined : validateEndpoint(o['to']));
  }

  /**
   * Sends bytes that a boundary already validated (the send command above, the traffic panel's request): the
   * socket must exist and be open, `to` is for UDP only, a datagram must fit.
   */
  async sendBytes(socketId: SocketId, payload: Uint8Array, dest?: Endpoint): Promise<{ bytes: number }> {
    this.checkNotDisposed();
    const s = this.requireSocket(socketId);
    const data = Buffer.isBuffer(payload)
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    let to: Endpoint | undefined;
    if (dest !== undefined) {
      if (s.protocol !== 'udp') {
        throw invalidArgument(
          `"to" is only for UDP sockets: ${s.label} is connected to one peer and sends only to it.`,
          NoteId.UdpNoConnection,
        );
      }
      to = { address: (await resolveHost(dest.address)).address, port: dest.port };
    }
    if (s.kind === 'tcp-server') {
      throw invalidArgument(
        `${s.label} is a welcoming socket: it only accepts connections. Send on one of its connections.`,
        NoteId.TcpWelcomingSocket,
      );
    }
    if (!s.isOpen) {
      throw new PlaygroundError(
        `${s.label} is ${s.state}: nothing was sent.`,
        'ESOCKETCLOSED',
        NoteId.SocketClosed,
      );
    }
    if (s.protocol === 'udp') {
      const v6 = s.local.address.includes(':');
      const max = v6 ? MAX_UDP_PAYLOAD_IPV6 : MAX_UDP_PAYLOAD_IPV4;
      if (data.length > max) {
        throw new PlaygroundError(
          text(
            'a UDP datagram carries at most {0} bytes over {1}; this one has {2}. Nothing was sent: split the data or use TCP.',
            max.toLocaleString('en-US'),
            v6 ? 'IPv6' : 'IPv4',
            data.length.toLocaleString('en-US'),
          ),
          'EMSGSIZE',
          NoteId.UdpDatagramLimit,
        );
      }
      if (s.kind === 'udp-server' && !to) {
        throw invalidArgument(
          `a UDP server has no default destination: give "to", e.g. { address: "127.0.0.1", port: 50000 }.`,
          NoteId.UdpNoConnection,
        );
      }
    }
    const loop = to && this.replyLoop(s, to);
    if (loop) {
      throw new PlaygroundError(`${loop} Nothing was sent.`, 'ELOOP', NoteId.UdpNoConnection);
    }
    const bytes = await s.send(data, to);
    return { bytes };
  }

  /** socketPlayground.closeSocket */
  async closeSocket(arg?: unknown): Promise<void> {
    const o = requireObject(arg, 'closeSocket');
    rejectUnknownKeys(o, ['socketId'], 'closeSocket');
    const s = this.requireSocket(o['socketId']);
    this.locallyClosed.add(s.id);
    await s.close();
    this.remove(s);
  }

  /** socketPlayground.closeAll: resolves when every OS handle is closed and every port free. */
  async closeAll(): Promise<void> {
    const all = [...this.sockets.values()];
    for (const s of all) {
      this.locallyClosed.add(s.id);
    }
    // Servers and relays first: they take their connections and legs with them.
    await Promise.all(all.filter((s) => s.kind === 'tcp-server' || s.kind === 'relay').map((s) => s.close()));
    await Promise.all(all.map((s) => s.close()));
    for (const s of all) {
      this.remove(s);
    }
    this.locallyClosed.clear();
  }

  dispose(): void {
    if (!this.disposed) {
      void this.closeAll().finally(() => this.changeEmitter.dispose());
      this.disposed = true;
    }
  }
}

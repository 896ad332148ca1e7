/**
 * The playground's mail server (the peer of the smtp-client lab, and the "Start SMTP Server" command): a TCP
 * server of the registry that speaks SMTP on each connection it accepts and records the dialogue and every
 * mail. It reads the client's bytes from the traffic log and answers through the registry, so the whole
 * dialogue shows in the tree and the traffic panel.
 *
 * It is strict where students go wrong: it greets late, and sends every reply in pieces, each only once the
 * client has read the one before (see streamQueues). A client that does not wait for the greeting, or reads
 * one recv() per reply and sends on, is seen doing so: its command arrives before the reply was complete.
 * It still answers such clients, so the rest of the dialogue can be checked too.
 */
import { invalidArgument } from '../errors';
import { Emitter, type Disposable, type Event } from '../events';
import { rejectUnknownKeys, requireObject, validateHost, validatePort } from '../validate';
import type { LogRecord } from '../traffic/trafficLog';
import type { Endpoint, SocketId, SocketInfo } from '../../shared/types';
import type { PeerEngine } from './peerEngine';
import {
  envelopeAddress,
  parseCommand,
  replyPieces,
  Replies,
  unstuff,
  type RecordedMail,
} from './smtpDialogue';
import { untilPeerRead } from './streamQueues';

export type SmtpServerOptions = {
  port?: number;
  host?: string;
  /** How long the server waits before its 220 greeting. */
  greetDelayMs?: number;
  /** Send each reply in pieces (default true). */
  pieces?: boolean;
};

/** A line the client sent, and when: `seq` is the log entry its first byte arrived in. */
export type SmtpLine = {
  text: string;
  seq: number;
  /** The line ended with CRLF (false: a bare \n). */
  crlf: boolean;
  /** Message lines (between DATA's 354 and the final "."). */
  inData: boolean;
  /** What the server had sent of the reply this line should have waited for, when it came too early. */
  early?: { waitingFor: string; sentSoFar: string; before: 'greeting' | 'reply' };
};

/** One reply and the log entry of its last piece. */
export type SmtpReply = { text: string; lastSeq: number; forLine?: number };

/** One client connection's dialogue. */
export type SmtpSession = {
  connectionId: SocketId;
  client: Endpoint;
  lines: SmtpLine[];
  replies: SmtpReply[];
  mails: RecordedMail[];
  /** The data of a message ended with <CRLF>.<CRLF> (false: the "." line ended with a bare \n). */
  dataEndCrlf?: boolean;
  quit: boolean;
  closed: boolean;
  /** Why the server cut the connection, if it did. */
  cut?: string;
  /** The connection is closed and every line it brought was handled: the dialogue is final. */
  settled: boolean;
};

/** The longest line the server holds; longer ones end the connection (memory stays bounded). */
const MAX_LINE = 8192;
/** Bytes received and not yet handled that a connection may hold. */
const MAX_PENDING = 4 * 1024 * 1024;
/** The largest message recorded. */
const MAX_MESSAGE = 1024 * 1024;
/** How long a piece waits for the client to read the one before (then it goes anyway). */
const PIECE_WAIT_MS = 1000;

class Session {
  readonly s: SmtpSession;
  private pending = Buffer.alloc(0);
  /** Offsets in `pending`, the log seq their bytes arrived in, and how far the server's reply was then. */
  private marks: Array<{ at: number; seq: number; reply: number; sent: string }> = [];
  private greeted = false;
  private busy = false;
  private helo?: string;
  private from?: string;
  private to: string[] = [];
  private inData = false;
  private message: string[] = [];
  private messageBytes = 0;
  /** The reply being (or last) sent: its index among the replies, and what of it has gone. */
  private current = { index: -1, sent: '' };
  private lastReplySeq = 0;

  constructor(
    private readonly server: SmtpServerPeer,
    readonly conn: SocketInfo,
  ) {
    this.s = {
      connectionId: conn.id,
      client: conn.remote ?? conn.local,
      lines: [],
      replies: [],
      mails: [],
      quit: false,
      closed: false,
      settled: false,
    };
  }

  greet(): void {
    void this.reply(Replies.greeting).then(() => {
      this.greeted = true;
      void this.pump();
    });
  }

  private settle(): void {
    const done =
      this.s.closed &&
      (this.s.cut !== undefined || (this.greeted && !this.busy && this.pending.indexOf('\n') < 0));
    if (done && !this.s.settled) {
      this.s.settled = true;
      this.server.changed();
    }
  }

  feed(r: LogRecord): void {
    if (r.event === 'close') {
      this.s.closed = true;
      this.server.changed();
      this.settle();
      return;
    }
    if (r.event !== 'receive' || !r.payload || this.s.cut) {
      return;
    }
    // Remember how far the server's reply was when these bytes came: by the time their line is handled, the
    // reply is long complete, and the message should say what the client had seen.
    this.marks.push({
      at: this.pending.length,
      seq: r.seq,
      reply: this.current.index,
      sent: this.current.sent,
    });
    this.pending = Buffer.concat([this.pending, r.payload]);
    if (this.pending.length > MAX_PENDING) {
      // A client that floods without reading the replies: what is waiting to be handled stays bounded.
      this.s.cut = `more than ${MAX_PENDING} bytes sent ahead of the replies`;
      void this.server.closeConnection(this.conn.id);
      return;
    }
    if (this.pending.length > MAX_LINE && this.pending.indexOf('\n') < 0) {
      this.s.cut = `a line longer than ${MAX_LINE} bytes without a line end`;
      void this.server.closeConnection(this.conn.id);
      return;
    }
    void this.pump();
  }

  private takeLine(): SmtpLine | undefined {
    const nl = this.pending.indexOf('\n');
    if (nl < 0) {
      return undefined;
    }
    const raw = this.pending.subarray(0, nl + 1).toString('latin1');
    const first = this.marks[0]!;
    this.pending = Buffer.from(this.pending.subarray(nl + 1));
    const shifted = this.marks.map((m) => ({ ...m, at: m.at - (nl + 1) }));
    // The mark covering the new offset 0 is the last one at or before it.
    let keep = 0;
    for (let i = 0; i < shifted.length; i++) {
      if (shifted[i]!.at <= 0) {
        keep = i;
      }
    }
    this.marks = this.pending.length
      ? shifted.slice(keep).map((m, i) => (i === 0 ? { ...m, at: 0 } : m))
      : [];
    const line: SmtpLine = {
      text: raw.replace(/\r?\n$/, ''),
      seq: first.seq,
      crlf: raw.endsWith('\r\n'),
      inData: this.inData,
    };
    // It should have waited for the reply last sent: did its first byte come before that reply's last piece?
    const awaited = this.s.replies[this.s.replies.length - 1];
    const needsReply = !this.inData || this.s.lines[this.s.lines.length - 1]?.inData !== true;
    if (awaited && needsReply && first.seq < awaited.lastSeq) {
      const index = this.s.replies.length - 1;
      line.early = {
        waitingFor: awaited.text,
        sentSoFar: first.reply === index ? first.sent : '',
        before: index === 0 ? 'greeting' : 'reply',
      };
    }
    return line;
  }

  private async pump(): Promise<void> {
    if (this.busy || !this.greeted) {
      this.settle();
      return;
    }
    this.busy = true;
    try {
      for (let line = this.takeLine(); line; line = this.takeLine()) {
        this.s.lines.push(line);
        this.server.changed();
        const answer = this.handle(line);
        if (answer) {
          await this.reply(answer, this.s.lines.length - 1);
        }
        if (this.s.quit) {
          await this.server.closeConnection(this.conn.id);
          return;
        }
        // A client that closed still had its lines read: what it sent is checked, though no reply reaches it.
        if (this.s.cut) {
          return;
        }
      }
    } finally {
      this.busy = false;
      this.settle();
    }
  }

  private handle(line: SmtpLine): string | undefined {
    if (this.inData) {
      if (line.text === '.') {
        this.inData = false;
        this.s.dataEndCrlf = line.crlf;
        const mail: RecordedMail = {
          from: this.from ?? '',
          to: [...this.to],
          message: this.message.join('\r\n'),
          ...(this.helo !== undefined ? { helo: this.helo } : {}),
        };
        this.s.mails.push(mail);
        this.server.recorded(mail, this.s);
        this.from = undefined;
        this.to = [];
        this.message = [];
        this.messageBytes = 0;
        return Replies.queued(this.server.mailCount);
      }
      this.messageBytes += line.text.length + 2;
      if (this.messageBytes <= MAX_MESSAGE) {
        this.message.push(unstuff(line.text));
      }
      return undefined;
    }
    const { verb, arg } = parseCommand(line.text);
    switch (verb) {
      case 'HELO':
      case 'EHLO':
        this.helo = arg;
        return verb === 'HELO' ? Replies.helo(arg) : Replies.ehlo(arg);
      case 'MAIL': {
        if (this.helo === undefined) {
          return Replies.heloFirst;
        }
        const a = envelopeAddress(arg, 'FROM');
        if (a === undefined) {
          return Replies.badSyntax('MAIL FROM:<address>');
        }
        this.from = a;
        this.to = [];
        return Replies.sender(a);
      }
      case 'RCPT': {
        if (this.from === undefined) {
          return Replies.mailFirst;
        }
        const a = envelopeAddress(arg, 'TO');
        if (a === undefined) {
          return Replies.badSyntax('RCPT TO:<address>');
        }
        this.to.push(a);
        return Replies.recipient(a);
      }
      case 'DATA':
        if (this.to.length === 0) {
          return Replies.rcptFirst;
        }
        this.inData = true;
        return Replies.data;
      case 'RSET':
        this.from = undefined;
        this.to = [];
        return Replies.ok;
      case 'NOOP':
        return Replies.ok;
      case 'QUIT':
        this.s.quit = true;
        return Replies.bye;
      default:
        return Replies.unknown;
    }
  }

  /** Sends a reply in pieces, each once the client has read the one before; records its last piece's seq. */
  private async reply(text: string, forLine?: number): Promise<void> {
    if (this.s.closed) {
      this.s.replies.push({
        text,
        lastSeq: Number.MAX_SAFE_INTEGER,
        ...(forLine !== undefined ? { forLine } : {}),
      });
      return;
    }
    this.current = { index: this.s.replies.length, sent: '' };
    const pieces = this.server.pieces ? replyPieces(text) : [text];
    let complete = true;
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) {
        await untilPeerRead(this.conn.local, this.conn.remote!, PIECE_WAIT_MS, () => this.s.closed);
      }
      const seq = this.s.closed ? undefined : await this.server.send(this.conn.id, pieces[i]!);
      if (seq === undefined) {
        complete = false;
        break;
      }
      this.lastReplySeq = seq;
      this.current.sent += pieces[i]!;
    }
    // A reply that never went out whole was never there to wait for: every later line came too early for it.
    const lastSeq = complete ? this.lastReplySeq : Number.MAX_SAFE_INTEGER;
    this.s.replies.push({ text, lastSeq, ...(forLine !== undefined ? { forLine } : {}) });
    this.server.changed();
  }
}

/** The recording mail server: one SmtpSession per accepted connection. */
export class SmtpServerPeer implements Disposable {
  private readonly sessions = new Map<SocketId, Session>();
  private readonly subs: Disposable[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly mailEmitter = new Emitter<{ mail: RecordedMail; session: SmtpSession }>();
  private readonly changeEmitter = new Emitter<void>();
  private disposed = false;
  private nextSeq: number;
  mailCount = 0;
  readonly pieces: boolean;

  /** A mail was recorded (the client sent the final "."). */
  readonly onDidRecordMail: Event<{ mail: RecordedMail; session: SmtpSession }> = this.mailEmitter.event;
  /** A session changed (a line came, a reply went, a connection closed). */
  readonly onDidChange: Event<void> = this.changeEmitter.event;

  private constructor(
    private readonly engine: PeerEngine,
    readonly socket: SocketInfo,
    private readonly greetDelayMs: number,
    pieces: boolean,
  ) {
    this.pieces = pieces;
    this.nextSeq = engine.log.lastSeq + 1;
    this.subs.push(
      engine.registry.onDidChange((e) => {
        if (e.type === 'added' && e.socket.parentId === socket.id) {
          this.accept(e.socket.info());
        }
        if (e.type === 'removed' && e.socket.id === socket.id) {
          this.dispose();
        }
      }),
      engine.log.onDidAppend(() => this.read()),
    );
  }

  /** Starts the server (a TCP server of the registry that only the dialogue answers on). */
  static async start(engine: PeerEngine, o: SmtpServerOptions = {}): Promise<SmtpServerPeer> {
    const socket = await engine.registry.startTcpServer({
      port: o.port ?? 2525,
      ...(o.host !== undefined ? { host: o.host } : {}),
      behavior: 'sink',
    });
    return new SmtpServerPeer(engine, socket, o.greetDelayMs ?? 200, o.pieces ?? true);
  }

  /** Every dialogue so far, in the order the connections came. */
  get dialogues(): SmtpSession[] {
    return [...this.sessions.values()].map((s) => s.s);
  }

  private accept(conn: SocketInfo): void {
    if (this.disposed || this.sessions.has(conn.id)) {
      return;
    }
    const session = new Session(this, conn);
    this.sessions.set(conn.id, session);
    this.changed();
    // Greets late: a client that talks before the 220 is seen doing it.
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.disposed) {
        session.greet();
      }
    }, this.greetDelayMs);
    this.timers.add(t);
  }

  private read(): void {
    const log = this.engine.log;
    for (let seq = Math.max(this.nextSeq, log.firstSeq); seq <= log.lastSeq; seq++) {
      const r = log.get(seq);
      if (!r) {
        continue;
      }
      if (!this.sessions.has(r.socketId) && r.event === 'accept') {
        const s = this.engine.registry.get(r.socketId);
        if (s?.parentId === this.socket.id) {
          this.accept(s.info());
        }
      }
      this.sessions.get(r.socketId)?.feed(r);
    }
    this.nextSeq = log.lastSeq + 1;
  }

  /** Resolves true once every dialogue so far is settled (its connection closed, its lines handled); false after `ms`. */
  whenSettled(ms: number): Promise<boolean> {
    const done = () => this.dialogues.every((d) => d.settled);
    if (done() || this.disposed) {
      return Promise.resolve(done());
    }
    return new Promise((resolve) => {
      const finish = (v: boolean) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(v);
      };
      const timer = setTimeout(() => finish(done()), ms);
      const sub = this.onDidChange(() => done() && finish(true));
    });
  }

  /** @internal */
  changed(): void {
    this.changeEmitter.fire();
  }

  /** @internal */
  recorded(mail: RecordedMail, session: SmtpSession): void {
    this.mailCount++;
    this.mailEmitter.fire({ mail, session });
  }

  /** @internal Sends on a connection; resolves with the send's log seq, undefined when it is gone. */
  async send(connectionId: SocketId, text: string): Promise<number | undefined> {
    if (this.disposed || !this.engine.registry.get(connectionId)) {
      return undefined;
    }
    try {
      // The send entry is logged synchronously, inside the call: its seq is the log's last one right after.
      const sent = this.engine.registry.send({ socketId: connectionId, data: text });
      const seq = this.engine.log.lastSeq;
      await sent;
      return seq;
    } catch {
      return undefined;
    }
  }

  /** @internal */
  async closeConnection(connectionId: SocketId): Promise<void> {
    if (this.engine.registry.get(connectionId)) {
      await this.engine.registry.closeSocket({ socketId: connectionId }).catch(() => undefined);
    }
  }

  /** Stops listening: the server and its connections close. */
  async close(): Promise<void> {
    if (this.engine.registry.get(this.socket.id)) {
      await this.engine.registry.closeSocket({ socketId: this.socket.id }).catch(() => undefined);
    }
    this.dispose();
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const t of this.timers) {
      clearTimeout(t);
    }
    this.timers.clear();
    for (const s of this.subs) {
      s.dispose();
    }
    this.mailEmitter.dispose();
    this.changeEmitter.dispose();
  }
}

/** The dialogue as text, one line per line sent (C:) or received (S:), for the output and the report. */
export function formatDialogue(s: SmtpSession): string {
  type Row = { seq: number; text: string };
  const rows: Row[] = [
    ...s.lines.map((l) => ({ seq: l.seq, text: `C: ${l.text}${l.crlf ? '' : '   ← ended with \\n only'}` })),
    ...s.replies.flatMap((r) =>
      r.text
        .split('\r\n')
        .filter((t) => t !== '')
        .map((t) =>
          r.lastSeq === Number.MAX_SAFE_INTEGER
            ? {
                seq: (s.lines[r.forLine ?? -1]?.seq ?? 0) + 0.5,
                text: `S: ${t}   ← not sent whole: the client had closed`,
              }
            : { seq: r.lastSeq, text: `S: ${t}` },
        ),
    ),
  ];
  return rows
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.text)
    .join('\n');
}

/** A recorded mail as text: the envelope, then the message. */
export function formatMail(m: RecordedMail): string {
  return [
    `Envelope: MAIL FROM:<${m.from}>  RCPT TO:${m.to.map((t) => `<${t}>`).join(', ')}`,
    '',
    m.message,
  ].join('\n');
}

/** socketPlayground.startSmtpServer: validates `{ port?, host?, greetDelayMs? }`, then starts the mail server. */
export function startSmtpServer(engine: PeerEngine, arg: unknown): Promise<SmtpServerPeer> {
  const o = requireObject(arg, 'startSmtpServer');
  rejectUnknownKeys(o, ['port', 'host', 'greetDelayMs'], 'startSmtpServer');
  const delay = o['greetDelayMs'];
  if (
    delay !== undefined &&
    (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 5000)
  ) {
    throw invalidArgument(
      `greetDelayMs must be an integer from 0 to 5000 (ms before the 220 greeting); got ${JSON.stringify(delay)}.`,
    );
  }
  return SmtpServerPeer.start(engine, {
    port: validatePort(o['port'] ?? 2525),
    ...(o['host'] !== undefined ? { host: validateHost(o['host']) } : {}),
    ...(delay !== undefined ? { greetDelayMs: delay } : {}),
  });
}

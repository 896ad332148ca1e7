/**
 * pcapng export (docs/contract.md): one synthetic Ethernet + IPv4/IPv6 frame per datagram or TCP segment, with the
 * real addresses, ports and payload bytes. TCP streams get a three-way handshake, consistent sequence and
 * acknowledgement numbers, and FIN or RST at close, so Wireshark's "Follow TCP Stream" shows the conversation.
 * Every packet's comment names the event and the course notes that explain it. Pure: Buffers in, Buffers out.
 */
import type { LogRecord } from './trafficLog';
import type { Endpoint } from '../../shared/types';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 262_144;
/**
 * TCP payload per segment: an Ethernet MTU of 1500 less the IP and TCP headers. A log entry can hold a whole
 * 256 KiB write (one `send` call), which no IP packet can carry (the 16-bit length fields stop at 65,535), so
 * entries are cut into segments of this size, as the sender's stack would have done.
 */
export const MSS_IPV4 = 1500 - 20 - 20;
export const MSS_IPV6 = 1500 - 40 - 20;
/** The receiver acknowledges at least this often, well inside the 65,535-byte window every segment advertises. */
const ACK_EVERY = 32 * 1024;
/** How many recent UDP frames a drop is matched against. */
const UDP_FRAMES_KEPT = 8192;

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** One pcapng option (code, value), padded to 32 bits. */
function option(code: number, value: Buffer): Buffer {
  const b = Buffer.alloc(4 + pad4(value.length));
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(value.length, 2);
  value.copy(b, 4);
  return b;
}

const END_OF_OPTIONS = Buffer.alloc(4);

/** Wraps a block body: type, total length, body, total length again. */
function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(total, 4);
  body.copy(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}

/** Section header + one Ethernet interface with microsecond timestamps. */
export function pcapngHeader(appName = 'Socket Playground'): Buffer {
  const shbBody = Buffer.concat([
    (() => {
      const h = Buffer.alloc(16);
      h.writeUInt32LE(0x1a2b3c4d, 0); // byte-order magic
      h.writeUInt16LE(1, 4); // major
      h.writeUInt16LE(0, 6); // minor
      h.writeBigInt64LE(-1n, 8); // section length unknown
      return h;
    })(),
    option(4, Buffer.from(appName, 'utf8')), // shb_userappl
    END_OF_OPTIONS,
  ]);
  const idbHead = Buffer.alloc(8);
  idbHead.writeUInt16LE(LINKTYPE_ETHERNET, 0);
  idbHead.writeUInt32LE(SNAPLEN, 4);
  const idbBody = Buffer.concat([
    idbHead,
    option(2, Buffer.from('socket-playground', 'utf8')),
    option(9, Buffer.from([6])),
    END_OF_OPTIONS,
  ]);
  return Buffer.concat([block(BLOCK_SHB, shbBody), block(BLOCK_IDB, idbBody)]);
}

/** An Enhanced Packet Block: frame bytes captured (maybe fewer than on the wire), its time and comment. */
export function enhancedPacket(timeUs: bigint, frame: Buffer, origLen: number, comment?: string): Buffer {
  const head = Buffer.alloc(20);
  head.writeUInt32LE(0, 0); // interface 0
  head.writeUInt32LE(Number(timeUs >> 32n), 4);
  head.writeUInt32LE(Number(timeUs & 0xffffffffn), 8);
  head.writeUInt32LE(frame.length, 12);
  head.writeUInt32LE(origLen, 16);
  const parts = [head, frame, Buffer.alloc(pad4(frame.length) - frame.length)];
  if (comment) {
    parts.push(option(1, Buffer.from(comment, 'utf8')), END_OF_OPTIONS);
  }
  return block(BLOCK_EPB, Buffer.concat(parts));
}

function parseIpv4(a: string): Buffer {
  return Buffer.from(a.split('.').map(Number));
}

function parseIpv6(a: string): Buffer {
  let addr = a.split('%')[0]!;
  const out = Buffer.alloc(16);
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4) {
    const b = parseIpv4(v4[1]!);
    addr =
      addr.slice(0, -v4[1]!.length) +
      `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

function isV6(e: Endpoint): boolean {
  return e.address.includes(':');
}

/** A locally administered MAC derived from the IP, so each host keeps one MAC across the capture. */
function macFor(ip: Buffer): Buffer {
  const mac = Buffer.from([0x02, 0x00, 0, 0, 0, 0]);
  ip.copy(mac, 2, ip.length - 4);
  return mac;
}

function checksum(buf: Buffer, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < buf.length; i += 2) {
    sum += buf.readUInt16BE(i);
  }
  if (buf.length & 1) {
    sum += buf[buf.length - 1]! << 8;
  }
  while (sum >>> 16) {
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return sum;
}

function pseudoSum(src: Buffer, dst: Buffer, proto: number, length: number): number {
  const p = Buffer.alloc(src.length * 2 + (src.length === 4 ? 4 : 8));
  src.copy(p, 0);
  dst.copy(p, src.length);
  if (src.length === 4) {
    p.writeUInt8(proto, 9);
    // The IPv4 pseudo-header has 16 bits for the length; callers keep segments under it (see MSS_IPV4).
    p.writeUInt16BE(length & 0xffff, 10);
  } else {
    p.writeUInt32BE(length >>> 0, 32);
    p.writeUInt8(proto, 39);
  }
  return checksum(p);
}

export type Segment = {
  src: Endpoint;
  dst: Endpoint;
  protocol: 'udp' | 'tcp';
  /** Payload bytes held (may be fewer than `length` when the log truncated them). */
  payload: Buffer;
  /** Payload length on the wire. */
  length: number;
  tcp?: { seq: number; ack: number; flags: number };
};

let ipId = 1;

/** Builds one Ethernet frame; returns the captured bytes and the length the frame had on the wire. */
export function buildFrame(seg: Segment): { frame: Buffer; origLen: number } {
  const v6 = isV6(seg.src);
  const srcIp = v6 ? parseIpv6(seg.src.address) : parseIpv4(seg.src.address);
  const dstIp = v6 ? parseIpv6(seg.dst.address) : parseIpv4(seg.dst.address);
  const proto = seg.protocol === 'tcp' ? 6 : 17;
  const l4HeaderLen = seg.protocol === 'tcp' ? 20 : 8;
  const l4Len = l4HeaderLen + seg.length;
  const l4 = Buffer.alloc(l4HeaderLen);
  l4.writeUInt16BE(seg.src.port, 0);
  l4.writeUInt16BE(seg.dst.port, 2);
  if (seg.protocol === 'udp') {
    l4.writeUInt16BE(Math.min(l4Len, 0xffff), 4);
  } else {
    const t = seg.tcp!;
    l4.writeUInt32BE(t.seq >>> 0, 4);
    l4.writeUInt32BE(t.flags & TCP_ACK ? t.ack >>> 0 : 0, 8);
    l4.writeUInt8(5 << 4, 12); // data offset: 5 words
    l4.writeUInt8(t.flags, 13);
    l4.writeUInt16BE(65535, 14); // window
  }
  const sum = checksum(seg.payload, checksum(l4, pseudoSum(srcIp, dstIp, proto, l4Len)));
  const ck = ~sum & 0xffff;
  l4.writeUInt16BE(seg.protocol === 'udp' && ck === 0 ? 0xffff : ck, seg.protocol === 'tcp' ? 16 : 6);

  let ip: Buffer;
  if (v6) {
    ip = Buffer.alloc(40);
    ip.writeUInt32BE(0x60000000, 0);
    ip.writeUInt16BE(Math.min(l4Len, 0xffff), 4);
    ip.writeUInt8(proto, 6);
    ip.writeUInt8(64, 7);
    srcIp.copy(ip, 8);
    dstIp.copy(ip, 24);
  } else {
    ip = Buffer.alloc(20);
    ip.writeUInt8(0x45, 0);
    ip.writeUInt16BE(Math.min(20 + l4Len, 0xffff), 2);
    ip.writeUInt16BE(ipId++ & 0xffff, 4);
    ip.writeUInt16BE(0x4000, 6); // don't fragment
    ip.writeUInt8(64, 8);
    ip.writeUInt8(proto, 9);
    srcIp.copy(ip, 12);
    dstIp.copy(ip, 16);
    ip.writeUInt16BE(~checksum(ip) & 0xffff, 10);
  }
  const eth = Buffer.alloc(14);
  macFor(dstIp).copy(eth, 0);
  macFor(srcIp).copy(eth, 6);
  eth.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12);
  const frame = Buffer.concat([eth, ip, l4, seg.payload]);
  return { frame, origLen: frame.length + (seg.length - seg.payload.length) };
}

function key(e: Endpoint): string {
  return `${e.address}|${e.port}`;
}

/** Identifies a datagram by its length and first bytes, to find it again at the next hop. */
function datagramKey(r: LogRecord): string {
  return `${r.bytes}|${r.payload ? r.payload.subarray(0, 32).toString('hex') : ''}`;
}

type Stream = {
  client: Endpoint;
  server: Endpoint;
  /** next sequence number each side will send, by endpoint key */
  next: Map<string, number>;
  /** the highest acknowledgement the other side has sent for each side's bytes, by endpoint key */
  acked: Map<string, number>;
  fin: Set<string>;
  reset: boolean;
};

/**
 * Turns log records into pcapng blocks. Give it every record first through `learn` (cheap: it notes which
 * endpoints logged their own sends), then `packets` for each, in seq order.
 */
export class PcapngConverter {
  private readonly senders = new Set<string>();
  private readonly streams = new Map<string, Stream>();
  private isn = 1000;
  /** UDP records that put a frame in the file, by datagram (length and first bytes): where a drop's datagram arrived. */
  private readonly udpFrames = new Map<string, { seq: number; src: string }[]>();
  /**
   * The keys of `udpFrames` in arrival order, one per frame: the oldest are forgotten past UDP_FRAMES_KEPT, so a
   * log of 100,000 datagrams costs a bounded table. A drop is logged right after its datagram arrived (at most
   * a leg's bind later), far within that window.
   */
  private readonly udpOrder: { k: string; seq: number }[] = [];
  private udpOrderHead = 0;
  /** What a later record says about the frame of an earlier one (a relay dropped that datagram), by seq. */
  private readonly laterNotes = new Map<number, string>();

  /**
   * Records which sockets log their own sends, so a receive at the other end is not written twice; and, for a
   * datagram a relay's impairment dropped, which frame brought it to the relay.
   */
  learn(r: LogRecord): void {
    if (r.event === 'send') {
      this.senders.add(`${r.protocol}|${key(r.local)}`);
    }
    if (r.protocol !== 'udp' || !r.remote) {
      return;
    }
    const k = datagramKey(r);
    if (r.event === 'send' || (r.event === 'receive' && !this.senders.has(`udp|${key(r.remote)}`))) {
      const src = r.event === 'send' ? r.local : r.remote;
      let list = this.udpFrames.get(k);
      if (!list) {
        list = [];
        this.udpFrames.set(k, list);
      }
      list.push({ seq: r.seq, src: key(src) });
      this.udpOrder.push({ k, seq: r.seq });
      if (this.udpOrder.length - this.udpOrderHead > UDP_FRAMES_KEPT) {
        this.forgetOldestUdpFrame();
      }
    } else if (r.event === 'drop') {
      // A drop puts nothing on the wire, and a capture taken anywhere would show the datagram arriving at the
      // relay and nothing after it. So the pcapng gets no invented frame for it (Wireshark would show a packet
      // that never travelled); the frame that reached the relay gets a comment saying it went no further. That
      // frame is the newest one with the same bytes that the dropping socket did not send itself.
      const list = this.udpFrames.get(k);
      const own = key(r.local);
      for (let i = (list?.length ?? 0) - 1, looked = 0; list && i >= 0 && looked < 64; i--, looked++) {
        if (list[i]!.src !== own) {
          const [hit] = list.splice(i, 1);
          const notes = r.notes.length ? ` — notes: ${r.notes.map((n) => n.title).join('; ')}` : '';
          this.laterNotes.set(
            hit!.seq,
            `DROPPED by the relay (${r.socketId}, entry #${r.seq}): this datagram reached the relay and was not passed on${notes}`,
          );
          break;
        }
      }
    }
  }

  private forgetOldestUdpFrame(): void {
    const { k, seq } = this.udpOrder[this.udpOrderHead++]!;
    const list = this.udpFrames.get(k);
    if (list?.[0]?.seq === seq) {
      list.shift(); // else a drop has taken that frame already
    }
    if (list && list.length === 0) {
      this.udpFrames.delete(k);
    }
    if (this.udpOrderHead > 4096 && this.udpOrderHead * 2 > this.udpOrder.length) {
      this.udpOrder.splice(0, this.udpOrderHead);
      this.udpOrderHead = 0;
    }
  }

  private withLaterNote(seq: number, comment: string): string {
    const later = this.laterNotes.get(seq);
    return later ? `${comment} — ${later}` : comment;
  }

  private streamKey(a: Endpoint, b: Endpoint): string {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? `${ka}/${kb}` : `${kb}/${ka}`;
  }

  private stream(
    local: Endpoint,
    remote: Endpoint,
    clientIsLocal: boolean,
    out: Buffer[],
    timeUs: bigint,
    comment: string,
  ): Stream {
    const k = this.streamKey(local, remote);
    let s = this.streams.get(k);
    if (!s) {
      const client = clientIsLocal ? local : remote;
      const server = clientIsLocal ? remote : local;
      s = { client, server, next: new Map(), acked: new Map(), fin: new Set(), reset: false };
      // Kept below 2^32 - 1 so that ISN + 1 needs no wrap.
      const cIsn = (this.isn += 100_003) % 0xfffffff0;
      const sIsn = (this.isn += 100_003) % 0xfffffff0;
      s.next.set(key(client), cIsn + 1);
      s.next.set(key(server), sIsn + 1);
      s.acked.set(key(client), cIsn + 1);
      s.acked.set(key(server), sIsn + 1);
      this.streams.set(k, s);
      // The three-way handshake: SYN, SYN-ACK, ACK.
      out.push(
        this.segment(
          timeUs,
          client,
          server,
          cIsn,
          0,
          TCP_SYN,
          Buffer.alloc(0),
          0,
          `TCP handshake 1/3 (SYN) — ${comment}`,
        ),
      );
      out.push(
        this.segment(
          timeUs,
          server,
          client,
          sIsn,
          cIsn + 1,
          TCP_SYN | TCP_ACK,
          Buffer.alloc(0),
          0,
          'TCP handshake 2/3 (SYN-ACK)',
        ),
      );
      out.push(
        this.segment(
          timeUs,
          client,
          server,
          cIsn + 1,
          sIsn + 1,
          TCP_ACK,
          Buffer.alloc(0),
          0,
          'TCP handshake 3/3 (ACK)',
        ),
      );
    }
    return s;
  }

  private segment(
    timeUs: bigint,
    src: Endpoint,
    dst: Endpoint,
    seq: number,
    ack: number,
    flags: number,
    payload: Buffer,
    length: number,
    comment?: string,
  ): Buffer {
    const { frame, origLen } = buildFrame({
      src,
      dst,
      protocol: 'tcp',
      payload,
      length,
      tcp: { seq, ack, flags },
    });
    return enhancedPacket(timeUs, frame, origLen, comment);
  }

  /**
   * One log entry's bytes from `src` as TCP segments of at most one MSS each (the last one pushed), with the
   * receiver's pure ACKs often enough that no segment runs past the advertised window.
   */
  private tcpData(
    s: Stream,
    timeUs: bigint,
    src: Endpoint,
    dst: Endpoint,
    payload: Buffer,
    length: number,
    comment: string,
    out: Buffer[],
  ): void {
    const mss = isV6(src) ? MSS_IPV6 : MSS_IPV4;
    const count = Math.max(1, Math.ceil(length / mss));
    const ack = s.next.get(key(dst))!;
    s.acked.set(key(dst), ack); // every segment we send acknowledges what the other side sent
    for (let i = 0, off = 0; i < count; i++, off += mss) {
      const n = Math.min(mss, length - off);
      const seq = s.next.get(key(src))!;
      const held = payload.subarray(Math.min(off, payload.length), Math.min(off + n, payload.length));
      const last = i === count - 1;
      const note =
        count === 1 ? comment : `${comment} — segment ${i + 1} of ${count} (${length} bytes in one entry)`;
      out.push(this.segment(timeUs, src, dst, seq, ack, TCP_ACK | (last ? TCP_PSH : 0), held, n, note));
      s.next.set(key(src), (seq + n) >>> 0);
      const unacked = (s.next.get(key(src))! - s.acked.get(key(src))!) >>> 0;
      if (unacked >= ACK_EVERY || (last && count > 1)) {
        this.pureAck(s, timeUs, dst, src, out);
      }
    }
  }

  /** `from` acknowledges everything `to` has sent so far. */
  private pureAck(s: Stream, timeUs: bigint, from: Endpoint, to: Endpoint, out: Buffer[]): void {
    const ack = s.next.get(key(to))!;
    s.acked.set(key(to), ack);
    out.push(this.segment(timeUs, from, to, s.next.get(key(from))!, ack, TCP_ACK, Buffer.alloc(0), 0));
  }

  private fin(s: Stream, timeUs: bigint, src: Endpoint, dst: Endpoint, out: Buffer[], comment: string): void {
    if (s.fin.has(key(src)) || s.reset) {
      return;
    }
    s.fin.add(key(src));
    const seq = s.next.get(key(src))!;
    const ack = s.next.get(key(dst))!;
    s.next.set(key(src), (seq + 1) >>> 0);
    s.acked.set(key(dst), ack);
    out.push(this.segment(timeUs, src, dst, seq, ack, TCP_FIN | TCP_ACK, Buffer.alloc(0), 0, comment));
    s.acked.set(key(src), (seq + 1) >>> 0);
    out.push(this.segment(timeUs, dst, src, ack, (seq + 1) >>> 0, TCP_ACK, Buffer.alloc(0), 0));
  }

  /** The pcapng blocks for one record (none for records that put nothing on the wire). */
  packets(r: LogRecord): Buffer[] {
    const out: Buffer[] = [];
    const timeUs = BigInt(r.timeMs) * 1000n;
    const comment = `${r.event} on ${r.socketId}${r.notes.length ? ` — notes: ${r.notes.map((n) => n.title).join('; ')}` : ''}`;
    const payload = r.payload ?? Buffer.alloc(0);
    const remote = r.remote;
    if (!remote || !remote.port || !r.local.port) {
      return out;
    }
    if (r.protocol === 'udp') {
      if (r.event === 'send') {
        const { frame, origLen } = buildFrame({
          src: r.local,
          dst: remote,
          protocol: 'udp',
          payload,
          length: r.bytes,
        });
        out.push(enhancedPacket(timeUs, frame, origLen, this.withLaterNote(r.seq, comment)));
      } else if (r.event === 'receive' && !this.senders.has(`udp|${key(remote)}`)) {
        const { frame, origLen } = buildFrame({
          src: remote,
          dst: r.local,
          protocol: 'udp',
          payload,
          length: r.bytes,
        });
        out.push(enhancedPacket(timeUs, frame, origLen, this.withLaterNote(r.seq, comment)));
      }
      return out;
    }
    switch (r.event) {
      case 'connect':
        this.stream(r.local, remote, true, out, timeUs, comment);
        break;
      case 'accept':
        this.stream(r.local, remote, false, out, timeUs, comment);
        break;
      case 'send': {
        const s = this.stream(r.local, remote, true, out, timeUs, comment);
        this.tcpData(s, timeUs, r.local, remote, payload, r.bytes, comment, out);
        break;
      }
      case 'receive': {
        if (this.senders.has(`tcp|${key(remote)}`)) {
          break; // the sending socket is ours too: its send already put this on the wire
        }
        const s = this.stream(r.local, remote, false, out, timeUs, comment);
        this.tcpData(s, timeUs, remote, r.local, payload, r.bytes, comment, out);
        break;
      }
      case 'close': {
        const s = this.streams.get(this.streamKey(r.local, remote));
        if (!s) {
          break;
        }
        if (r.closedBy === 'reset') {
          if (!s.reset) {
            s.reset = true;
            out.push(
              this.segment(
                timeUs,
                remote,
                r.local,
                s.next.get(key(remote))!,
                0,
                TCP_RST,
                Buffer.alloc(0),
                0,
                comment,
              ),
            );
          }
        } else if (r.closedBy === 'peer-fin') {
          this.fin(s, timeUs, remote, r.local, out, comment);
          this.fin(s, timeUs, r.local, remote, out, 'our side closes too');
        } else {
          this.fin(s, timeUs, r.local, remote, out, comment);
          this.fin(s, timeUs, remote, r.local, out, 'the peer closes its side');
        }
        break;
      }
      default:
        break;
    }
    return out;
  }
}

/**
 * pcapng export read back by tshark (Wireshark's CLI): no warning, the payload bytes that were sent, TCP
 * handshake/FIN, a TCP stream that "Follow TCP Stream" reassembles, and note titles as packet comments.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportJsonl, exportPcapng } from '../../src/core/traffic/exportTraffic';
import { TrafficLog } from '../../src/core/traffic/trafficLog';
import { makeEngine, readBytes, tcpConnect, udpPeer, udpRequest, waitFor } from '../unit/helpers';

const haveTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

function tshark(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('tshark', args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  // tshark warns about running as root (CI does); that is about the machine, not about our file.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => !/^Running as user "root"/.test(l))
    .join('\n');
  return { stdout: r.stdout, stderr, status: r.status };
}

// Skipped only where tshark is missing (apt-get install tshark); CI installs it.
(haveTshark ? describe : describe.skip)('pcapng export read by tshark', function () {
  let engine: ReturnType<typeof makeEngine>;
  let dir: string;
  beforeEach(() => {
    engine = makeEngine();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-pcap-'));
  });
  afterEach(async () => {
    await engine.registry.closeAll();
    engine.log.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('UDP datagrams and a TCP conversation round-trip through tshark', async () => {
    const udp = await engine.registry.startUdpServer({ port: 0 });
    const peer = await udpPeer();
    assert.equal((await udpRequest(peer, udp.local.port, 'hello udp')).toString(), 'HELLO UDP');
    peer.close();

    const tcp = await engine.registry.startTcpServer({ port: 0 });
    const c = await tcpConnect(tcp.local.port);
    c.write('first line\n');
    await readBytes(c, 11);
    c.write('second\n');
    await readBytes(c, 7);
    c.end();
    await waitFor(() => engine.registry.list().length === 2, 'connection closed');
    // And a playground client to the playground server: both ends logged, each packet written once.
    const client = await engine.registry.connectTcpClient({ port: tcp.local.port });
    await engine.registry.send({ socketId: client.id, data: 'both ends' });
    await waitFor(() => engine.registry.get(client.id)!.bytesIn === 9, 'reply');
    await engine.registry.closeSocket({ socketId: client.id });
    await waitFor(() => engine.registry.list().length === 2, 'second connection closed');

    const file = path.join(dir, 'cap.pcapng');
    const entries = await exportPcapng(engine.log, file);
    assert.equal(entries, engine.log.size);

    const read = tshark([
      '-r',
      file,
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      'ip.src',
      '-e',
      'udp.srcport',
      '-e',
      'tcp.srcport',
      '-e',
      'tcp.flags.str',
      '-e',
      'data.data',
      '-e',
      'frame.comment',
    ]);
    assert.equal(read.status, 0, read.stderr);
    assert.equal(read.stderr.trim(), '', 'tshark printed no warning');
    const lines = read.stdout.trim().split('\n');
    const hex = (s: string) => Buffer.from(s).toString('hex');
    assert.ok(
      lines.some((l) => l.includes(hex('hello udp'))),
      'UDP request payload',
    );
    assert.ok(
      lines.some((l) => l.includes(hex('HELLO UDP'))),
      'UDP reply payload',
    );
    const udpFrames = lines.filter((l) => l.split('\t')[2]);
    assert.equal(udpFrames.length, 2, 'one frame per datagram, not one per log entry');
    const syns = lines.filter((l) => l.split('\t')[4]?.includes('S'));
    assert.ok(syns.length >= 4, `SYN and SYN-ACK for two connections; got ${syns.length}`);
    assert.ok(
      lines.some((l) => l.split('\t')[4]?.includes('F')),
      'a FIN',
    );
    assert.ok(
      lines.some((l) => /receive on udp-server-\d+ — notes: /.test(l)),
      'note titles as comments',
    );

    // Follow TCP Stream reassembles the first conversation from the sequence numbers.
    const follow = tshark(['-r', file, '-q', '-z', 'follow,tcp,ascii,0']);
    assert.equal(follow.status, 0, follow.stderr);
    assert.match(follow.stdout, /first line\n/);
    assert.match(follow.stdout, /FIRST LINE\n/);
    assert.match(follow.stdout, /SECOND\n/);
    const second = tshark(['-r', file, '-q', '-z', 'follow,tcp,ascii,1']);
    assert.match(second.stdout, /both ends/);
    assert.match(second.stdout, /BOTH ENDS/);
    assert.equal(
      (second.stdout.match(/both ends/g) ?? []).length,
      1,
      'written once although both ends logged it',
    );

    // Expert info: no malformed packets, no "previous segment not captured" or retransmissions.
    const expert = tshark(['-r', file, '-q', '-z', 'expert,warn']);
    assert.doesNotMatch(expert.stdout, /Malformed|not captured|Retransmission|ACKed unseen/i, expert.stdout);
  });

  it('a reset connection ends in RST, IPv6 frames decode, and truncated payloads keep their wire length', async () => {
    const small = makeEngine({}, { maxPayloadBytes: 8 });
    try {
      const s6 = await small.registry.startUdpServer({ port: 0, host: '::1', behavior: 'sink' });
      const p6 = dgram.createSocket('udp6');
      await new Promise<void>((r) => p6.bind(0, '::1', () => r()));
      p6.send('a long datagram over ipv6', s6.local.port, '::1');
      await waitFor(() => small.registry.get(s6.id)!.messagesIn === 1, 'v6 datagram');
      p6.close();
      const t = await small.registry.startTcpServer({ port: 0, behavior: 'sink' });
      const c = await tcpConnect(t.local.port);
      c.write('x');
      await waitFor(
        () => small.registry.list().some((x) => x.kind === 'tcp-connection' && x.bytesIn === 1),
        'byte',
      );
      c.resetAndDestroy();
      await waitFor(() => small.registry.list().length === 2, 'reset seen');
      const file = path.join(dir, 'v6.pcapng');
      await exportPcapng(small.log, file);
      const r = tshark([
        '-r',
        file,
        '-T',
        'fields',
        '-e',
        'ipv6.src',
        '-e',
        'frame.len',
        '-e',
        'frame.cap_len',
        '-e',
        'tcp.flags.reset',
      ]);
      assert.equal(r.stderr.trim(), '');
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const v6 = rows.find((x) => x[0] === '::1')!;
      assert.ok(v6, 'an IPv6 frame');
      assert.equal(
        Number(v6[1]) - Number(v6[2]),
        'a long datagram over ipv6'.length - 8,
        'wire length counts the bytes not kept',
      );
      assert.ok(
        rows.some((x) => x[3] === 'True' || x[3] === '1'),
        'RST',
      );
    } finally {
      await small.registry.closeAll();
      small.log.dispose();
    }
  });

  /** Client-to-server and server-to-client bytes of TCP stream `n`, from tshark's "Follow TCP Stream" (raw). */
  function followRaw(file: string, n: number): { up: Buffer; down: Buffer; stdout: string } {
    const r = tshark(['-r', file, '-q', '-z', `follow,tcp,raw,${n}`]);
    assert.equal(r.status, 0, r.stderr);
    const up: Buffer[] = [];
    const down: Buffer[] = [];
    for (const line of r.stdout.split('\n')) {
      // The data lines are hex; the second node's are indented with a tab.
      const m = /^(\t?)([0-9a-f]+)$/.exec(line);
      if (m) {
        (m[1] ? down : up).push(Buffer.from(m[2]!, 'hex'));
      }
    }
    return { up: Buffer.concat(up), down: Buffer.concat(down), stdout: r.stdout };
  }

  for (const host of ['127.0.0.1', '::1']) {
    it(`1 MB through a playground TCP client and server over ${host}: tshark follows it byte for byte`, async () => {
      // Payloads held whole (the log keeps up to 1 MiB per entry), so the capture can carry every byte.
      const big = makeEngine({ bindAddress: host }, { maxPayloadBytes: 1 << 20 });
      try {
        const server = await big.registry.startTcpServer({ port: 0, host, behavior: 'echo' });
        const client = await big.registry.connectTcpClient({ host, port: server.local.port });
        const sent = Buffer.alloc(1 << 20);
        for (let i = 0; i < sent.length; i++) {
          sent[i] = (i * 7 + (i >>> 10)) & 0xff; // no repeating 256-byte pattern: a misplaced segment shows
        }
        const quarter = 256 * 1024;
        for (let off = 0; off < sent.length; off += quarter) {
          await big.registry.send({
            socketId: client.id,
            data: sent.subarray(off, off + quarter).toString('base64'),
            encoding: 'base64',
          });
        }
        await waitFor(() => big.registry.get(client.id)?.bytesIn === sent.length, 'the echo back');
        await big.registry.closeSocket({ socketId: client.id });
        await waitFor(() => big.registry.list().length === 1, 'connection closed');
        assert.ok(
          [...big.log].some((r) => r.event === 'send' && r.bytes === quarter),
          'one log entry per 256 KiB send: the case that did not fit in one IP packet',
        );

        const file = path.join(process.env.SP_KEEP_DIR ?? dir, 'big.pcapng');
        await exportPcapng(big.log, file);
        const { up, down, stdout } = followRaw(file, 0);
        assert.equal(up.length, sent.length, 'client-to-server bytes');
        assert.ok(up.equals(sent), 'the 1 MB sent, byte for byte');
        assert.ok(down.equals(sent), 'the 1 MB echoed, byte for byte');
        assert.doesNotMatch(stdout, /not captured|missing/i);

        const frames = tshark(['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len']);
        assert.equal(frames.stderr.trim(), '', 'tshark printed no warning');
        const lens = frames.stdout
          .trim()
          .split('\n')
          .map((l) => l.split('\t').map(Number));
        assert.ok(
          lens.every(([len, cap]) => len === cap && len! <= 1514),
          'every frame whole and no bigger than an Ethernet frame',
        );
        const expert = tshark(['-r', file, '-q', '-z', 'expert,note']);
        assert.doesNotMatch(
          expert.stdout,
          /Malformed|not captured|Retransmission|ACKed unseen|Window Full|Out-Of-Order/i,
          expert.stdout,
        );
      } finally {
        await big.registry.closeAll();
        big.log.dispose();
      }
    });
  }

  it('1 MB from a plain Node client to a playground sink over ::1: the receive entries follow byte for byte', async () => {
    // Here only the server is the playground's: the bytes reach the pcapng through its receive entries.
    const big = makeEngine({ bindAddress: '::1' }, { maxPayloadBytes: 1 << 20 });
    try {
      const server = await big.registry.startTcpServer({ port: 0, host: '::1', behavior: 'sink' });
      const sent = Buffer.alloc(1 << 20);
      for (let i = 0; i < sent.length; i++) {
        sent[i] = (i * 13 + (i >>> 9)) & 0xff;
      }
      const c = await tcpConnect(server.local.port, '::1');
      await new Promise<void>((resolve) => c.end(sent, () => resolve()));
      // The connection row goes once the client's FIN is answered, so count what the log received.
      const received = () =>
        [...big.log].filter((r) => r.event === 'receive').reduce((n, r) => n + r.bytes, 0);
      await waitFor(() => received() === sent.length, 'the whole megabyte received');
      await waitFor(() => big.registry.list().length === 1, 'connection closed');
      const file = path.join(dir, 'recv.pcapng');
      await exportPcapng(big.log, file);
      const { up, stdout } = followRaw(file, 0);
      assert.ok(up.equals(sent), `client-to-server bytes: ${up.length} of ${sent.length}, in order`);
      assert.doesNotMatch(stdout, /not captured|missing/i);
    } finally {
      await big.registry.closeAll();
      big.log.dispose();
    }
  });

  it('a datagram the relay dropped: the frame that reached the relay says so, and no frame is invented', async () => {
    const server = await engine.registry.startUdpServer({ port: 0 });
    const relay = await engine.registry.startRelay({
      protocol: 'udp',
      targetPort: server.local.port,
      impairment: { loss: 1, seed: 1 },
    });
    const peer = await udpPeer();
    peer.send('lost on the way', relay.local.port, '127.0.0.1');
    await waitFor(() => [...engine.log].some((r) => r.event === 'drop'), 'the drop');
    peer.close();
    const file = path.join(dir, 'drop.pcapng');
    await exportPcapng(engine.log, file);
    const r = tshark([
      '-r',
      file,
      '-T',
      'fields',
      '-e',
      'udp.dstport',
      '-e',
      'data.data',
      '-e',
      'frame.comment',
    ]);
    assert.equal(r.stderr.trim(), '');
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const hex = Buffer.from('lost on the way').toString('hex');
    const carrying = rows.filter((x) => x[1] === hex);
    assert.equal(carrying.length, 1, 'one frame: the datagram reached the relay and went no further');
    assert.equal(Number(carrying[0]![0]), relay.local.port);
    assert.match(carrying[0]![2]!, /DROPPED by the relay/);
    assert.match(carrying[0]![2]!, /not passed on/);
  });

  it("port-12000 UDP shows as LLC until told '-d udp.port==12000,data', as the export's message says", async () => {
    // Entries as the course's UDP server on port 12000 logs them. Written to a log directly: binding port 12000
    // itself would race other programs on this machine for it, and what is under test is how tshark reads it.
    const log = new TrafficLog({}, 5);
    try {
      const server = { address: '127.0.0.1', port: 12000 };
      const client = { address: '127.0.0.1', port: 54321 };
      const common = {
        socketId: 'udp-server-1',
        protocol: 'udp' as const,
        local: server,
        remote: client,
        notes: [],
      };
      log.append({ ...common, event: 'receive', bytes: 3, payload: Buffer.from('abc') });
      log.append({ ...common, event: 'send', bytes: 3, payload: Buffer.from('ABC') });
      const file = path.join(dir, 'llc.pcapng');
      await exportPcapng(log, file);
      const plain = tshark(['-r', file, '-T', 'fields', '-e', '_ws.col.Protocol']);
      assert.match(plain.stdout, /LLC/, "Wireshark's default mapping calls these frames LLC");
      const told = tshark([
        '-r',
        file,
        '-d',
        'udp.port==12000,data',
        '-T',
        'fields',
        '-e',
        '_ws.col.Protocol',
        '-e',
        'data.data',
      ]);
      assert.equal(told.status, 0, told.stderr);
      assert.doesNotMatch(told.stdout, /LLC/);
      assert.ok(told.stdout.includes(Buffer.from('abc').toString('hex')), 'the request as data');
      assert.ok(told.stdout.includes(Buffer.from('ABC').toString('hex')), 'the reply as data');
    } finally {
      log.dispose();
    }
  });

  it('JSONL export: one entry per line in seq order, payload bytes exact', async () => {
    const s = await engine.registry.startUdpServer({ port: 0, behavior: 'echo' });
    const peer = await udpPeer();
    const bin = Buffer.from([0, 1, 2, 0xff, 0x3c, 0x73, 0x3e]);
    assert.deepEqual(await udpRequest(peer, s.local.port, bin), bin);
    peer.close();
    const file = path.join(dir, 'log.jsonl');
    const n = await exportJsonl(engine.log, file);
    const lines = fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, n);
    assert.deepEqual(
      lines.map((l) => l.seq),
      [...lines.map((l) => l.seq)].sort((a, b) => a - b),
    );
    const recv = lines.find((l) => l.event === 'receive');
    assert.deepEqual(Buffer.from(recv.data, 'base64'), bin);
    assert.equal(recv.bytes, bin.length);
    assert.deepEqual(Object.keys(recv.remote).sort(), ['address', 'port']);
  });
});

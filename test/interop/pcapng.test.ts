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
import { makeEngine, readBytes, tcpConnect, udpPeer, udpRequest, waitFor } from '../unit/helpers';

const haveTshark = spawnSync('sh', ['-c', 'command -v tshark'], { encoding: 'utf8' }).status === 0;

function tshark(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('tshark', args, { encoding: 'utf8', timeout: 60_000 });
  // tshark warns about running as root (CI does); that is about the machine, not about our file.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => !/^Running as user "root"/.test(l))
    .join('\n');
  return { stdout: r.stdout, stderr, status: r.status };
}

// Skipped only where tshark is missing (apt-get install tshark); CI installs it.
(haveTshark ? describe : describe.skip)('pcapng export read by tshark', function () {
  this.timeout(60_000);
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
    await waitFor(() => engine.registry.list().length === 2, 3000, 'connection closed');
    // And a playground client to the playground server: both ends logged, each packet written once.
    const client = await engine.registry.connectTcpClient({ port: tcp.local.port });
    await engine.registry.send({ socketId: client.id, data: 'both ends' });
    await waitFor(() => engine.registry.get(client.id)!.bytesIn === 9, 3000, 'reply');
    await engine.registry.closeSocket({ socketId: client.id });
    await waitFor(() => engine.registry.list().length === 2, 3000, 'second connection closed');

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
      await waitFor(() => small.registry.get(s6.id)!.messagesIn === 1, 3000, 'v6 datagram');
      p6.close();
      const t = await small.registry.startTcpServer({ port: 0, behavior: 'sink' });
      const c = await tcpConnect(t.local.port);
      c.write('x');
      await waitFor(
        () => small.registry.list().some((x) => x.kind === 'tcp-connection' && x.bytesIn === 1),
        3000,
        'byte',
      );
      c.resetAndDestroy();
      await waitFor(() => small.registry.list().length === 2, 3000, 'reset seen');
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

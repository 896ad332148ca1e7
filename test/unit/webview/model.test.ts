// The traffic panel's model, in plain mocha: no DOM, no workbench. Filters, previews, selection, eviction,
// counts, the saved UI state and the diagram's conversation scope.
import * as assert from 'node:assert/strict';
import {
  RowFlag,
  TRAFFIC_EVENT_NAMES,
  type Row,
  type SocketInfo,
  type TrafficEvent,
} from '../../../src/shared/protocol';
import { DEFAULT_FILTER, Model, previewOf, restoreUiState } from '../../../src/webview/model';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

function row(
  seq: number,
  event: TrafficEvent,
  socket: string,
  o: {
    local?: string;
    remote?: string;
    data?: string | Buffer;
    bytes?: number;
    flags?: number;
    notes?: string;
  } = {},
): Row {
  const data = o.data === undefined ? '' : b64(o.data);
  const bytes = o.bytes ?? (o.data === undefined ? 0 : Buffer.from(o.data).length);
  const tcp = socket.startsWith('tcp') ? RowFlag.Tcp : 0;
  return [
    seq,
    1_700_000_000_000 + seq,
    socket,
    TRAFFIC_EVENT_NAMES.indexOf(event),
    o.local ?? '127.0.0.1:12000',
    o.remote ?? '',
    bytes,
    data,
    (o.flags ?? 0) | tcp,
    o.notes ?? '',
  ];
}

function model(rows: Row[] = [], state: unknown = undefined): Model {
  const m = new Model(restoreUiState(state));
  m.append(rows);
  return m;
}

function socket(id: string, kind: SocketInfo['kind'], parentId?: string): SocketInfo {
  return {
    id,
    kind,
    label: id,
    protocol: kind.startsWith('tcp') ? 'tcp' : 'udp',
    state: 'open',
    local: { address: '127.0.0.1', port: 1 },
    parentId,
  } as unknown as SocketInfo;
}

const seqs = (m: Model) => m.view.map((i) => m.rows[i]![0]);

/** A UDP server on 12000 with a client on 50000, and a TCP server with one connection. */
function mixed(): Row[] {
  const srv = '127.0.0.1:12000';
  const cli = '127.0.0.1:50000';
  return [
    row(1, 'bind', 'udp-server-1', { local: srv }),
    row(2, 'bind', 'udp-client-2', { local: cli }),
    row(3, 'send', 'udp-client-2', { local: cli, remote: srv, data: 'hello' }),
    row(4, 'receive', 'udp-server-1', { local: srv, remote: cli, data: 'hello' }),
    row(5, 'send', 'udp-server-1', { local: srv, remote: cli, data: 'HELLO' }),
    row(6, 'drop', 'relay-5', { local: '127.0.0.1:40000', remote: cli, data: 'lost' }),
    row(7, 'listen', 'tcp-server-3', { local: '127.0.0.1:13000' }),
    row(8, 'accept', 'tcp-connection-4', { local: '127.0.0.1:13000', remote: '127.0.0.1:51000' }),
    row(9, 'receive', 'tcp-connection-4', {
      local: '127.0.0.1:13000',
      remote: '127.0.0.1:51000',
      data: '<b>bold</b>',
    }),
    row(10, 'drop', 'tcp-connection-4', { local: '127.0.0.1:13000', remote: '127.0.0.1:51000', data: 'x' }),
    row(11, 'error', 'udp-client-2', { local: cli, flags: RowFlag.Error }),
  ];
}

describe('webview model (plain mocha, no DOM)', () => {
  describe('saved UI state', () => {
    it('falls back to the defaults for a missing or damaged state', () => {
      for (const bad of [undefined, null, 5, 'x', [], { filter: 'x', layout: [1] }]) {
        const s = restoreUiState(bad);
        assert.deepEqual(s.filter, DEFAULT_FILTER);
        assert.equal(s.follow, true);
        assert.equal(s.payloadView, 'text');
        assert.deepEqual(s.layout, { logPct: 40, diagramPct: 60 });
        assert.equal(s.diagramScope, 'all');
        assert.equal(s.selectedSeq, undefined);
      }
    });

    it('keeps every valid field and drops each invalid one on its own', () => {
      const s = restoreUiState({
        filter: { socketId: 'udp-server-1', protocol: 'tcp', direction: 'drop', text: 'hi' },
        follow: false,
        selectedSeq: 42,
        payloadView: 'hex',
        scrollTop: 220,
        layout: { logPct: 70, diagramPct: 99 },
        diagramScope: 'conversation',
      });
      assert.deepEqual(s.filter, {
        socketId: 'udp-server-1',
        protocol: 'tcp',
        direction: 'drop',
        text: 'hi',
      });
      assert.equal(s.follow, false);
      assert.equal(s.selectedSeq, 42);
      assert.equal(s.payloadView, 'hex');
      assert.equal(s.scrollTop, 220);
      assert.deepEqual(s.layout, { logPct: 70, diagramPct: 60 }, '99 % is outside 15-85: default');
      assert.equal(s.diagramScope, 'conversation');
      const t = restoreUiState({
        filter: { protocol: 'sctp', direction: 'sideways', text: 7 },
        selectedSeq: -3,
        scrollTop: NaN,
      });
      assert.deepEqual(t.filter, DEFAULT_FILTER);
      assert.equal(t.selectedSeq, undefined);
      assert.equal(t.scrollTop, undefined);
    });
  });

  describe('filters', () => {
    const cases: Array<[string, Partial<typeof DEFAULT_FILTER>, number[]]> = [
      ['everything', {}, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
      ['UDP only', { protocol: 'udp' }, [1, 2, 3, 4, 5, 6, 11]],
      ['TCP only', { protocol: 'tcp' }, [7, 8, 9, 10]],
      ['received', { direction: 'in' }, [4, 8, 9]],
      ['sent', { direction: 'out' }, [3, 5]],
      ['set-up, close, errors', { direction: 'life' }, [1, 2, 7, 11]],
      ['impairments', { direction: 'impairment' }, [6, 10]],
      ['lost only', { direction: 'drop' }, [6, 10]],
      ['lost UDP only', { direction: 'drop', protocol: 'udp' }, [6]],
      ['one socket', { socketId: 'udp-client-2' }, [2, 3, 11]],
      ['text in the payload, any case', { text: 'HELLO' }, [3, 4, 5]],
      ['text in an address', { text: ':51000' }, [8, 9, 10]],
      ['markup searched as text', { text: '<b>' }, [9]],
    ];
    for (const [name, f, expected] of cases) {
      it(name, () => {
        const m = model(mixed());
        m.state.filter = { ...DEFAULT_FILTER, ...f };
        m.rebuildView();
        assert.deepEqual(seqs(m), expected);
      });
    }

    it("a server's filter includes its connections, a relay's its legs", () => {
      const m = model(mixed());
      m.setSockets([
        socket('tcp-server-3', 'tcp-server'),
        socket('tcp-connection-4', 'tcp-connection', 'tcp-server-3'),
      ]);
      m.state.filter = { ...DEFAULT_FILTER, socketId: 'tcp-server-3' };
      m.rebuildView();
      assert.deepEqual(seqs(m), [7, 8, 9, 10]);
    });

    it('appended rows are filtered as they arrive', () => {
      const m = model([], { filter: { direction: 'drop' } });
      m.append(mixed().slice(0, 6));
      assert.deepEqual(seqs(m), [6]);
      m.append(mixed().slice(6));
      assert.deepEqual(seqs(m), [6, 10]);
    });
  });

  describe('previews', () => {
    it('text escapes control bytes and invalid UTF-8; hex spells every byte', () => {
      const r = row(1, 'receive', 'udp-server-1', { data: Buffer.from([0x41, 0x00, 0x1b, 0xc3, 0x28]) });
      assert.equal(previewOf(r, 'text'), 'A\\0\\x1b\\xc3(');
      assert.equal(previewOf(r, 'hex'), '41 00 1b c3 28');
    });

    it('markup is kept as text, never interpreted', () => {
      const r = row(1, 'receive', 'udp-server-1', { data: '<img src=x onerror=alert(1)>' });
      assert.equal(previewOf(r, 'text'), '<img src=x onerror=alert(1)>');
    });

    it('says when the payload is longer than the preview, or no longer kept', () => {
      assert.equal(previewOf(row(1, 'send', 'udp-client-2', { data: 'abc', bytes: 500 }), 'text'), 'abc …');
      assert.equal(
        previewOf(row(1, 'send', 'udp-client-2', { bytes: 10, flags: RowFlag.PayloadGone }), 'text'),
        '(payload no longer kept)',
      );
      assert.equal(previewOf(row(1, 'bind', 'udp-client-2'), 'hex'), '');
    });
  });

  describe('selection', () => {
    it('finds a seq in the filtered view, and not one the filter hides', () => {
      const m = model(mixed(), { filter: { protocol: 'tcp' } });
      m.rebuildView();
      assert.equal(m.indexOfSeq(9), 2);
      assert.equal(m.rowBySeq(9)?.[0], 9);
      assert.equal(m.indexOfSeq(4), -1);
      assert.equal(m.rowBySeq(4), undefined);
      assert.equal(m.indexOfSeq(999), -1);
    });
  });

  describe('eviction', () => {
    it('drops the oldest rows past the limit in bulk, and keeps the view consistent', () => {
      const m = model();
      m.maxEntries = 100;
      m.state.filter = { ...DEFAULT_FILTER, direction: 'out' };
      let rebuilt = 0;
      for (let seq = 1; seq <= 1000; seq++) {
        if (m.append([row(seq, seq % 2 ? 'send' : 'receive', 'udp-client-2', { data: 'x' })])) {
          rebuilt++;
        }
        assert.ok(m.rows.length <= 110, `at most 10 % over the limit (${m.rows.length})`);
      }
      assert.ok(rebuilt > 0 && rebuilt < 100, `trimmed in bulk: ${rebuilt} times`);
      assert.equal(m.rows[m.rows.length - 1]![0], 1000);
      assert.ok(m.rows[0]![0] > 880, 'the oldest went');
      assert.ok(
        seqs(m).every((s) => s % 2 === 1),
        'the view still holds only sends',
      );
      assert.equal(m.view.length, m.rows.filter((r) => r[0] % 2 === 1).length);
    });

    it('clear empties rows, view and counts', () => {
      const m = model(mixed());
      m.clear();
      assert.deepEqual([m.rows.length, m.view.length, m.losses.udpLost, m.losses.tcpResent], [0, 0, 0, 0]);
    });
  });

  describe('counts', () => {
    it('counts losses over the view: UDP lost for good, TCP resent', () => {
      const m = model(mixed());
      assert.deepEqual(m.losses, { udpLost: 1, tcpResent: 1 });
      m.state.filter = { ...DEFAULT_FILTER, protocol: 'udp' };
      m.rebuildView();
      assert.deepEqual(m.losses, { udpLost: 1, tcpResent: 0 });
    });

    it('the totals line says "N of M", in the singular for one', () => {
      const m = model(mixed());
      assert.equal(m.totalsLine(), '11 entries · 1 datagram lost · 1 segment resent');
      m.state.filter = { ...DEFAULT_FILTER, direction: 'drop', protocol: 'udp' };
      m.rebuildView();
      assert.equal(m.totalsLine(), '1 of 11 entries · 1 datagram lost');
      m.totals = { entries: 20, evicted: 9, held: 11 };
      assert.match(m.totalsLine(), /9 evicted \(counters stay exact\)$/);
      const one = model([row(1, 'bind', 'udp-server-1')]);
      assert.equal(one.totalsLine(), '1 entry');
      const many = model([
        row(1, 'drop', 'relay-1', { data: 'a' }),
        row(2, 'drop', 'relay-1', { data: 'b' }),
      ]);
      assert.equal(many.totalsLine(), '2 entries · 2 datagrams lost');
    });
  });

  describe('the diagram: every lane, or the selected conversation', () => {
    it('draws the newest rows when following, and ends near the selection when not', () => {
      const rows = Array.from({ length: 300 }, (_, i) => row(i + 1, 'send', 'udp-client-2', { data: 'x' }));
      const m = model(rows);
      assert.deepEqual(
        m.diagramRows(80).map((r) => r[0]),
        Array.from({ length: 80 }, (_, i) => 221 + i),
      );
      m.state.follow = false;
      m.state.selectedSeq = 100;
      const around = m.diagramRows(80).map((r) => r[0]);
      assert.equal(around.length, 80);
      assert.ok(
        around.includes(100) && around[0]! >= 60 && around[79]! <= 140,
        `${around[0]}..${around[79]}`,
      );
    });

    it('narrowed to a conversation, it keeps one protocol and the sockets that take part', () => {
      const m = model(mixed(), { diagramScope: 'conversation', follow: false, selectedSeq: 4 });
      m.setSockets([
        socket('udp-server-1', 'udp-server'),
        socket('udp-client-2', 'udp-client'),
        socket('tcp-server-3', 'tcp-server'),
        socket('tcp-connection-4', 'tcp-connection', 'tcp-server-3'),
      ]);
      // Another client of the same server: not part of this conversation.
      m.append([row(12, 'receive', 'udp-server-1', { local: '127.0.0.1:12000', remote: '127.0.0.1:50001' })]);
      // The server's receive from the client: both sides' rows, none of the TCP ones, no stranger's.
      assert.deepEqual(
        m.diagramRows(80).map((r) => r[0]),
        [1, 2, 3, 4, 5, 11],
      );
      m.state.selectedSeq = 9;
      assert.deepEqual(
        m.diagramRows(80).map((r) => r[0]),
        [7, 8, 9, 10],
        'a connection brings its welcoming socket',
      );
      m.state.selectedSeq = 1;
      assert.deepEqual(
        m.diagramRows(80).map((r) => r[0]),
        [1, 3, 4, 5, 12],
        'a bind: everything the socket did or was sent, from every client',
      );
      m.state.diagramScope = 'all';
      assert.equal(m.diagramRows(80).length, 12);
    });

    it('with the conversation scope and nothing selected, draws everything in view', () => {
      const m = model(mixed(), { diagramScope: 'conversation' });
      assert.equal(m.diagramRows(80).length, 11);
    });
  });
});

import * as assert from 'node:assert/strict';
import { PanelFeed, MAX_ROWS_PER_MESSAGE } from '../../../../src/core/traffic/panelFeed';
import { ROW, TRAFFIC_EVENT_NAMES, type ToWebview } from '../../../../src/shared/protocol';
import { makeEngine, sendPaced, udpPeer, waitFor } from '../../helpers';

describe('PanelFeed (what the traffic panel is sent)', () => {
  it('sends nothing before ready, then init; appends arrive in bounded slices at a bounded rate', async () => {
    const { log, registry } = makeEngine({}, { maxEntries: 50_000 });
    const msgs: ToWebview[] = [];
    const feed = new PanelFeed(
      log,
      registry,
      (m) => msgs.push(m),
      () => ({ payloadView: 'text', maxEntries: 50_000 }),
      20,
    );
    try {
      const s = await registry.startUdpServer({ port: 0, behavior: 'sink' });
      assert.equal(msgs.length, 0, 'not ready yet');
      const readyAt = performance.now();
      feed.onReady();
      assert.equal(msgs[0]!.type, 'init');
      const init = msgs[0] as Extract<ToWebview, { type: 'init' }>;
      assert.equal(init.rows.length, 1);
      assert.equal(TRAFFIC_EVENT_NAMES[init.rows[0]![ROW.Event]], 'bind');
      assert.ok(init.notes.length > 40, 'note titles for the chips');
      const peer = await udpPeer();
      const N = 25_000;
      const received = () => registry.get(s.id)!.messagesIn;
      // Paced by what the server has taken in, so none is lost to a full receive buffer: all N arrive.
      await sendPaced(peer, s.local.port, N, received, () => 'x', { window: 100 });
      await waitFor(() => received() === N, `all ${N} datagrams at the server`);
      await waitFor(() => {
        const rows = msgs
          .filter((m) => m.type === 'trafficAppended')
          .flatMap((m) => (m as { rows: unknown[] }).rows);
        return rows.length === received();
      }, 'all rows delivered');
      const appends = msgs.filter((m) => m.type === 'trafficAppended') as Array<
        Extract<ToWebview, { type: 'trafficAppended' }>
      >;
      assert.ok(appends.every((m) => m.rows.length <= MAX_ROWS_PER_MESSAGE));
      const seqs = appends.flatMap((m) => m.rows.map((r) => r[ROW.Seq]));
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        'in order',
      );
      assert.equal(new Set(seqs).size, seqs.length, 'no row twice');
      // A bounded rate: at most one message per 20 ms interval, over however long a busy machine took (measured
      // now, so a slow run only loosens the count, never breaks it), and far fewer messages than rows.
      const elapsed = performance.now() - readyAt;
      assert.ok(
        appends.length <= Math.ceil(elapsed / 20) + 2,
        `batched: ${appends.length} messages in ${Math.round(elapsed)} ms`,
      );
      assert.ok(
        appends.length * 10 < seqs.length,
        `batched: ${appends.length} messages for ${seqs.length} rows`,
      );
      peer.close();
    } finally {
      feed.dispose();
      await registry.closeAll();
      log.dispose();
    }
  });

  it('clear and socket changes are told', async () => {
    const { log, registry } = makeEngine();
    const msgs: ToWebview[] = [];
    const feed = new PanelFeed(
      log,
      registry,
      (m) => msgs.push(m),
      () => ({ payloadView: 'hex', maxEntries: 10 }),
      5,
    );
    try {
      feed.onReady();
      await registry.startTcpServer({ port: 0 });
      await waitFor(() => msgs.some((m) => m.type === 'socketsChanged'), 'sockets changed');
      log.clear();
      assert.equal(msgs[msgs.length - 1]!.type, 'cleared');
      feed.setFilter('tcp-server-1');
      assert.deepEqual(msgs[msgs.length - 1], { type: 'setFilter', socketId: 'tcp-server-1' });
    } finally {
      feed.dispose();
      await registry.closeAll();
      log.dispose();
    }
  });

  it('posts nothing to a hidden panel; shown again, it gets one snapshot with what happened meanwhile', async () => {
    const { log, registry } = makeEngine();
    const msgs: ToWebview[] = [];
    const feed = new PanelFeed(
      log,
      registry,
      (m) => msgs.push(m),
      () => ({ payloadView: 'text', maxEntries: 1000 }),
      5,
    );
    const peer = await udpPeer();
    try {
      feed.onReady();
      const s = await registry.startUdpServer({ port: 0, behavior: 'sink' });
      await waitFor(() => feed.caughtUp && msgs.some((m) => m.type === 'socketsChanged'), 'caught up');
      feed.setVisible(false);
      const before = msgs.length;
      for (let i = 0; i < 20; i++) {
        peer.send(`hidden ${i}`, s.local.port, '127.0.0.1');
      }
      await waitFor(() => registry.get(s.id)!.messagesIn === 20, '20 datagrams in');
      log.clear();
      peer.send('after clear', s.local.port, '127.0.0.1');
      await waitFor(() => log.size === 1, 'one entry after the clear');
      feed.setFilter(s.id);
      feed.onReady(); // a page that says ready while hidden is answered when it is shown
      assert.equal(
        msgs.length,
        before,
        `nothing posted while hidden: ${msgs.slice(before).map((m) => m.type)}`,
      );
      feed.setVisible(true);
      const init = msgs[before] as Extract<ToWebview, { type: 'init' }>;
      assert.equal(init.type, 'init');
      assert.equal(msgs.length, before + 1, 'one snapshot');
      assert.equal(init.rows.length, 1, 'the log as it is now');
      assert.equal(init.filterSocketId, s.id, 'the filter asked for meanwhile');
      assert.equal(init.totals.held, 1);
      // Live again: new traffic is appended.
      peer.send('visible', s.local.port, '127.0.0.1');
      await waitFor(() => msgs.some((m) => m.type === 'trafficAppended'), 'appends resume');
      // The reloaded page's own `ready` gets a snapshot too (an init is idempotent).
      feed.onReady();
      assert.equal(msgs[msgs.length - 1]!.type, 'init');
    } finally {
      peer.close();
      feed.dispose();
      await registry.closeAll();
      log.dispose();
    }
  });
});

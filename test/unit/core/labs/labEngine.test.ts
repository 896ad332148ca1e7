/**
 * The lab engine itself: argument validation, the seed, the passed-in engine, and that a run always stops
 * everything it started (the program's whole process tree, its sockets, its timers).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { listLabs, runLab } from '../../../../src/core/labs/labEngine';
import { closeUdp, makeEngine, portIsFree, udpPeer, waitFor } from '../../helpers';

/** Handles that a lab could leak, by kind (timers, sockets, processes, pipes). */
function handles(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) {
    if (/Timeout|UDP|TCP|Process|Pipe|Signal/.test(r)) {
      m.set(r, (m.get(r) ?? 0) + 1);
    }
  }
  return m;
}

/**
 * Waits until the handles are those of before: a closed socket or exited process leaves the list only when
 * libuv has finished closing it, a turn or two after its close event, and no JS event marks that moment.
 */
async function noneLeft(before: Map<string, number>): Promise<void> {
  const same = () => JSON.stringify([...handles()].sort()) === JSON.stringify([...before].sort());
  await waitFor(same, 'the handles of the run to close').catch(() => {
    assert.deepEqual(handles(), before, 'handles left open');
  });
}

/** True while the process runs (a zombie waiting for its reaper counts as gone: it runs nothing). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('Lab engine', function () {
  it('listLabs gives the seven built-in labs with the course defaults', async () => {
    const labs = await listLabs();
    assert.deepEqual(
      labs.map((l) => [l.id, l.role, l.defaults.port, l.source]),
      [
        ['udp-uppercase-client', 'client', 12000, 'built-in'],
        ['udp-uppercase-server', 'server', 12000, 'built-in'],
        ['tcp-uppercase-client', 'client', 12000, 'built-in'],
        ['tcp-uppercase-server', 'server', 12000, 'built-in'],
        ['udp-pinger', 'client', 12000, 'built-in'],
        ['web-server', 'server', 6789, 'built-in'],
        ['smtp-client', 'client', 2525, 'built-in'],
      ],
    );
    assert.equal(labs.find((l) => l.id === 'udp-pinger')?.defaults['loss'], 0.3);
    assert.equal(labs.find((l) => l.id === 'udp-pinger')?.defaults['count'], 10);
  });

  it('bad arguments reject with what is allowed, and start nothing', async () => {
    // After one turn, so mocha's own timer for this test is already among them.
    await new Promise((r) => setImmediate(r));
    const before = handles();
    const table: Array<[unknown, RegExp]> = [
      [undefined, /runLab/],
      [{ program: ['x'] }, /runLab needs lab/],
      [{ lab: 'nope', program: ['x'] }, /no lab "nope"; the labs are: udp-uppercase-client/],
      [{ lab: 'udp-pinger' }, /program must be the command to run/],
      [{ lab: 'udp-pinger', program: [] }, /program must be/],
      [{ lab: 'udp-pinger', program: ['python3'], port: 70000 }, /65535/],
      [{ lab: 'udp-pinger', program: ['python3'], seed: -1 }, /seed must be an integer/],
      [{ lab: 'udp-pinger', program: ['python3'], timeoutMs: 5 }, /timeoutMs must be from 100/],
      [
        { lab: 'udp-pinger', program: ['python3'], params: { loss: 'lots' } },
        /params\.loss must be a number/,
      ],
      [
        { lab: 'udp-pinger', program: ['python3'], params: { sentences: ['a'] } },
        /params\.sentences is not a parameter of udp-pinger/,
      ],
      [{ lab: 'udp-pinger', program: ['python3'], colour: 1 }, /colour/],
    ];
    for (const [arg, re] of table) {
      await assert.rejects(runLab(arg), re, JSON.stringify(arg));
    }
    await noneLeft(before);
  });

  it('a program that cannot start fails the checks with the reason; a random seed is reported', async () => {
    const run = await runLab({ lab: 'udp-uppercase-client', port: 0, program: ['/no/such/program-xyz'] });
    assert.equal(run.passed, false);
    assert.ok(Number.isInteger(run.seed) && run.seed >= 0);
    assert.match(run.checks.find((c) => c.id === 'sent')!.message, /could not be started: .*ENOENT/);
    assert.equal(run.exitCode, null);
  });

  it('the port in use: a "setup" check says so, nothing else runs', async () => {
    const holder = await udpPeer();
    try {
      const port = holder.address().port;
      const run = await runLab({ lab: 'udp-pinger', port, program: [process.execPath, '-e', '0'] });
      assert.equal(run.passed, false);
      assert.deepEqual(
        run.checks.map((c) => c.id),
        ['setup'],
      );
      assert.match(run.checks[0]!.message, new RegExp(`${port}.*in use`));
      assert.ok(run.checks[0]!.notes?.some((n) => n.id === 'address-in-use'));
    } finally {
      await closeUdp(holder);
    }
  });

  it('at the timeout the whole process tree is stopped, and no socket, timer or process is left', async () => {
    // After one turn, so mocha's own timer for this test is already among them.
    await new Promise((r) => setImmediate(r));
    const before = handles();
    // The program starts a grandchild and both hang: the lab must end both.
    const script =
      "const {spawn}=require('node:child_process');" +
      "const c=spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});" +
      'console.log(`child ${c.pid}`);setInterval(()=>{},1000);';
    const run = await runLab({
      lab: 'udp-uppercase-client',
      port: 0,
      timeoutMs: 1500,
      program: [process.execPath, '-e', script],
    });
    const pid = Number(/child (\d+)/.exec(run.output)?.[1]);
    assert.ok(pid > 0, run.output);
    // SIGTERM went to the whole group; the grandchild is gone once the kernel has delivered it.
    await waitFor(() => !alive(pid), 'the grandchild to be stopped with its parent');
    const exited = run.checks.find((c) => c.id === 'exited')!;
    assert.equal(exited.status, 'failed');
    assert.match(exited.message, /still running after 1\.5 s and was stopped/);
    assert.equal(run.exitCode, null);
    assert.ok(await portIsFree(run.port, 'udp'));
    await noneLeft(before);
  });

  it("on the extension's engine: the lab's sockets show while it runs and are gone after", async () => {
    const engine = makeEngine();
    const seen: string[] = [];
    const sub = engine.registry.onDidChange((e) => e.type === 'added' && seen.push(e.socket.kind));
    try {
      // A Node client stands in for the student's: it sends the sentence and prints the reply.
      const client =
        "const d=require('node:dgram').createSocket('udp4');let s='';process.stdin.on('data',c=>s+=c);" +
        "process.stdin.on('end',()=>{d.on('message',m=>{console.log(m.toString());d.close();});" +
        "d.send(s.trim(),Number(process.argv[1]),'127.0.0.1');});";
      const run = await runLab(
        {
          lab: 'udp-uppercase-client',
          port: 0,
          seed: 42,
          input: 'from node\n',
          program: [process.execPath, '-e', client, '{port}'],
        },
        { engine },
      );
      assert.equal(run.passed, true, JSON.stringify(run.checks, null, 1));
      assert.equal(run.seed, 42);
      assert.match(run.output, /FROM NODE/);
      assert.deepEqual(seen, ['udp-server']);
      assert.equal(engine.registry.size, 0);
      const evidence = run.checks.flatMap((c) => c.evidence ?? []);
      assert.ok(
        evidence.every((seq) => engine.log.get(seq)?.socketId.startsWith('udp-server')),
        'evidence is in the shared log',
      );
    } finally {
      sub.dispose();
      await engine.registry.closeAll();
      engine.log.dispose();
    }
  });
});

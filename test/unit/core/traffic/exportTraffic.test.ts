/**
 * Export failures are failures: a full disk, a folder the OS refuses to write in, a directory as the path, a
 * path under a file, and a disk that fills up half-way (the partial file is removed). All against the real file
 * system; tests run as root, which ignores permission bits, so the refusals come from /dev/full, sysfs, a
 * directory and a file-size limit instead of chmod.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportJsonl, exportPcapng } from '../../../../src/core/traffic/exportTraffic';
import { TrafficLog } from '../../../../src/core/traffic/trafficLog';

function logWithOneEntry(): TrafficLog {
  const log = new TrafficLog({}, 5);
  log.append({
    socketId: 'udp-server-1',
    protocol: 'udp',
    event: 'receive',
    local: { address: '127.0.0.1', port: 12000 },
    remote: { address: '127.0.0.1', port: 50000 },
    bytes: 5,
    payload: Buffer.from('hello'),
    notes: [],
  });
  return log;
}

describe('export to a file that cannot be written', () => {
  let dir: string;
  let log: TrafficLog;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-export-'));
    log = logWithOneEntry();
  });
  afterEach(() => {
    log.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const exporters = { jsonl: exportJsonl, pcapng: exportPcapng } as const;
  for (const [format, exporter] of Object.entries(exporters)) {
    it(`${format}: a full disk (/dev/full) rejects with the path and "no space left", no success`, async () => {
      await assert.rejects(exporter(log, '/dev/full'), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'ENOSPC');
        assert.match(err.message, /cannot write \/dev\/full: no space left on the device/);
        return true;
      });
    });

    it(`${format}: a directory as the path rejects with "it is a folder"`, async () => {
      await assert.rejects(exporter(log, dir), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'EISDIR');
        assert.ok(err.message.includes(dir), err.message);
        assert.match(err.message, /it is a folder/);
        return true;
      });
      assert.ok(fs.statSync(dir).isDirectory(), 'the folder is untouched');
    });

    it(`${format}: a path under a file rejects naming that file`, async () => {
      const file = path.join(dir, 'notes.txt');
      fs.writeFileSync(file, 'keep me');
      await assert.rejects(exporter(log, path.join(file, 'cap.out')), /notes\.txt is a file, not a folder/);
      assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    });
  }

  it('a folder the OS refuses to create files in (sysfs, even for root) rejects naming the path and cause', async function () {
    if (!fs.existsSync('/sys/kernel')) {
      this.skip(); // no sysfs (not Linux): the other cases still cover the error path
    }
    const file = '/sys/kernel/sp-capture.pcapng';
    await assert.rejects(exportPcapng(log, file), (err: Error & { code?: string }) => {
      assert.ok(err.message.startsWith(`cannot write ${file}: `), err.message);
      assert.ok(['EACCES', 'EROFS', 'EPERM'].includes(err.code ?? ''), err.code);
      return true;
    });
    assert.equal(fs.existsSync(file), false);
  });

  it('a disk that fills up half-way: rejects, and the partial file is removed', function () {
    // A child process with a file-size limit (ulimit -f) stands in for a disk that fills: the first writes land,
    // a later one fails with EFBIG. The child ignores SIGXFSZ so the write fails instead of the process dying.
    const exportJs = path.resolve(__dirname, '../../../../src/core/traffic/exportTraffic.js');
    const logJs = path.resolve(__dirname, '../../../../src/core/traffic/trafficLog.js');
    const file = path.join(dir, 'big.jsonl');
    const script = `
      process.on('SIGXFSZ', () => {});
      const { exportJsonl } = require(${JSON.stringify(exportJs)});
      const { TrafficLog } = require(${JSON.stringify(logJs)});
      const log = new TrafficLog({ maxEntries: 10000 }, 5);
      for (let i = 0; i < 2000; i++) {
        log.append({ socketId: 's', protocol: 'udp', event: 'receive', local: { address: '127.0.0.1', port: 1 },
          remote: { address: '127.0.0.1', port: 2 }, bytes: 1000, payload: Buffer.alloc(1000, 97), notes: [] });
      }
      exportJsonl(log, ${JSON.stringify(file)}).then(
        (n) => { console.log('resolved ' + n); log.dispose(); },
        (e) => { console.log('rejected ' + e.code + ' ' + e.message); log.dispose(); },
      );`;
    const r = spawnSync('sh', ['-c', 'ulimit -f 256 && exec "$0" -e "$1"', process.execPath, script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^rejected EFBIG cannot write .*big\.jsonl: the file would be larger/m, r.stdout);
    assert.equal(fs.existsSync(file), false, 'the partial file is gone');
  });

  it('a writable file still exports, and a failed export leaves an existing good folder as it was', async () => {
    const good = path.join(dir, 'ok.pcapng');
    assert.equal(await exportPcapng(log, good), 1);
    assert.ok(fs.statSync(good).size > 0);
    await assert.rejects(exportPcapng(log, '/dev/full'));
    assert.deepEqual(fs.readdirSync(dir), ['ok.pcapng']);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlaygroundError } from '../../../src/core/errors';
import { checkExportTarget } from '../../../src/core/validate';

describe('checkExportTarget (what an export would overwrite)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-target-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a new path, an existing file and a folder are told apart', async () => {
    assert.equal(await checkExportTarget(path.join(dir, 'new.jsonl')), 'new');
    fs.writeFileSync(path.join(dir, 'old.jsonl'), 'keep');
    assert.equal(await checkExportTarget(path.join(dir, 'old.jsonl')), 'file');
    assert.equal(await checkExportTarget(dir), 'other');
  });

  it('refuses a symbolic link, to a file or dangling, naming the path; the target is untouched', async () => {
    const target = path.join(dir, 'precious.txt');
    fs.writeFileSync(target, 'precious');
    for (const [name, to] of [
      ['link.jsonl', target],
      ['dangling.pcapng', path.join(dir, 'nowhere')],
    ] as const) {
      const link = path.join(dir, name);
      fs.symlinkSync(to, link);
      await assert.rejects(checkExportTarget(link), (err: unknown) => {
        assert.ok(err instanceof PlaygroundError);
        assert.equal(err.code, 'ESYMLINK');
        assert.ok(err.message.startsWith(`${link} is a symbolic link`), err.message);
        return true;
      });
    }
    assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
  });
});

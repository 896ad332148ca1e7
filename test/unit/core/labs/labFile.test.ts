import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listLabs } from '../../../../src/core/labs/labEngine';
import { LabFileError, parseLabFile, PARAM_RULES } from '../../../../src/core/labs/labFile';

const schemaPath = path.resolve(__dirname, '../../../../../schemas/lab.schema.json');

describe('Lab files (*.lab.json)', () => {
  it('a variant of a built-in lab: its params over the defaults, its texts and checks', () => {
    const lab = parseLabFile(
      JSON.stringify({
        id: 'pinger-lossy',
        extends: 'udp-pinger',
        title: 'Lossy pinger',
        instructions: 'Half the pings are lost.',
        params: { loss: 0.5, count: 6, port: 12345 },
        checks: [{ pattern: 'min/avg/max', message: 'Print the summary.' }],
      }),
      'lossy.lab.json',
    );
    assert.equal(lab.id, 'pinger-lossy');
    assert.equal(lab.title, 'Lossy pinger');
    assert.equal(lab.defaults.loss, 0.5);
    assert.equal(lab.defaults.count, 6);
    assert.equal(lab.defaults.port, 12345);
    assert.equal(lab.defaults.delayMs, 0, 'defaults kept for what the file does not set');
    assert.equal(lab.source, 'lossy.lab.json');
    assert.equal(lab.outputChecks?.[0]?.id, 'output-1');
  });

  it('every mistake names the file and the field', () => {
    const table: Array<[unknown, RegExp]> = [
      ['{', /x\.lab\.json: is not valid JSON/],
      [[], /must hold one JSON object/],
      [{ extends: 'udp-pinger' }, /"id" is required/],
      [{ id: 'Bad Id', extends: 'udp-pinger' }, /"id" must be lower-case/],
      [{ id: 'a', extends: 'nope' }, /"extends" must name a built-in lab/],
      [{ id: 'udp-pinger', extends: 'udp-pinger' }, /"id" "udp-pinger" is a built-in lab's id/],
      [{ id: 'a', extends: 'udp-pinger', params: { loss: 2 } }, /"params\.loss" must be from 0 to 1; got 2/],
      [{ id: 'a', extends: 'udp-pinger', params: { count: 1.5 } }, /"params\.count" must be an integer/],
      [
        { id: 'a', extends: 'udp-pinger', params: { sentence: 'x' } },
        /"params\.sentence" is not a parameter of udp-pinger/,
      ],
      [
        { id: 'a', extends: 'udp-uppercase-server', params: { sentences: [] } },
        /"params\.sentences" must be a list/,
      ],
      [
        { id: 'a', extends: 'udp-pinger', checks: [{ pattern: '(' }] },
        /"checks\[0\]\.pattern" is not a valid regular expression/,
      ],
      [
        { id: 'a', extends: 'udp-pinger', checks: [{ pattern: 'x', flags: 'g' }] },
        /"checks\[0\]\.flags" may hold only/,
      ],
      [{ id: 'a', extends: 'udp-pinger', colour: 'red' }, /"colour" is not a lab file field/],
    ];
    for (const [json, re] of table) {
      assert.throws(
        () => parseLabFile(typeof json === 'string' ? json : JSON.stringify(json), 'x.lab.json'),
        (err: unknown) => err instanceof LabFileError && re.test(err.message),
        `${JSON.stringify(json)} → ${re}`,
      );
    }
  });

  it("listLabs includes the folder's lab files (source = the file) and skips broken ones", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'labfiles-'));
    try {
      writeFileSync(
        path.join(dir, 'a.lab.json'),
        JSON.stringify({ id: 'my-client', extends: 'tcp-uppercase-client' }),
      );
      writeFileSync(path.join(dir, 'broken.lab.json'), '{"id": 1}');
      writeFileSync(path.join(dir, 'other.json'), '{}');
      const labs = await listLabs({ labFiles: [dir] });
      assert.equal(labs.length, 8);
      const mine = labs.find((l) => l.id === 'my-client');
      assert.equal(mine?.source, path.join(dir, 'a.lab.json'));
      assert.equal(mine?.role, 'client');
      assert.equal(mine?.defaults.port, 12000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the JSON schema knows every parameter the engine accepts, with the same ranges', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
    const props = schema.properties.params.properties as Record<
      string,
      { minimum?: number; maximum?: number }
    >;
    assert.deepEqual(Object.keys(props).sort(), Object.keys(PARAM_RULES).sort());
    for (const [name, rule] of Object.entries(PARAM_RULES)) {
      if (rule.min !== undefined) {
        assert.equal(props[name]?.minimum, rule.min, name);
        assert.equal(props[name]?.maximum, rule.max, name);
      }
    }
    assert.deepEqual(schema.required, ['id', 'extends']);
  });
});

/**
 * Runs scenario blocks against real servers through the socket engine's public methods, like the commands do:
 * the block's sockets show in the Sockets view and the traffic panel with their notes, and what they receive is
 * read back from the traffic log. Steps run in order; the first that fails skips the rest; every socket the
 * block opened is closed when it ends, on failure too.
 */
import { escapeText, toHex } from '../../shared/bytes';
import { parseEndpoint } from '../../shared/endpoint';
import { errorMessage, invalidArgument, PlaygroundError } from '../errors';
import { englishText, joinText, plainText, text, type Text } from '../../shared/l10n';
import type { Disposable } from '../events';
import type { SocketRegistry } from '../registry';
import type { ExpectMatch, ScenarioBlock, ScenarioFile, Segment, Step, StepOp } from './scenarioTypes';

export type StepStatus = 'passed' | 'failed' | 'skipped';

/** One step's outcome, exactly as `socketPlayground.runScenario` returns it (lines are 1-based). */
export type StepResult = { line: number; op: StepOp | 'syntax'; status: StepStatus; message: string };

/** A step's outcome with what the editor shows beside it: the expectation and the bytes that came. */
/** A step's outcome as the editor shows it: `text` is the message as a translatable text. */
export type StepRun = StepResult & { expected?: string; received?: Buffer; column?: number; text?: Text };

export type BlockResult = { name: string; line: number; passed: boolean; steps: StepResult[] };
export type ScenarioResult = { path: string; passed: boolean; blocks: BlockResult[] };

export type BlockRun = { name: string; line: number; passed: boolean; steps: StepRun[]; durationMs: number };
export type ScenarioRun = { path: string; passed: boolean; blocks: BlockRun[] };

export type RunOptions = {
  /** Run only the block with this name. */
  block?: string;
  /** Stops the run: the current step fails as cancelled, the rest is skipped, sockets are closed. */
  signal?: AbortSignal;
  onBlockStart?(block: ScenarioBlock): void;
  onStep?(block: ScenarioBlock, step: StepRun): void;
  onBlockEnd?(block: ScenarioBlock, run: BlockRun): void;
};

/** How often a waiting expectation looks for new log entries. */
const POLL_MS = 2;
const SLOW_POLL_MS = 25;

/** Bytes shown in messages: at most this many, as escaped text and hex. */
const SHOW_BYTES = 64;

/** `"HELLO\n" (48 45 4c 4c 4f 0a)`: what a failure message shows of some bytes, as text and hex. */
export function describeBytes(data: Buffer): string {
  return englishText(describeBytesText(data));
}

/** describeBytes as a translatable text (the bytes themselves read the same in every language). */
export function describeBytesText(data: Buffer): Text {
  if (data.length === 0) {
    return text('nothing (0 bytes)');
  }
  const shown = data.subarray(0, SHOW_BYTES);
  const more = data.length > SHOW_BYTES ? text(' … {0} bytes in all', data.length) : '';
  return joinText([`"${escapeText(shown)}" (${toHex(shown)})`, more], '');
}

function describeExpected(match: ExpectMatch, bytes: Buffer | undefined): Text {
  return match.kind === 'regex'
    ? text('a match for /{0}/{1}', match.source, match.flags)
    : describeBytesText(bytes!);
}

/** Strips a run down to the contract's shape. */
export function toScenarioResult(run: ScenarioRun): ScenarioResult {
  return {
    path: run.path,
    passed: run.passed,
    blocks: run.blocks.map((b) => ({
      name: b.name,
      line: b.line,
      passed: b.passed,
      steps: b.steps.map((s) => ({ line: s.line, op: s.op, status: s.status, message: s.message })),
    })),
  };
}

class StepFailure extends Error {
  constructor(
    readonly text: Text,
    readonly expected?: string,
    readonly received?: Buffer,
  ) {
    super(englishText(text));
  }
}

/**
 * What the block's socket received, read from the traffic log as its batches arrive. On TCP the bytes form one
 * buffer that expectations consume from the front; on UDP each datagram stays whole.
 */
class Inbox implements Disposable {
  private cursor: number;
  private socketId: string | undefined;
  private stream = Buffer.alloc(0);
  private readonly datagrams: Buffer[] = [];
  private seen = 0;
  closed = false;
  lost = false;
  truncated = false;
  private readonly listener: Disposable;
  private wake: (() => void) | undefined;

  constructor(private readonly registry: SocketRegistry) {
    this.cursor = registry.log.lastSeq + 1;
    this.listener = registry.log.onDidAppend(() => {
      this.pull();
      this.wake?.();
    });
  }

  watch(socketId: string): void {
    this.socketId = socketId;
    this.pull();
  }

  get pending(): Buffer {
    return this.stream;
  }

  private pull(): void {
    if (!this.socketId) {
      return;
    }
    const log = this.registry.log;
    if (this.cursor < log.firstSeq) {
      // Cleared or evicted before we read it: say so rather than wait for bytes that were already shown.
      this.lost = true;
      this.cursor = log.firstSeq;
    }
    for (const r of log.slice(this.cursor, log.lastSeq)) {
      if (r.socketId !== this.socketId) {
        continue;
      }
      if (r.event === 'receive') {
        if (r.truncated || !r.payload || r.payload.length < r.bytes) {
          this.truncated = true;
        }
        // A view into the log's storage: copy it before anything else is appended.
        const data = Buffer.from(r.payload ?? Buffer.alloc(0));
        if (r.protocol === 'tcp') {
          this.stream = this.stream.length ? Buffer.concat([this.stream, data]) : data;
        } else {
          this.datagrams.push(data);
          this.seen++;
        }
      } else if (r.event === 'close') {
        this.closed = true;
      }
    }
    this.cursor = log.lastSeq + 1;
  }

  consume(n: number): Buffer {
    const taken = this.stream.subarray(0, n);
    this.stream = this.stream.subarray(n);
    return taken;
  }

  takeDatagram(): Buffer | undefined {
    return this.datagrams.shift();
  }

  /** Datagrams received so far in the block (a silent peer may simply not be there). */
  get datagramsSeen(): number {
    return this.seen;
  }

  /** Resolves with check()'s answer once it gives one, or 'timeout' after `ms`. */
  until<T>(check: () => T | undefined, ms: number, signal: AbortSignal | undefined): Promise<T | 'timeout'> {
    // What came before this line asked for it may be in the log already, ahead of the next batch event.
    this.pull();
    const now = check();
    if (now !== undefined) {
      return Promise.resolve(now);
    }
    return new Promise<T | 'timeout'>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        clearTimeout(poll);
        signal?.removeEventListener('abort', onAbort);
      };
      const timer = setTimeout(() => {
        done();
        resolve('timeout');
      }, ms);
      // The log tells its listeners in batches (every 50 ms in the extension, for the panel): waiting for the
      // batch would cap a ping series at 20 round trips a second. While an expectation waits, look at the
      // log's last seq every 2 ms instead, and read as soon as something was appended; after the first
      // quarter second a slow server gets looked at less often, so a long @timeout costs little CPU.
      const started = Date.now();
      let poll: ReturnType<typeof setTimeout> | undefined;
      const look = () => {
        if (this.registry.log.lastSeq >= this.cursor && this.socketId) {
          this.pull();
          this.wake?.();
        }
        if (this.wake) {
          poll = setTimeout(look, Date.now() - started < 250 ? POLL_MS : SLOW_POLL_MS);
        }
      };
      poll = setTimeout(look, POLL_MS);
      const onAbort = () => {
        done();
        reject(new StepFailure(text('cancelled')));
      };
      signal?.addEventListener('abort', onAbort);
      this.wake = () => {
        let r: T | undefined;
        try {
          r = check();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (r !== undefined) {
          done();
          resolve(r);
        }
      };
    });
  }

  dispose(): void {
    this.listener.dispose();
    this.wake = undefined;
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StepFailure(text('cancelled')));
    };
    signal?.addEventListener('abort', onAbort);
  });
}

/** Decodes stream bytes for a regex; bytes that are not UTF-8 are read one char per byte so offsets stay exact. */
function asText(data: Buffer): { text: string; utf8: boolean } {
  const text = data.toString('utf8');
  return Buffer.from(text, 'utf8').equals(data)
    ? { text, utf8: true }
    : { text: data.toString('latin1'), utf8: false };
}

class BlockRunner {
  private readonly inbox: Inbox;
  private readonly opened: string[] = [];
  private readonly closing: Promise<unknown>[] = [];
  private socketId: string | undefined;
  private protocol: 'udp' | 'tcp' | undefined;
  private readonly vars = new Map<string, string>();

  constructor(
    private readonly registry: SocketRegistry,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.inbox = new Inbox(registry);
  }

  private resolve(segments: Segment[]): Buffer {
    return Buffer.concat(
      segments.map((s) => (Buffer.isBuffer(s) ? s : Buffer.from(this.vars.get(s.variable) ?? '', 'utf8'))),
    );
  }

  private resolveText(text: string): string {
    return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, name: string) => this.vars.get(name) ?? whole);
  }

  /** Runs one step; resolves with its success message or throws a StepFailure. */
  async exec(step: Step): Promise<{ text: Text; received?: Buffer; expected?: string }> {
    switch (step.op) {
      case 'server': {
        const arg: Record<string, unknown> = { port: step.port, behavior: step.behavior };
        if (step.reply) {
          arg['reply'] = step.reply.toString('utf8');
        }
        if (step.protocol === 'tcp') {
          arg['framing'] = step.framing;
        }
        const s =
          step.protocol === 'udp'
            ? await this.registry.startUdpServer(arg)
            : await this.registry.startTcpServer(arg);
        this.opened.push(s.id);
        this.vars.set('serverPort', String(s.local.port));
        return { text: text('started {0} ({1}); {{serverPort}} = {2}', s.label, s.id, s.local.port) };
      }
      case 'udp':
      case 'tcp': {
        const endpoint = this.resolveText(step.endpoint);
        const ep = parseEndpoint(endpoint);
        if (!ep) {
          throw new StepFailure(text('"{0}" is not HOST:PORT.', endpoint));
        }
        const s =
          step.op === 'udp'
            ? await this.registry.openUdpClient({ host: ep.address, port: ep.port })
            : await this.registry.connectTcpClient({
                host: ep.address,
                port: ep.port,
                timeoutMs: step.timeoutMs,
              });
        this.opened.push(s.id);
        this.socketId = s.id;
        this.protocol = step.op;
        this.inbox.watch(s.id);
        return {
          text:
            step.op === 'tcp'
              ? text('connected {0} ({1})', s.label, s.id)
              : text('opened {0} ({1})', s.label, s.id),
        };
      }
      case 'send': {
        const data = this.resolve(step.payload);
        const { bytes } = await this.registry.send({
          socketId: this.socketId,
          data: data.toString('hex'),
          encoding: 'hex',
        });
        return {
          text:
            bytes === 1
              ? text('sent {0} byte: {1}', bytes, describeBytesText(data))
              : text('sent {0} bytes: {1}', bytes, describeBytesText(data)),
        };
      }
      case 'expect':
        return this.expect(step.match, step.timeoutMs);
      case 'wait':
        await delay(step.ms, this.signal);
        return { text: text('waited {0} ms', step.ms) };
      case 'close': {
        const id = this.socketId!;
        if (this.registry.get(id)) {
          await this.registry.closeSocket({ socketId: id });
        }
        return { text: text('closed {0}', id) };
      }
      case 'end': {
        const id = this.socketId!;
        // close() sends FIN at once and resolves when the peer has closed too: meanwhile the socket still
        // reads, so the lines after `end` can expect the server's answer.
        this.closing.push(this.registry.closeSocket({ socketId: id }).catch(() => undefined));
        return { text: text('sent FIN on {0} (half-close); still reading', id) };
      }
    }
  }

  private async expect(
    match: ExpectMatch,
    timeoutMs: number,
  ): Promise<{ text: Text; received: Buffer; expected: string }> {
    const inbox = this.inbox;
    const wanted = match.kind === 'bytes' ? this.resolve(match.payload) : undefined;
    const re = match.kind === 'regex' ? new RegExp(this.resolveText(match.source), match.flags) : undefined;
    const expectedText = describeExpected(match, wanted);
    const expected = englishText(expectedText);
    const fail = (why: Text, got: Buffer) =>
      new StepFailure(
        text('expected {0}; {1} {2}', expectedText, why, describeBytesText(got)),
        expected,
        got,
      );
    const guard = () => {
      if (inbox.truncated) {
        throw new StepFailure(
          text(
            'a received payload was larger than the traffic log keeps (socketPlayground.maxPayloadBytes): raise it to compare these bytes.',
          ),
          expected,
        );
      }
      if (inbox.lost) {
        throw new StepFailure(
          text(
            'the traffic log was cleared (or evicted entries) before the received bytes were read: run the block again.',
          ),
          expected,
        );
      }
    };
    type Outcome = { ok: true; got: Buffer } | { ok: false; error: StepFailure };

    const check =
      this.protocol === 'udp'
        ? (): Outcome | undefined => {
            guard();
            const d = inbox.takeDatagram();
            if (!d) {
              return undefined;
            }
            const ok = wanted ? d.equals(wanted) : re!.test(asText(d).text);
            return ok
              ? { ok: true, got: d }
              : { ok: false, error: fail(text('the datagram that came is'), d) };
          }
        : (): Outcome | undefined => {
            guard();
            const buf = inbox.pending;
            if (wanted) {
              const n = Math.min(buf.length, wanted.length);
              if (!buf.subarray(0, n).equals(wanted.subarray(0, n))) {
                return {
                  ok: false,
                  error: fail(text('the stream has'), buf.subarray(0, Math.max(wanted.length, n))),
                };
              }
              if (buf.length >= wanted.length) {
                return { ok: true, got: inbox.consume(wanted.length) };
              }
            } else {
              const { text, utf8 } = asText(buf);
              re!.lastIndex = 0;
              const m = re!.exec(text);
              if (m) {
                const end = m.index + m[0].length;
                return { ok: true, got: inbox.consume(utf8 ? Buffer.byteLength(text.slice(0, end)) : end) };
              }
            }
            if (inbox.closed) {
              return { ok: false, error: fail(text('the connection closed, and before that came'), buf) };
            }
            return undefined;
          };
    const outcome = await inbox.until(check, timeoutMs, this.signal);
    if (outcome === 'timeout') {
      const got = this.protocol === 'udp' ? Buffer.alloc(0) : inbox.pending;
      throw new StepFailure(
        got.length
          ? text(
              'expected {0} within {1} ms; only this came: {2}',
              expectedText,
              timeoutMs,
              describeBytesText(got),
            )
          : text(
              'expected {0} within {1} ms; nothing came{2}',
              expectedText,
              timeoutMs,
              this.protocol === 'udp' && inbox.datagramsSeen === 0
                ? text(
                    ' (UDP has no connection: when no server listens on that port, nothing tells the client. Is the server running?)',
                  )
                : '',
            ),
        expected,
        got,
      );
    }
    if (!outcome.ok) {
      throw outcome.error;
    }
    return { text: text('received {0}', describeBytesText(outcome.got)), received: outcome.got, expected };
  }

  /** Closes every socket the block opened: its client first, then its server (which takes its connections). */
  async cleanup(): Promise<void> {
    this.inbox.dispose();
    await Promise.all(this.closing);
    for (const id of [...this.opened].reverse()) {
      if (this.registry.get(id)) {
        await this.registry.closeSocket({ socketId: id }).catch(() => undefined);
      }
    }
  }
}

/** Runs one parsed block; a block with syntax errors does not run (its steps are skipped). */
export async function runBlock(
  registry: SocketRegistry,
  block: ScenarioBlock,
  options: RunOptions = {},
): Promise<BlockRun> {
  const started = Date.now();
  const steps: StepRun[] = [];
  // Each message is made as a translatable text; the English goes in `message` (the run's contract).
  const report = (s: Omit<StepRun, 'message' | 'text'> & { text: Text }) => {
    const step: StepRun = { ...s, message: englishText(s.text) };
    steps.push(step);
    options.onStep?.(block, step);
  };
  options.onBlockStart?.(block);
  if (block.errors.length > 0) {
    for (const e of block.errors) {
      report({
        line: e.line,
        column: e.column,
        op: 'syntax',
        status: 'failed',
        text: text('line {0}, column {1}: {2}', e.line, e.column, e.text ?? e.message),
      });
    }
    for (const s of block.steps) {
      report({
        line: s.line,
        op: s.op,
        status: 'skipped',
        text: text('not run: the block has a syntax error'),
      });
    }
  } else {
    const runner = new BlockRunner(registry, options.signal);
    let failed = false;
    try {
      for (const step of block.steps) {
        if (failed) {
          report({
            line: step.line,
            op: step.op,
            status: 'skipped',
            text: text('skipped: an earlier step failed'),
          });
          continue;
        }
        try {
          if (options.signal?.aborted) {
            throw new StepFailure(text('cancelled'));
          }
          const r = await runner.exec(step);
          report({ line: step.line, op: step.op, status: 'passed', ...r });
        } catch (err) {
          failed = true;
          const f = err instanceof StepFailure ? err : undefined;
          report({
            line: step.line,
            op: step.op,
            status: 'failed',
            text:
              f?.text ??
              (err instanceof PlaygroundError && err.text ? err.text : plainText(errorMessage(err))),
            ...(f?.expected !== undefined ? { expected: f.expected } : {}),
            ...(f?.received !== undefined ? { received: f.received } : {}),
          });
        }
      }
    } finally {
      await runner.cleanup();
    }
  }
  const run: BlockRun = {
    name: block.name,
    line: block.line,
    passed: steps.every((s) => s.status === 'passed'),
    steps,
    durationMs: Date.now() - started,
  };
  options.onBlockEnd?.(block, run);
  return run;
}

/** Runs a parsed file's blocks one after another (or the one named in `options.block`). */
export async function runScenario(
  registry: SocketRegistry,
  file: ScenarioFile,
  path: string,
  options: RunOptions = {},
): Promise<ScenarioRun> {
  let blocks = file.blocks;
  if (options.block !== undefined) {
    blocks = blocks.filter((b) => b.name === options.block);
    if (blocks.length === 0) {
      throw invalidArgument(
        text(
          'no block named {0} in {1}; its blocks: {2}.',
          JSON.stringify(options.block),
          path,
          file.blocks.map((b) => JSON.stringify(b.name)).join(', ') ||
            text('none (start one with "### name")'),
        ),
      );
    }
  }
  const runs: BlockRun[] = [];
  for (const b of blocks) {
    runs.push(await runBlock(registry, b, options));
  }
  // A file without a block has nothing to pass: it fails, so a typo that swallowed every ### is not green.
  const passed = runs.length > 0 && runs.every((r) => r.passed);
  return { path, passed, blocks: runs };
}

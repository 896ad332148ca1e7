/**
 * The `*.sockets` scenario language: parses a file into named blocks of steps (open a socket, send, expect,
 * wait, close) and reports every syntax error with its line and column. Pure: no sockets, no `vscode`.
 *
 * Variables are substituted while parsing, in file order ("anywhere after it"), so a block run on its own sees
 * the same values as in a full run. Only `{{serverPort}}` is left for run time: the OS picks that port when the
 * block's own server starts. `repeat N` … `done` is unrolled here, with `{{i}}` the 1-based iteration.
 */
import { decodePayload } from '../sockets/codec';
import { parseEndpoint } from '../../shared/endpoint';
import type { Behavior, Framing, Protocol } from '../../shared/types';
import { englishText, plainText, text, type Text } from '../../shared/l10n';
import { PlaygroundError } from '../errors';
import { LineError, payloadSegments } from './escapes';
import {
  type ScenarioError,
  type Segment,
  type Step,
  type ScenarioBlock,
  type LineInfo,
  type LineKind,
  type VariableDef,
  type ScenarioFile,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  MAX_REPEAT,
  MAX_STEPS,
  RUNTIME_VARIABLES,
  KEYWORDS,
} from './scenarioTypes';

const NAME = /^[A-Za-z_][\w.-]*$/;
const VAR_REF = /\{\{\s*([^}]*?)\s*\}\}/g;
const BEHAVIORS: readonly Behavior[] = ['uppercase', 'echo', 'sink', 'fixed'];

/** Parse-time state that flows through the file in order. */
type Env = {
  vars: Map<string, VariableDef>;
  timeoutMs: number;
  /** Runtime variables the current block has defined so far (a `server` line defines serverPort). */
  runtime: Set<string>;
  /** The block's socket protocol once its `udp`/`tcp` line is seen. */
  protocol?: Protocol;
  closed: boolean;
  /** After `end` (FIN) the block may still expect, but not send. */
  ended: boolean;
};

/** One pass over a file's lines, in order; use parseScenario. */
export class ScenarioParser {
  private readonly errors: ScenarioError[] = [];
  private readonly blocks: ScenarioBlock[] = [];
  private readonly variables: VariableDef[] = [];
  private readonly infos: LineInfo[] = [];
  private readonly env: Env = {
    vars: new Map(),
    timeoutMs: DEFAULT_TIMEOUT_MS,
    runtime: new Set(),
    closed: false,
    ended: false,
  };
  private block: ScenarioBlock | undefined;
  private preambleErrors: ScenarioError[] = [];
  private stepCount = 0;
  private repeat: { count: number; line: number; body: { n: number; text: string }[] } | undefined;
  private readonly names = new Map<string, number>();

  constructor(private readonly source: string) {}

  parse(): ScenarioFile {
    const lines = this.source.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.replace(/\r$/, '');
      this.feed(i + 1, raw);
    }
    this.closeBlock(lines.length);
    return { blocks: this.blocks, errors: this.errors, variables: this.variables, lines: this.infos };
  }

  /** Records a problem; its message is a translatable text (the English goes in `message`). */
  private error(problem: Omit<ScenarioError, 'message' | 'text'> & { text: Text }): void {
    const e: ScenarioError = { ...problem, message: englishText(problem.text) };
    if (!this.errors.some((x) => x.line === e.line && x.column === e.column && x.message === e.message)) {
      this.errors.push(e);
    }
    (this.block ? this.block.errors : this.preambleErrors).push(e);
  }

  private feed(n: number, raw: string): void {
    const trimmed = raw.trim();
    if (trimmed.startsWith('###')) {
      this.closeBlock(n - 1);
      this.openBlock(n, raw);
      return;
    }
    if (this.repeat) {
      if (/^done\s*$/.test(trimmed)) {
        this.info(n, 'done', text('Ends the repeated lines.'));
        this.unroll();
        return;
      }
      if (/^repeat\b/.test(trimmed)) {
        this.lineError(
          n,
          raw,
          new LineError(
            text('a repeat inside a repeat is not supported: close the first with done.'),
            1,
            raw.length + 1,
          ),
        );
        return;
      }
      this.repeat.body.push({ n, text: raw });
      return;
    }
    this.parseLine(n, raw, true);
  }

  private openBlock(n: number, raw: string): void {
    const name = raw.trim().replace(/^#+/, '').trim() || `Block at line ${n}`;
    this.block = { name, line: n, endLine: n, steps: [], errors: [...this.preambleErrors] };
    this.env.runtime = new Set();
    this.env.protocol = undefined;
    this.env.closed = false;
    this.env.ended = false;
    this.info(
      n,
      'block',
      text('Starts the block **{0}**: it runs on its own (Send) or with the others (Run All).', name),
    );
    const first = this.names.get(name);
    if (first !== undefined) {
      this.error({
        line: n,
        column: 1,
        endColumn: raw.length + 1,
        text: text(
          'a block named "{0}" is already on line {1}: block names pick the block to run, so each must be unique.',
          name,
          first,
        ),
        code: 'duplicate-block',
      });
    } else {
      this.names.set(name, n);
    }
  }

  private closeBlock(lastLine: number): void {
    if (this.repeat) {
      const r = this.repeat;
      this.repeat = undefined;
      this.error({
        line: r.line,
        column: 1,
        endColumn: 7,
        text: text('repeat on line {0} has no done: end the repeated lines with a line "done".', r.line),
        code: 'syntax',
      });
      for (const b of r.body) {
        this.parseLine(b.n, b.text, true, 1);
      }
    }
    if (this.block) {
      this.block.endLine = Math.max(this.block.line, lastLine);
      this.blocks.push(this.block);
      this.block = undefined;
    }
  }

  private unroll(): void {
    const r = this.repeat!;
    this.repeat = undefined;
    for (let k = 1; k <= r.count; k++) {
      for (const b of r.body) {
        // Errors and hovers come from the first pass; the later ones only add steps.
        this.parseLine(b.n, b.text, k === 1, k);
        if (this.stepCount > MAX_STEPS) {
          this.error({
            line: r.line,
            column: 1,
            endColumn: 7,
            text: text(
              'this repeat unrolls to more than {0} steps in the file: repeat fewer times.',
              MAX_STEPS.toLocaleString('en-US'),
            ),
            code: 'syntax',
          });
          return;
        }
      }
    }
  }

  private info(n: number, kind: LineKind, detail: Text): void {
    this.infos.push({ line: n, kind, detail: englishText(detail), detailText: detail });
  }

  private lineError(n: number, raw: string, e: unknown): void {
    if (e instanceof LineError) {
      this.error({
        line: n,
        column: e.column,
        endColumn: Math.max(e.endColumn, e.column + 1),
        text: e.text,
        code: e.code,
      });
    } else {
      this.error({
        line: n,
        column: 1,
        endColumn: raw.length + 1,
        text: plainText(String(e)),
        code: 'syntax',
      });
    }
  }

  private addStep(step: Step): void {
    this.stepCount++;
    this.block!.steps.push(step);
  }

  private parseLine(n: number, raw: string, report: boolean, iteration?: number): void {
    const indent = raw.length - raw.trimStart().length;
    // Send and expect text keeps its trailing spaces: they are bytes on the wire.
    const body = /^\s*[<>]/.test(raw) ? raw.trimStart() : raw.trim();
    const col = indent + 1;
    if (body === '' || body.startsWith('#')) {
      if (report && body !== '') {
        this.info(n, 'comment', text('A comment: not sent, not run.'));
      }
      return;
    }
    try {
      this.parseStatement(n, body, col, report, iteration);
    } catch (e) {
      if (report) {
        this.lineError(n, raw, e);
      }
    }
  }

  private needBlock(what: string | Text, col: number, len: number): void {
    if (!this.block) {
      throw new LineError(
        text('{0} must be inside a block: start one with a line "### name" above it.', what),
        col,
        col + len,
      );
    }
  }

  private needSocket(what: string | Text, col: number, len: number): Protocol {
    this.needBlock(what, col, len);
    if (!this.env.protocol) {
      throw new LineError(
        text('{0} needs the block\'s socket first: add "udp HOST:PORT" or "tcp HOST:PORT" above it.', what),
        col,
        col + len,
      );
    }
    if (this.env.closed) {
      throw new LineError(
        text('the socket is already closed on an earlier line of this block: nothing more can happen on it.'),
        col,
        col + len,
      );
    }
    return this.env.protocol;
  }

  /** Replaces `{{name}}` with parse-time values; runtime variables stay when the block defines them. */
  private substituteRaw(raw: string, col: number, iteration?: number): string {
    return raw.replace(VAR_REF, (whole, name: string, offset: number) => {
      return this.lookup(name, col + offset, whole.length, iteration) ?? whole;
    });
  }

  /** A variable's value, undefined for a runtime variable, or an error naming what is defined. */
  private lookup(name: string, col: number, len: number, iteration?: number): string | undefined {
    if (name === 'i' && iteration !== undefined) {
      return String(iteration);
    }
    const v = this.env.vars.get(name);
    if (v) {
      return v.value;
    }
    if ((RUNTIME_VARIABLES as readonly string[]).includes(name)) {
      if (this.env.runtime.has(name)) {
        return undefined;
      }
      throw new LineError(
        text(
          '{{{0}}} is the port of the block\'s own server: add a "server udp|tcp BEHAVIOR 0" line above it in this block.',
          name,
        ),
        col,
        col + len,
        'unknown-variable',
      );
    }
    const known = [...this.env.vars.keys()];
    throw new LineError(
      text(
        'unknown variable {{{0}}}: define it above with "@{1} = value"{2}{3}.',
        name,
        NAME.test(name) ? name : 'name',
        known.length ? text(' (defined so far: {0})', known.join(', ')) : '',
        name === 'i' ? text('; {{i}} is only set between repeat and done') : '',
      ),
      col,
      col + len,
      'unknown-variable',
    );
  }

  /** Send/expect text: variables substituted, escapes turned into bytes, runtime variables kept as segments. */
  private payload(raw: string, col: number, iteration?: number): Segment[] {
    return payloadSegments(raw, col, (name, at, len) => this.lookup(name, at, len, iteration));
  }

  private parseStatement(n: number, body: string, col: number, report: boolean, iteration?: number): void {
    const say = (kind: LineKind, detail: Text) => {
      if (report) {
        this.info(n, kind, detail);
      }
    };
    if (body.startsWith('@')) {
      this.parseVariable(n, body, col, say, iteration);
      return;
    }
    if (body.startsWith('>') || body.startsWith('<')) {
      this.parseData(n, body, col, say, iteration);
      return;
    }
    const word = /^\S+/.exec(body)![0];
    const rest = body.slice(word.length).trim();
    const restCol = col + body.indexOf(rest, word.length);
    switch (word) {
      case 'udp':
      case 'tcp': {
        this.needBlock(`"${word}"`, col, word.length);
        if (this.env.protocol) {
          throw new LineError(
            text(
              'this block already has its socket ({0}): one socket per block. Start a new block with ###.',
              this.env.protocol,
            ),
            col,
            col + body.length,
          );
        }
        // Set before the endpoint is checked: a typo there is one error, not one more on every line below.
        this.env.protocol = word;
        if (!rest) {
          throw new LineError(
            text('"{0}" needs HOST:PORT, e.g. "{0} 127.0.0.1:12000".', word),
            col,
            col + word.length,
          );
        }
        const endpoint = this.substituteRaw(rest, restCol, iteration);
        const probe = parseEndpoint(endpoint.replace(VAR_REF, '1'));
        if (!probe || probe.port < 1 || probe.port > 65535) {
          throw new LineError(
            text(
              '"{0}" is not HOST:PORT with a port 1-65535 (e.g. 127.0.0.1:12000, localhost:8080, [::1]:12000).',
              endpoint,
            ),
            restCol,
            restCol + rest.length,
          );
        }
        this.addStep({ op: word, line: n, endpoint, timeoutMs: this.env.timeoutMs });
        say(
          'socket',
          word === 'udp'
            ? text(
                "Opens the block's socket: a **UDP client** that sends to `{0}` (no handshake; every datagram carries that destination). It closes when the block ends.",
                endpoint,
              )
            : text(
                'Opens the block\'s socket: a **TCP client** that connects to `{0}` (three-way handshake; fails with "connection refused" when nothing listens). It closes when the block ends.',
                endpoint,
              ),
        );
        return;
      }
      case 'server': {
        this.needBlock('"server"', col, word.length);
        this.parseServer(n, rest, restCol, say, iteration);
        return;
      }
      case 'wait': {
        this.needBlock('"wait"', col, word.length);
        const ms = this.milliseconds(
          this.substituteRaw(rest, restCol, iteration),
          restCol,
          rest.length,
          'wait',
          0,
        );
        this.addStep({ op: 'wait', line: n, ms });
        say(
          'wait',
          text(
            'Waits {0} ms before the next line (data that comes meanwhile is kept for the next expectation).',
            ms,
          ),
        );
        return;
      }
      case 'close':
      case 'end': {
        if (rest) {
          throw new LineError(text('"{0}" takes nothing after it.', word), restCol, restCol + rest.length);
        }
        const protocol = this.needSocket(`"${word}"`, col, word.length);
        if (word === 'end' && protocol === 'udp') {
          throw new LineError(
            text('"end" is a TCP half-close (FIN): UDP has no connection to half-close. Use "close".'),
            col,
            col + word.length,
          );
        }
        if (word === 'close') {
          this.env.closed = true;
        } else if (this.env.ended) {
          throw new LineError(
            text('the connection is already half-closed by an "end" above.'),
            col,
            col + word.length,
          );
        } else {
          this.env.ended = true;
        }
        this.addStep({ op: word, line: n });
        say(
          word,
          word === 'close'
            ? text("Closes the block's socket now (on TCP: FIN, then waits for the peer to close its side).")
            : text(
                'Half-closes the TCP connection: sends FIN ("I will send no more") and keeps reading, so the lines after it can still expect what the server answers. No sends after it.',
              ),
        );
        return;
      }
      case 'repeat': {
        this.needBlock('"repeat"', col, word.length);
        const count = Number(this.substituteRaw(rest, restCol, iteration));
        if (!Number.isInteger(count) || count < 1 || count > MAX_REPEAT) {
          // Still collect the lines up to "done" (once, for their own errors): the block will not run anyway.
          this.repeat = { count: 1, line: n, body: [] };
          throw new LineError(
            text(
              'repeat needs a whole number of times 1-{0}, e.g. "repeat 10"; got "{1}".',
              MAX_REPEAT,
              rest,
            ),
            restCol,
            restCol + Math.max(1, rest.length),
          );
        }
        this.repeat = { count, line: n, body: [] };
        say('repeat', text('Runs the lines up to "done" {0} times; {{i}} is the round, 1 to {0}.', count));
        return;
      }
      case 'done':
        throw new LineError(text('"done" without a "repeat" above it.'), col, col + word.length);
      default:
        throw new LineError(
          text(
            'unknown line "{0}": a line is a comment (#), a block (###), a variable (@name = value), a send (>), an expectation (<), or one of {1}.',
            word,
            KEYWORDS.join(', '),
          ),
          col,
          col + word.length,
        );
    }
  }

  private milliseconds(raw: string, col: number, len: number, what: string, min: number): number {
    const ms = Number(raw);
    if (raw === '' || !Number.isInteger(ms) || ms < min || ms > MAX_TIMEOUT_MS) {
      throw new LineError(
        text(
          '{0} needs milliseconds, a whole number {1}-{2}, e.g. "{3}"; got "{4}".',
          what,
          min,
          MAX_TIMEOUT_MS,
          what === 'wait' ? 'wait 200' : '@timeout = 500',
          raw,
        ),
        col,
        col + Math.max(1, len),
      );
    }
    return ms;
  }

  private parseVariable(
    n: number,
    body: string,
    col: number,
    say: (k: LineKind, d: Text) => void,
    iteration?: number,
  ): void {
    const m = /^@([^=\s]*)\s*(=?)\s*(.*)$/.exec(body)!;
    const name = m[1]!;
    if (!NAME.test(name)) {
      throw new LineError(
        text(
          '"@{0}" is not a variable name: use letters, digits, _ . - and start with a letter, e.g. "@port = 12000".',
          name,
        ),
        col,
        col + 1 + name.length,
      );
    }
    if (m[2] !== '=') {
      throw new LineError(text('"@{0}" needs "= value", e.g. "@{0} = 12000".', name), col, col + body.length);
    }
    const valueCol = col + body.length - m[3]!.length;
    const value = this.substituteRaw(m[3]!.trimEnd(), valueCol, iteration);
    if ((RUNTIME_VARIABLES as readonly string[]).includes(name)) {
      throw new LineError(
        text("{{{0}}} is set by the block's server line; it cannot be assigned.", name),
        col,
        col + 1 + name.length,
      );
    }
    if (name === 'timeout') {
      this.env.timeoutMs = this.milliseconds(value, valueCol, m[3]!.length, '@timeout', 1);
      say(
        'timeout',
        text(
          'How long each expectation (and a TCP connect) waits from here on: {0} ms (default {1}).',
          this.env.timeoutMs,
          DEFAULT_TIMEOUT_MS,
        ),
      );
    } else {
      say('variable', text('Sets {{{0}}} to `{1}` for the lines after it.', name, value));
    }
    const def = { name, line: n, value };
    this.env.vars.set(name, def);
    if (iteration === undefined || iteration === 1) {
      this.variables.push(def);
    }
  }

  private parseServer(
    n: number,
    rest: string,
    col: number,
    say: (k: LineKind, d: Text) => void,
    iteration?: number,
  ): void {
    const usage = text(
      'e.g. "server udp uppercase 0" (PROTOCOL BEHAVIOR PORT; port 0 lets the OS pick, in {{serverPort}})',
    );
    const words = rest.split(/\s+/).filter(Boolean);
    const protocol = words[0];
    if (protocol !== 'udp' && protocol !== 'tcp') {
      throw new LineError(
        text('server needs udp or tcp first, {0}.', usage),
        col,
        col + Math.max(1, (protocol ?? '').length),
      );
    }
    if (this.env.runtime.has('serverPort')) {
      throw new LineError(text('this block already starts a server: one per block.'), col, col + rest.length);
    }
    // As for the socket line: a mistake below is reported once, not again at every {{serverPort}}.
    this.env.runtime.add('serverPort');
    const behavior = (words[1] ?? 'uppercase') as Behavior;
    if (!BEHAVIORS.includes(behavior)) {
      const at = col + rest.indexOf(words[1]!);
      throw new LineError(
        text('unknown behaviour "{0}": one of {1}; {2}.', words[1]!, BEHAVIORS.join(', '), usage),
        at,
        at + words[1]!.length,
      );
    }
    const portText = this.substituteRaw(words[2] ?? '0', col, iteration);
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      const at = col + rest.indexOf(words[2]!);
      throw new LineError(
        text('server port must be 0-65535 (0: the OS picks a free one); got "{0}".', portText),
        at,
        at + words[2]!.length,
      );
    }
    let reply: Buffer | undefined;
    let framing: Framing = 'chunk';
    if (behavior === 'fixed') {
      const m = /^\S+\s+\S+\s+\S+\s?(.*)$/.exec(rest);
      const raw = m?.[1] ?? '';
      if (!raw) {
        throw new LineError(
          text('server … fixed PORT needs the reply text after the port, e.g. "server tcp fixed 0 OK\\n".'),
          col,
          col + rest.length,
        );
      }
      const segs = this.payload(raw, col + rest.length - raw.length, iteration);
      if (segs.some((s) => !Buffer.isBuffer(s))) {
        throw new LineError(text('a fixed reply cannot use {{serverPort}}.'), col, col + rest.length);
      }
      reply = Buffer.concat(segs as Buffer[]);
    } else if (words[3] !== undefined) {
      if (words[3] !== 'line' && words[3] !== 'chunk') {
        const at = col + rest.lastIndexOf(words[3]);
        throw new LineError(
          text('after the port comes the TCP framing, "line" or "chunk"; got "{0}".', words[3]),
          at,
          at + words[3].length,
        );
      }
      if (protocol === 'udp') {
        const at = col + rest.lastIndexOf(words[3]);
        throw new LineError(
          text('framing is for TCP servers: a UDP server answers each datagram.'),
          at,
          at + words[3].length,
        );
      }
      framing = words[3];
      if (words.length > 4) {
        throw new LineError(
          text('unexpected "{0}" at the end; {1}.', words.slice(4).join(' '), usage),
          col,
          col + rest.length,
        );
      }
    }
    this.addStep({ op: 'server', line: n, protocol, behavior, port, reply, framing });
    say(
      'server',
      text(
        'Starts a playground **{0} server** ({1}{2}) on port {3}; {{serverPort}} is its port. It shows in the Sockets view and closes when the block ends.',
        protocol.toUpperCase(),
        behavior,
        framing === 'line' ? text(', line framing') : '',
        port === 0 ? text('picked by the OS') : port,
      ),
    );
  }

  private parseData(
    n: number,
    body: string,
    col: number,
    say: (k: LineKind, d: Text) => void,
    iteration?: number,
  ): void {
    const send = body[0] === '>';
    const what = send ? text('a send') : text('an expectation');
    const protocol = this.needSocket(what, col, 1);
    if (send && this.env.ended) {
      throw new LineError(
        text('no sends after "end": the FIN told the server this side sends no more.'),
        col,
        col + body.length,
      );
    }
    const enc = /^[<>](hex|b64)(?:\s+|$)/.exec(body);
    let segments: Segment[];
    let display: string;
    if (enc) {
      const raw = this.substituteRaw(body.slice(enc[0].length), col + enc[0].length, iteration);
      try {
        segments = [decodePayload(raw, enc[1] === 'hex' ? 'hex' : 'base64')];
      } catch (e) {
        throw new LineError(
          e instanceof PlaygroundError && e.text
            ? e.text
            : plainText(e instanceof Error ? e.message : String(e)),
          col + enc[0].length,
          col + body.length,
        );
      }
      display = `${enc[1]} ${raw}`;
    } else {
      const textStart = body.length > 1 && body[1] === ' ' ? 2 : 1;
      const raw = body.slice(textStart);
      const textCol = col + textStart;
      if (
        !send &&
        raw.length >= 2 &&
        raw.startsWith('/') &&
        /\/[a-z]*$/.test(raw) &&
        raw.lastIndexOf('/') > 0
      ) {
        const slash = raw.lastIndexOf('/');
        const flags = raw.slice(slash + 1);
        const source = this.substituteRaw(raw.slice(1, slash), textCol + 1, iteration);
        const bad = [...flags].find((f) => !'imsu'.includes(f));
        if (bad) {
          throw new LineError(
            text('regex flag "{0}" is not allowed: use i, m, s or u.', bad),
            textCol + slash + 1,
            textCol + raw.length,
          );
        }
        try {
          new RegExp(source.replace(VAR_REF, '0'), flags);
        } catch (e) {
          throw new LineError(
            text('not a valid regular expression: {0}', e instanceof Error ? e.message : String(e)),
            textCol,
            textCol + raw.length,
            'regex',
          );
        }
        this.addStep({
          op: 'expect',
          line: n,
          match: { kind: 'regex', source, flags, display: `/${source}/${flags}` },
          timeoutMs: this.env.timeoutMs,
        });
        say(
          'expect',
          protocol === 'udp'
            ? text(
                'Expects the next datagram to match `/{0}/{1}`, within {2} ms.',
                source,
                flags,
                this.env.timeoutMs,
              )
            : text(
                'Expects the bytes that come next to match `/{0}/{1}` (tried each time bytes arrive; what follows the match is kept for the next line), within {2} ms.',
                source,
                flags,
                this.env.timeoutMs,
              ),
        );
        return;
      }
      segments = this.payload(raw, textCol, iteration);
      display = raw;
    }
    const known = segments.every((s) => Buffer.isBuffer(s)) ? Buffer.concat(segments as Buffer[]) : undefined;
    const hex = known?.length
      ? ` (${[...known.subarray(0, 32)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}${known.length > 32 ? ' …' : ''})`
      : '';
    const bytes = known
      ? known.length === 1
        ? text('{0} byte{1}', known.length, hex)
        : text('{0} bytes{1}', known.length, hex)
      : text('bytes with {{serverPort}} filled in at run time');
    if (send) {
      this.addStep({ op: 'send', line: n, payload: segments, display });
      say(
        'send',
        protocol === 'udp'
          ? text('Sends one datagram of {0}.', bytes)
          : text(
              'Writes {0} onto the TCP stream (the server may read them in several pieces, or together with the next send).',
              bytes,
            ),
      );
    } else {
      this.addStep({
        op: 'expect',
        line: n,
        match: { kind: 'bytes', payload: segments, display },
        timeoutMs: this.env.timeoutMs,
      });
      say(
        'expect',
        protocol === 'udp'
          ? text('Expects the next datagram to be exactly {0}, within {1} ms.', bytes, this.env.timeoutMs)
          : text(
              'Expects the next {0} on the stream, within {1} ms; they may come in several segments, and what comes after them is kept for the next line.',
              bytes,
              this.env.timeoutMs,
            ),
      );
    }
  }
}

/** Parses a scenario file. Never throws: problems are in `errors`, and in the `errors` of the blocks they stop. */
export function parseScenario(source: string): ScenarioFile {
  return new ScenarioParser(source).parse();
}

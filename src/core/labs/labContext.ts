/**
 * What a lab definition works with during one run: the engine (registry and traffic log), the resolved
 * parameters, the seeded random stream, the student's program, and waiting on events (log entries, output,
 * the program's exit) with a deadline. Everything it starts is stopped by `dispose()`.
 */
import { seededRandom } from '../sockets/behavior';
import { deriveSeed } from '../sockets/impairment';
import { getNote } from '../notes/notes';
import type { Disposable } from '../events';
import type { SocketRegistry } from '../registry';
import type { LogRecord, TrafficLog } from '../traffic/trafficLog';
import type { NoteRef, SocketId, SocketInfo } from '../../shared/types';
import { ProgramProcess, type ProgramExit } from './processRunner';
import type { LabParams } from './types';

/** A note as a check links it: its id and title (the id alone if a course pack has dropped the note). */
export function noteRef(id: string): NoteRef {
  return { id, title: getNote(id)?.title ?? id };
}

export type LabEngine = { registry: SocketRegistry; log: TrafficLog };

export type ProgramSpec = { argv: string[]; cwd?: string; input?: string };

export class LabRunContext implements Disposable {
  /** Sockets this run opened, and the connections they accepted: the run's traffic. */
  private readonly owned = new Set<SocketId>();
  private readonly disposables: Disposable[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly wakers = new Set<() => void>();
  private disposed = false;
  /** The first log seq of this run: earlier entries are someone else's. */
  readonly firstSeq: number;
  program: ProgramProcess | undefined;
  /** True when the program was still running at the deadline and was stopped. */
  timedOut = false;
  readonly startedAt = Date.now();
  readonly deadline: number;

  constructor(
    readonly engine: LabEngine,
    readonly params: LabParams,
    readonly seed: number,
    readonly timeoutMs: number,
    private readonly programSpec: ProgramSpec,
    /** The port the lab runs on; a lab may change it once it knows the real one (port 0). */
    public port: number,
  ) {
    this.firstSeq = engine.log.lastSeq + 1;
    this.deadline = this.startedAt + timeoutMs;
    this.disposables.push(
      engine.registry.onDidChange((e) => {
        if (e.type === 'added' && e.socket.parentId && this.owned.has(e.socket.parentId)) {
          this.owned.add(e.socket.id);
        }
        this.wake();
      }),
      engine.log.onDidAppend(() => this.wake()),
    );
  }

  get registry(): SocketRegistry {
    return this.engine.registry;
  }

  get log(): TrafficLog {
    return this.engine.log;
  }

  /** A random stream for one purpose (salt), derived from the run's seed: purposes do not disturb each other. */
  random(salt: number): () => number {
    return seededRandom(deriveSeed(this.seed, 100 + salt));
  }

  /** Marks a socket as this run's (its traffic is evidence; it is closed at the end). */
  own(info: SocketInfo): SocketInfo {
    this.owned.add(info.id);
    return info;
  }

  /** This run's log entries (its sockets only), in seq order. */
  entries(): LogRecord[] {
    const log = this.engine.log;
    const from = Math.max(this.firstSeq, log.firstSeq);
    if (from > log.lastSeq) {
      return [];
    }
    return log.slice(from, log.lastSeq).filter((r) => this.owned.has(r.socketId));
  }

  /** Calls `fn` for each new log entry of this run's sockets (in seq order) until the run ends. */
  onEntry(fn: (r: LogRecord) => void): void {
    let next = this.engine.log.lastSeq + 1;
    const handle = () => {
      const log = this.engine.log;
      for (let seq = Math.max(next, log.firstSeq); seq <= log.lastSeq; seq++) {
        const r = log.get(seq);
        if (r && this.owned.has(r.socketId) && !this.disposed) {
          fn(r);
        }
      }
      next = log.lastSeq + 1;
    };
    this.disposables.push(this.engine.log.onDidAppend(handle));
  }

  /**
   * Starts the student's program, with `{port}` and `{host}` in its argv replaced. `adjust` lets a lab change
   * where and how it runs (the web-server lab runs it in a fresh folder).
   */
  startProgram(
    extraEnv?: Record<string, string>,
    adjust?: (spec: ProgramSpec) => ProgramSpec,
  ): ProgramProcess {
    const spec = adjust ? adjust(this.programSpec) : this.programSpec;
    const argv = spec.argv.map((a) =>
      a.replace(/\{port\}/g, String(this.port)).replace(/\{host\}/g, '127.0.0.1'),
    );
    const p = new ProgramProcess({
      argv,
      cwd: spec.cwd,
      input: spec.input,
      env: extraEnv,
    });
    this.program = p;
    p.onOutput(() => this.wake());
    void p.exited.then(() => this.wake());
    return p;
  }

  private wake(): void {
    for (const w of [...this.wakers]) {
      w();
    }
  }

  /** Milliseconds left before the deadline. */
  get remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /**
   * Resolves with the first non-undefined value of `probe`, re-evaluated on every log batch, socket change,
   * program output and exit; undefined after `ms` (capped by the deadline) or when the run is disposed.
   */
  waitFor<T>(probe: () => T | undefined, ms = this.remainingMs): Promise<T | undefined> {
    const first = probe();
    if (first !== undefined || this.disposed) {
      return Promise.resolve(first);
    }
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: T | undefined) => {
        if (!done) {
          done = true;
          this.wakers.delete(waker);
          this.wakers.delete(cancel);
          clearTimeout(timer);
          this.timers.delete(timer);
          resolve(v);
        }
      };
      const waker = () => {
        const v = probe();
        if (v !== undefined) {
          finish(v);
        }
      };
      const cancel = () => {
        if (this.disposed) {
          finish(undefined);
        }
      };
      const timer = setTimeout(() => finish(probe()), Math.min(ms, this.remainingMs));
      this.timers.add(timer);
      this.wakers.add(waker);
      this.wakers.add(cancel);
    });
  }

  /** Calls `fn` after `ms` unless the run ended first (the pinger server's delay). */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.disposed) {
        fn();
      }
    }, ms);
    this.timers.add(t);
  }

  /** Waits for the program to exit, until the deadline; then stops it (timedOut) and waits for it to be gone. */
  async programExit(): Promise<ProgramExit | undefined> {
    const p = this.program;
    if (!p) {
      return undefined;
    }
    const exit = await this.waitFor(() => p.exit);
    if (exit) {
      return exit;
    }
    this.timedOut = true;
    await p.stop();
    return undefined;
  }

  /** Stops the program's whole tree and closes every socket of the run; resolves when all is gone. */
  async close(): Promise<void> {
    await this.program?.stop();
    const registry = this.engine.registry;
    // Servers first: their accepted connections go with them.
    const ids = [...this.owned].sort((a, b) => Number(b.includes('server')) - Number(a.includes('server')));
    for (const id of ids) {
      if (registry.get(id)) {
        await registry.closeSocket({ socketId: id }).catch(() => undefined);
      }
    }
    this.dispose();
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.wake();
    for (const t of this.timers) {
      clearTimeout(t);
    }
    this.timers.clear();
    this.wakers.clear();
    for (const d of this.disposables) {
      d.dispose();
    }
    this.program?.stop().catch(() => undefined);
  }
}

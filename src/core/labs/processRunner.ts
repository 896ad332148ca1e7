/**
 * Runs the student's program: its own process group (so the whole tree can be ended at once), stdin from the
 * lab, stdout and stderr captured in arrival order up to a cap. The only module of the engine that starts
 * processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** How much of the program's output a run keeps (stdout and stderr together). */
export const OUTPUT_CAP = 64 * 1024;

export type ProgramOptions = {
  argv: string[];
  cwd?: string;
  /** Written to stdin, which is then closed. Undefined: stdin is closed at once. */
  input?: string;
  env?: Record<string, string>;
};

export type ProgramExit = { code: number | null; signal: string | null; timeMs: number };

/** A running program. `stop()` ends its whole process tree; `exited` resolves once it is gone. */
export class ProgramProcess {
  private readonly child: ChildProcess | undefined;
  private readonly chunks: Buffer[] = [];
  private held = 0;
  private truncatedBytes = 0;
  private exitInfo: ProgramExit | undefined;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when the program could not be started (e.g. ENOENT). */
  readonly startError: Error | undefined;
  /** Resolves when the program has exited and its output pipes are closed. */
  readonly exited: Promise<ProgramExit>;
  readonly startedAt = Date.now();
  /** True once stop() was called while the program still ran. */
  killed = false;
  private outputListeners = new Set<() => void>();

  constructor(options: ProgramOptions) {
    const [file, ...args] = options.argv;
    let resolveExit!: (e: ProgramExit) => void;
    this.exited = new Promise((r) => (resolveExit = r));
    const finish = (code: number | null, signal: string | null) => {
      if (!this.exitInfo) {
        this.exitInfo = { code, signal, timeMs: Date.now() };
        if (this.stopTimer) {
          clearTimeout(this.stopTimer);
          this.stopTimer = undefined;
        }
        // The program is gone, but what it started may not be: end the rest of its group too.
        this.signalGroup('SIGKILL');
        resolveExit(this.exitInfo);
      }
    };
    let child: ChildProcess;
    try {
      child = spawn(file!, args, {
        cwd: options.cwd,
        // Its own process group: process.kill(-pid) reaches the program and everything it started.
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
        // Python buffers stdout when it is a pipe: without this a killed program's prints would be lost.
        env: { ...process.env, PYTHONUNBUFFERED: '1', ...options.env },
      });
    } catch (err) {
      this.startError = err instanceof Error ? err : new Error(String(err));
      finish(null, null);
      return;
    }
    this.child = child;
    child.on('error', (err) => {
      // ENOENT and EACCES come here, with no 'exit' but a 'close'.
      (this as { startError: Error | undefined }).startError ??= err;
    });
    child.stdout?.on('data', (c: Buffer) => this.take(c));
    child.stderr?.on('data', (c: Buffer) => this.take(c));
    child.stdin?.on('error', () => undefined); // the program may exit without reading its input (EPIPE)
    child.on('close', (code, signal) => finish(this.startError ? null : code, signal));
    if (options.input !== undefined) {
      child.stdin?.end(options.input);
    } else {
      child.stdin?.end();
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The exit, once the program has exited. */
  get exit(): ProgramExit | undefined {
    return this.exitInfo;
  }

  /** Everything printed so far (stdout and stderr in arrival order), capped at OUTPUT_CAP. */
  get output(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.truncatedBytes > 0 ? `${text}\n[… ${this.truncatedBytes} more bytes not kept]` : text;
  }

  /** Calls `fn` each time the program prints something; returns a function that stops listening. */
  onOutput(fn: () => void): () => void {
    this.outputListeners.add(fn);
    return () => this.outputListeners.delete(fn);
  }

  private take(c: Buffer): void {
    const room = OUTPUT_CAP - this.held;
    if (room > 0) {
      const part = c.length <= room ? c : c.subarray(0, room);
      this.chunks.push(Buffer.from(part));
      this.held += part.length;
    }
    this.truncatedBytes += Math.max(0, c.length - Math.max(room, 0));
    for (const fn of this.outputListeners) {
      fn();
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) {
      return;
    }
    try {
      process.kill(process.platform === 'win32' ? pid : -pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /** Ends the program's whole process tree (SIGTERM, then SIGKILL after `graceMs`); resolves once it exited. */
  stop(graceMs = 500): Promise<ProgramExit> {
    if (!this.exitInfo && !this.stopTimer) {
      this.killed = true;
      this.signalGroup('SIGTERM');
      this.stopTimer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    }
    return this.exited;
  }
}

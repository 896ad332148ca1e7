/**
 * The textbook Python 3 programs (test/fixtures/textbook) as real processes, for every test stage: a server is
 * started on a port the OS picks and found by the port it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** The folder of the textbook programs (this file runs from out/test/). */
export const TEXTBOOK = path.resolve(__dirname, '../../test/fixtures/textbook');

/** How long a server may take to print its port: generous, a loaded two-core machine starts python3 slowly. */
const START_MS = 30_000;

/**
 * Starts a textbook server (`UDPServer.py`, `TCPServer.py`, …) on port 0 of `host`, with `extraArgs` after the
 * port and host, and resolves once it printed the port it got. If it exits first or says nothing in time, it is
 * killed and the promise rejects with what it printed.
 */
export function startPythonServer(
  program: string,
  host = '127.0.0.1',
  extraArgs: readonly string[] = [],
): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn('python3', [path.join(TEXTBOOK, program), '0', host, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (err: Error) => {
      clearTimeout(timer);
      proc.kill();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`${program} did not start: ${out}`)), START_MS);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.removeListener('exit', onExit);
        resolve({ proc, port: Number(m[1]) });
      }
    });
    const onExit = (code: number | null) =>
      fail(new Error(`${program} exited with ${code} before its port: ${out}`));
    proc.once('exit', onExit);
    proc.once('error', fail);
  });
}

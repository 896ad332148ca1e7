// Real peers for the UI tests: the textbook Python 3 programs (and other Python scripts) as separate processes.
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as path from 'node:path';
import { TEXTBOOK } from '../textbook';

export { startPythonServer, TEXTBOOK } from '../textbook';

/**
 * Runs a Python script to its end with `input` on stdin and resolves with what it printed; rejects on a non-zero
 * exit or after `timeoutMs`. `script` is a path, or the name of a textbook program.
 */
export function runPython(
  script: string,
  args: string[],
  input: string,
  timeoutMs = 30_000,
): Promise<string> {
  const file = path.isAbsolute(script) ? script : path.join(TEXTBOOK, script);
  return new Promise((resolve, reject) => {
    const p = spawn('python3', [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${path.basename(file)} did not finish in ${timeoutMs} ms: ${out}${err}`));
    }, timeoutMs);
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(out);
      } else {
        reject(new Error(`${path.basename(file)} exited ${code}: ${err}`));
      }
    });
    p.stdin.end(input);
  });
}

/** Whether a loopback port can be bound now (false: someone holds it). */
export function canBind(port: number, proto: 'tcp' | 'udp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (proto === 'tcp') {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    } else {
      const u = dgram.createSocket('udp4');
      u.once('error', () => {
        u.close();
        resolve(false);
      });
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    }
  });
}

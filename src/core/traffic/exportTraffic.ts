/** Streams the traffic log to disk (docs/contract.md, export formats). Never builds the whole file in memory. */
import { lstat, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { PlaygroundError, invalidArgument } from '../errors';
import { PcapngConverter, pcapngHeader } from './pcapng';
import { toTrafficEntry, type LogRecord, type TrafficLog } from './trafficLog';
import { describe, rejectUnknownKeys, requireObject, validateEnum } from '../validate';

export type ExportFormat = 'jsonl' | 'pcapng';

export type ExportArgs = { path: string; format: ExportFormat };

export function validateExportArgs(arg: unknown, baseDir: string | undefined): ExportArgs {
  const o = requireObject(arg, 'exportTraffic');
  rejectUnknownKeys(o, ['path', 'format'], 'exportTraffic');
  const p = o['path'];
  if (typeof p !== 'string' || p.trim() === '') {
    throw invalidArgument(
      `exportTraffic needs path: the file to write, e.g. "/tmp/capture.jsonl"; got ${describe(p)}.`,
    );
  }
  const format = validateEnum<ExportFormat>(o['format'] ?? inferFormat(p), ['jsonl', 'pcapng'], 'format');
  let abs = p;
  if (!path.isAbsolute(p)) {
    if (!baseDir) {
      throw invalidArgument(`path must be absolute when no folder is open; got ${JSON.stringify(p)}.`);
    }
    abs = path.resolve(baseDir, p);
  }
  return { path: abs, format };
}

function inferFormat(p: string): string | undefined {
  return p.endsWith('.pcapng') ? 'pcapng' : p.endsWith('.jsonl') ? 'jsonl' : undefined;
}

/** Why a write to `file` failed, in words, with the OS's code (ENOSPC, EISDIR, EROFS, ...). */
export function exportFailure(file: string, err: unknown): PlaygroundError {
  if (err instanceof PlaygroundError) {
    return err;
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is used up',
    EISDIR: 'it is a folder, not a file',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'the operation is not permitted',
    ENOENT: 'the folder does not exist',
    EIO: 'an input/output error',
    EFBIG: 'the file would be larger than this process may write',
  };
  const message = err instanceof Error ? err.message : String(err);
  return new PlaygroundError(`cannot write ${file}: ${why[code] ?? message} (${code}).`, code);
}

/**
 * The export's output file. Every write and the close are awaited, so a failure at any point (a full disk on the
 * last block, a file system that fails on close) rejects the export instead of being reported as a success.
 */
export class ExportFile {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens (creates or truncates) `file` for writing; rejects naming the path and the cause. */
  static async open(file: string): Promise<ExportFile> {
    const dir = path.dirname(file);
    const st = await stat(dir).catch(() => undefined);
    if (!st) {
      throw new PlaygroundError(`cannot write ${file}: the folder ${dir} does not exist.`, 'ENOENT');
    }
    if (!st.isDirectory()) {
      throw new PlaygroundError(`cannot write ${file}: ${dir} is a file, not a folder (ENOTDIR).`, 'ENOTDIR');
    }
    try {
      return new ExportFile(file, await open(file, 'w'));
    } catch (err) {
      throw exportFailure(file, err);
    }
  }

  /** Writes all of `chunk` (a short write is continued). */
  async write(chunk: string | Buffer): Promise<void> {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    try {
      for (let off = 0; off < buf.length;) {
        const { bytesWritten } = await this.fh.write(buf, off, buf.length - off);
        if (bytesWritten <= 0) {
          throw Object.assign(new Error('nothing was written'), { code: 'EIO' });
        }
        off += bytesWritten;
      }
    } catch (err) {
      throw exportFailure(this.path, err);
    }
  }

  /** Flushes and closes; rejects if the data did not reach the file. */
  async close(): Promise<void> {
    try {
      await this.fh.close();
    } catch (err) {
      throw exportFailure(this.path, err);
    }
  }

  /** After a failure: closes and removes the partial file (a regular file only: never /dev/full or a FIFO). */
  async abandon(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    const st = await lstat(this.path).catch(() => undefined);
    if (st?.isFile()) {
      await unlink(this.path).catch(() => undefined);
    }
  }
}

/** Opens `file`, runs `body`, and closes it; on any failure removes the partial file and rethrows. */
async function writeExport<T>(file: string, body: (out: ExportFile) => Promise<T>): Promise<T> {
  const out = await ExportFile.open(file);
  let result: T;
  try {
    result = await body(out);
    await out.close();
  } catch (err) {
    await out.abandon();
    throw exportFailure(file, err);
  }
  return result;
}

/** One TrafficEntry per line, in seq order. A snapshot of the seq range is taken first, so traffic during the export does not change it. */
export async function exportJsonl(log: TrafficLog, file: string): Promise<number> {
  const last = log.lastSeq;
  const first = log.firstSeq;
  return writeExport(file, async (out) => {
    let n = 0;
    let buf = '';
    for (let seq = first; seq <= last; seq++) {
      const r: LogRecord | undefined = log.get(seq);
      if (!r) {
        continue; // evicted while we wrote
      }
      buf += JSON.stringify(toTrafficEntry(r)) + '\n';
      n++;
      if (buf.length > 1 << 16) {
        await out.write(buf);
        buf = '';
      }
    }
    if (buf) {
      await out.write(buf);
    }
    return n;
  });
}

/** pcapng for Wireshark: streamed block by block. Returns the number of log entries it covered. */
export async function exportPcapng(log: TrafficLog, file: string): Promise<number> {
  const first = log.firstSeq;
  const last = log.lastSeq;
  const conv = new PcapngConverter();
  for (let seq = first; seq <= last; seq++) {
    const r = log.get(seq);
    if (r) {
      conv.learn(r);
    }
  }
  return writeExport(file, async (out) => {
    let n = 0;
    await out.write(pcapngHeader());
    let pending: Buffer[] = [];
    let size = 0;
    for (let seq = first; seq <= last; seq++) {
      const r = log.get(seq);
      if (!r) {
        continue;
      }
      n++;
      // Built before the next await: a record's payload is a view into the log's storage.
      for (const b of conv.packets(r)) {
        pending.push(b);
        size += b.length;
      }
      if (size > 1 << 16) {
        await out.write(Buffer.concat(pending, size));
        pending = [];
        size = 0;
      }
    }
    if (size) {
      await out.write(Buffer.concat(pending, size));
    }
    return n;
  });
}

/** Streams the traffic log to disk (docs/contract.md, export formats). Never builds the whole file in memory. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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

/** Writes a chunk, waiting for the stream to drain when its buffer is full. */
export function writeChunk(out: WriteStream, chunk: string | Buffer): Promise<void> | undefined {
  if (out.write(chunk)) {
    return undefined;
  }
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      out.off('drain', onDrain);
      reject(err);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

export async function openExportStream(file: string): Promise<WriteStream> {
  const dir = path.dirname(file);
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new PlaygroundError(`cannot write ${file}: the folder ${dir} does not exist.`, 'ENOENT');
  }
  const out = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', (err) =>
      reject(
        new PlaygroundError(
          `cannot write ${file}: ${err.message}`,
          (err as NodeJS.ErrnoException).code ?? 'EIO',
        ),
      ),
    );
  });
  return out;
}

export async function closeExportStream(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

/** One TrafficEntry per line, in seq order. A snapshot of the seq range is taken first, so traffic during the export does not change it. */
export async function exportJsonl(log: TrafficLog, file: string): Promise<number> {
  const out = await openExportStream(file);
  const last = log.lastSeq;
  let n = 0;
  try {
    let buf = '';
    for (let seq = log.firstSeq; seq <= last; seq++) {
      const r: LogRecord | undefined = log.get(seq);
      if (!r) {
        continue; // evicted while we wrote
      }
      buf += JSON.stringify(toTrafficEntry(r)) + '\n';
      n++;
      if (buf.length > 1 << 16) {
        await writeChunk(out, buf);
        buf = '';
      }
    }
    if (buf) {
      await writeChunk(out, buf);
    }
  } finally {
    await closeExportStream(out);
  }
  return n;
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
  const out = await openExportStream(file);
  let n = 0;
  try {
    await writeChunk(out, pcapngHeader());
    let pending: Buffer[] = [];
    let size = 0;
    for (let seq = first; seq <= last; seq++) {
      const r = log.get(seq);
      if (!r) {
        continue;
      }
      n++;
      for (const b of conv.packets(r)) {
        pending.push(b);
        size += b.length;
      }
      if (size > 1 << 16) {
        await writeChunk(out, Buffer.concat(pending, size));
        pending = [];
        size = 0;
      }
    }
    if (size) {
      await writeChunk(out, Buffer.concat(pending, size));
    }
  } finally {
    await closeExportStream(out);
  }
  return n;
}

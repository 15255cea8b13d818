// Appends what a workspace prints (task steps, the agent's terminals, the editor) to its log files on the host, up to
// a cap per file. A workspace decides how much it prints; it must never fill the host's disk, and a write error
// (a full disk) must never fail the task. The file stays the cluster's: no sandbox is ever handed its descriptor.

import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Past this, a log file keeps no more of what the workspace prints. 16 MiB holds the whole output of a verbose
 * build (an `npm ci` or a `cargo build` prints well under 1 MiB) many times over, while a workspace at its task
 * limit (32 tasks and the editor, a file each) stays near half a GiB: `init: cat /dev/zero` costs the host 16 MiB.
 * The workspace page replays only a log's last 256 KiB anyway.
 */
export const MAX_LOG_BYTES = 16 * 1024 * 1024;

/** `16 MiB`, `64 KiB`, `100 bytes`: the cap as the note names it. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The line a log gets where a process's output was cut, in the style of the cluster's `── init ──` lines. */
export const capNote = (capBytes: number) => `── output beyond ${describeBytes(capBytes)} not kept ──\n`;

export interface CappedLog {
  /**
   * What a process printed: kept while the file is under the cap; of the chunk that crosses it, the part that
   * fits, then the note (once for this log, on a line of its own); after that, dropped. Never blocks the process.
   */
  output(chunk: Uint8Array | string): void;
  /** One of the cluster's own lines (`── init finished in 2.0 s ──`): always kept, they are few and short. */
  line(text: string): void;
  close(): void;
}

/** Opens `file` for appending; when even that fails, a log that keeps nothing (the task runs on regardless). */
export function openCappedLog(file: string, capBytes = MAX_LOG_BYTES): CappedLog {
  let fd: number | undefined;
  let size = 0;
  let atLineStart = true;
  try {
    fd = openSync(file, 'a+');
    size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      atLineStart = last[0] === 0x0a;
    }
  } catch {
    // No file (a full disk, a removed folder): the output is lost, the task is not.
  }
  let noted = false;

  const write = (bytes: Uint8Array) => {
    if (fd === undefined || bytes.length === 0) return;
    try {
      const written = writeSync(fd, bytes);
      size += written;
      if (written > 0) atLineStart = bytes[written - 1] === 0x0a;
    } catch {
      // A full disk loses log text, never the task.
    }
  };

  return {
    output(chunk) {
      if (noted) return;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const room = Math.max(0, capBytes - size);
      if (bytes.length <= room) return write(bytes);
      write(bytes.subarray(0, room));
      noted = true;
      write(Buffer.from(`${atLineStart ? '' : '\n'}${capNote(capBytes)}`));
    },
    line(text) {
      write(Buffer.from(`${text}\n`));
    },
    close() {
      if (fd === undefined) return;
      try {
        closeSync(fd);
      } catch {
        // already gone
      }
      fd = undefined;
    },
  };
}

// Streams a workspace's logs and status to its page as server-sent events: every log file from the start (its
// last 256 KiB), then whatever is appended, and each phase change. Never reads outside `<workspace>/logs/`.

import { open, readdir } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { TERMINAL_PHASES, type WorkspaceStatus } from '../../shared/cluster-contract.ts';
import type { WorkspaceLifecycle } from './workspace-lifecycle.ts';

const REPLAY_BYTES = 256 * 1024;
const READ_CHUNK = 64 * 1024;

interface Cursor {
  offset: number;
  readonly decoder: StringDecoder;
}

export interface LogStreamOptions {
  readonly lifecycle: WorkspaceLifecycle;
  readonly id: string;
  readonly pollMs: number;
  /** Aborted when the cluster shuts down, ending every stream. */
  readonly closing: AbortSignal;
}

/** `2-dev-server.log` → `2-dev-server`; only names the cluster itself writes. */
const LOG_NAME = /^(\d+)-[A-Za-z0-9._-]*\.log$/;

async function logFiles(dir: string): Promise<string[]> {
  try {
    const names = (await readdir(dir)).filter((n) => LOG_NAME.test(n));
    return names.sort((a, b) => Number(LOG_NAME.exec(a)?.[1]) - Number(LOG_NAME.exec(b)?.[1]));
  } catch {
    return [];
  }
}

/** Reads what was appended to `file` since the cursor; '' when nothing was. */
async function readNew(file: string, cursor: Cursor): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    if (cursor.offset === 0 && size > REPLAY_BYTES) cursor.offset = size - REPLAY_BYTES;
    let text = '';
    while (cursor.offset < size) {
      const buffer = Buffer.alloc(Math.min(READ_CHUNK, size - cursor.offset));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, cursor.offset);
      if (bytesRead === 0) break;
      cursor.offset += bytesRead;
      // The decoder holds back a UTF-8 character split across reads until its other bytes arrive.
      text += cursor.decoder.write(buffer.subarray(0, bytesRead));
    }
    return text;
  } finally {
    await handle.close();
  }
}

export function streamWorkspaceLogs(c: Context, options: LogStreamOptions): Response {
  const { lifecycle, id } = options;
  return streamSSE(c, async (stream) => {
    const paths = lifecycle.paths(id);
    if (paths === undefined) return;
    const logsDir = paths.logs;
    const cursors = new Map<string, Cursor>();
    let latest: WorkspaceStatus | undefined = lifecycle.get(id);
    let changed = true;
    const unsubscribe = lifecycle.subscribe(id, (status) => {
      latest = status;
      changed = true;
    });
    const stop = new AbortController();
    stream.onAbort(() => stop.abort());
    const ended = AbortSignal.any([stop.signal, options.closing]);
    try {
      for (;;) {
        const status = latest;
        const statusChanged = changed;
        changed = false;
        // Logs first: a page that hears "failed" should already show the output that explains it.
        for (const name of await logFiles(logsDir)) {
          let cursor = cursors.get(name);
          if (cursor === undefined) {
            cursor = { offset: 0, decoder: new StringDecoder('utf8') };
            cursors.set(name, cursor);
          }
          const text = await readNew(`${logsDir}/${name}`, cursor);
          if (text !== '')
            await stream.writeSSE({ event: 'log', data: JSON.stringify({ task: name.slice(0, -4), text }) });
        }
        if (statusChanged && status !== undefined)
          await stream.writeSSE({ event: 'status', data: JSON.stringify(status) });
        // Stopped and failed workspaces write nothing more (their last lines were just sent): say so and end.
        if (status === undefined || TERMINAL_PHASES.includes(status.phase)) {
          await stream.writeSSE({ event: 'end', data: '{}' });
          return;
        }
        if (ended.aborted || stream.aborted) return;
        try {
          await sleep(options.pollMs, undefined, { signal: ended });
        } catch {
          return;
        }
      }
    } finally {
      unsubscribe();
    }
  });
}

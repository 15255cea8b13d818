// A workspace's output reaches its host log files only through the cluster, capped: the cut falls exactly at the
// cap, the note is written once, a full disk loses text but never throws, a process printing far past the cap still
// runs to its end, and no sandboxed process is handed a log file as its stdout or stderr.

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StartWorkspaceRequest } from '../../shared/cluster-contract.ts';
import { capNote, describeBytes, MAX_LOG_BYTES, openCappedLog } from '../src/capped-log.ts';
import { type BackgroundProcess, ProcessGroups } from '../src/child-processes.ts';
import { startAgent, startEditor } from '../src/editor/workspace-processes.ts';
import type { Sandbox, SandboxRunOptions } from '../src/sandbox/sandbox.ts';
import { removeTempDirs, tempDir } from './git-fixtures.ts';

afterEach(() => removeTempDirs());

const read = (file: string) => readFileSync(file, 'utf8');

describe('capped log', () => {
  it('names its cap the way people read sizes', () => {
    expect(describeBytes(MAX_LOG_BYTES)).toBe('16 MiB');
    expect(describeBytes(64 * 1024)).toBe('64 KiB');
    expect(describeBytes(100)).toBe('100 bytes');
    expect(capNote(MAX_LOG_BYTES)).toBe('── output beyond 16 MiB not kept ──\n');
  });

  it('keeps output that fills the file exactly to the cap, with no note', () => {
    const file = join(tempDir(), 'a.log');
    const log = openCappedLog(file, 10);
    log.output('12345');
    log.output(Buffer.from('67890'));
    log.close();
    expect(read(file)).toBe('1234567890');
  });

  it('cuts at the cap, then writes the note once on a line of its own and drops the rest', () => {
    const file = join(tempDir(), 'a.log');
    const log = openCappedLog(file, 10);
    log.output('123456');
    log.output('7890ABC');
    log.output('more\n');
    log.output('and more\n');
    log.close();
    expect(read(file)).toBe(`1234567890\n${capNote(10)}`);
  });

  it('puts the note straight after a cut that falls at a line end', () => {
    const file = join(tempDir(), 'a.log');
    const log = openCappedLog(file, 6);
    log.output('12345\nlater\n');
    log.close();
    expect(read(file)).toBe(`12345\n${capNote(6)}`);
  });

  it("always keeps the cluster's own lines, also past the cap (they count towards it)", () => {
    const file = join(tempDir(), 'a.log');
    const cap = Buffer.byteLength('── init ──\n') + 4;
    const log = openCappedLog(file, cap);
    log.line('── init ──');
    log.output('xyz\n');
    log.line('── init finished in 0.1 s ──');
    log.output('more\n');
    log.line('── command ──');
    log.close();
    expect(read(file)).toBe(`── init ──\nxyz\n── init finished in 0.1 s ──\n${capNote(cap)}── command ──\n`);
  });

  it('counts what the file already holds: a file at its cap gets only the note, once per log opened', () => {
    const file = join(tempDir(), 'a.log');
    writeFileSync(file, '0123456789');
    const first = openCappedLog(file, 10);
    first.output('a');
    first.output('b');
    first.close();
    expect(read(file)).toBe(`0123456789\n${capNote(10)}`);
    const second = openCappedLog(file, 10);
    second.line('── before ──');
    second.output('c');
    second.close();
    expect(read(file)).toBe(`0123456789\n${capNote(10)}── before ──\n${capNote(10)}`);
  });

  it('swallows write errors (a full disk) and a log it cannot open', () => {
    const full = openCappedLog('/dev/full', 100);
    expect(() => {
      full.line('── init ──');
      full.output('x'.repeat(50));
      full.output('y'.repeat(500));
      full.close();
    }).not.toThrow();
    const missing = join(tempDir(), 'gone', 'a.log');
    const nowhere = openCappedLog(missing, 100);
    expect(() => {
      nowhere.line('── init ──');
      nowhere.output('x');
      nowhere.close();
    }).not.toThrow();
    expect(existsSync(missing)).toBe(false);
  });
});

describe('output through a pipe', () => {
  const processes = new ProcessGroups();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

  it('joins stdout and stderr in the order they were printed, and captures nothing', async () => {
    const chunks: Buffer[] = [];
    const result = await processes.run(
      'sh',
      ['-c', 'echo out1; echo err1 >&2; echo out2; echo err2 >&2; readlink /proc/$$/fd/1 /proc/$$/fd/2'],
      { cwd: '/', env, onOutput: (chunk) => chunks.push(chunk) },
    );
    expect(result.end).toEqual({ kind: 'exited', code: 0, signal: null });
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines.slice(0, 4)).toEqual(['out1', 'err1', 'out2', 'err2']);
    // Both descriptors are the same pipe (a socket pair, as Node makes them): no host file to reopen through /proc.
    expect(lines[4]).toMatch(/^(pipe|socket):\[\d+\]$/);
    expect(lines[5]).toBe(lines[4]);
  });

  it('keeps draining past the cap, so a process printing far more ends normally', async () => {
    const file = join(tempDir(), 'flood.log');
    const log = openCappedLog(file, 4096);
    // 64 MiB: far more than a pipe (64 KiB) holds, so the command would block for good if the pipe were paused.
    const result = await processes.run('sh', ['-c', 'head -c 67108864 /dev/zero; echo done >&2'], {
      cwd: '/',
      env,
      timeoutMs: 20_000,
      onOutput: (chunk) => log.output(chunk),
    });
    log.close();
    expect(result.end).toEqual({ kind: 'exited', code: 0, signal: null });
    expect(statSync(file).size).toBe(4096 + 1 + Buffer.byteLength(capNote(4096)));
    expect(read(file).endsWith(`\0\n${capNote(4096)}`)).toBe(true);
  });
});

/** A sandbox whose `start` is `start`: nothing runs, the test plays the processes' output. */
function fakeSandbox(start: Sandbox['start']): Sandbox {
  return { id: 'fake', run: () => Promise.reject(new Error('not used')), start, destroy: async () => {} };
}

/** Starts a workspace of one task, `dev`, in `sandbox`, its logs in `logsDir`. */
function startDev(
  sandbox: Sandbox,
  logsDir: string,
  options: { readonly startEditor: boolean; readonly logCapBytes: number },
): void {
  const request = { tasks: [{ name: 'dev', command: 'npm run dev' }] } as unknown as StartWorkspaceRequest;
  const common = { sandbox, folder: '/workspace/app', logsDir, env: {}, logCapBytes: options.logCapBytes };
  if (options.startEditor) startEditor(common);
  startAgent({ ...common, request });
}

describe('the editor', () => {
  it('gets a pipe for its output, and editor.log keeps no more than the cap', async () => {
    const logsDir = tempDir();
    const started: { argv: readonly string[]; options: SandboxRunOptions }[] = [];
    let ended: (value: { kind: 'exited'; code: number; signal: null }) => void = () => {};
    const background = (): BackgroundProcess => {
      const done = new Promise<{ kind: 'exited'; code: number; signal: null }>((resolve) => {
        ended = resolve;
      });
      return { ended: done, stop: async () => {} };
    };
    startDev(
      fakeSandbox((argv, options) => {
        started.push({ argv, options });
        return background();
      }),
      logsDir,
      { startEditor: true, logCapBytes: 1024 },
    );
    const editor = started.find((s) => s.argv.some((a) => a.endsWith('start-editor.js')));
    expect(editor).toBeDefined();
    // What the editor writes reaches the cluster as chunks; there is no descriptor of the host's to hand over.
    const options = editor?.options as unknown as Record<string, unknown>;
    expect(Object.values(options).some((value) => typeof value === 'number')).toBe(false);
    expect(options.onOutput).toBeTypeOf('function');
    for (let i = 0; i < 100; i++) editor?.options.onOutput?.(Buffer.from(`${'e'.repeat(99)}\n`));
    ended({ kind: 'exited', code: 0, signal: null });
    const text = read(join(logsDir, 'editor.log'));
    expect(text).toBe(`${`${'e'.repeat(99)}\n`.repeat(11).slice(0, 1024)}\n${capNote(1024)}`);
    expect(read(join(logsDir, '1-dev.log'))).toBe('── command (in its terminal) ──\n');
  });

  it("caps a task's terminal output from the agent the same way, one note for the agent's run", async () => {
    const logsDir = tempDir();
    let agentOut: ((text: string) => void) | undefined;
    startDev(
      fakeSandbox((_argv, options) => {
        agentOut ??= options.onStdout;
        return { ended: new Promise(() => {}), stop: async () => {} };
      }),
      logsDir,
      { startEditor: false, logCapBytes: 100 },
    );
    const line = Buffer.from(`${'t'.repeat(39)}\n`).toString('base64');
    for (let i = 0; i < 10; i++) agentOut?.(`T0 ${line}\n`);
    const header = '── command (in its terminal) ──\n';
    const kept = `${'t'.repeat(39)}\n`.repeat(3).slice(0, 100 - Buffer.byteLength(header));
    expect(read(join(logsDir, '1-dev.log'))).toBe(`${header}${kept}\n${capNote(100)}`);
  });
});

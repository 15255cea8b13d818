// Runs one of the cluster's own administrative commands on the host (ip, iptables-restore, podman, chown) — argv
// only, never a shell string, never with workspace input as a program or option. Answers its stdout or a message
// ending with the program's own last words.

import { spawn } from 'node:child_process';
import { err, ok, type Result } from '../../../shared/result.ts';

export interface HostCommandOptions {
  /** Written to stdin, then stdin is closed. */
  readonly input?: string;
  /** Extra variables on top of PATH and LANG (podman's CONTAINERS_CONF). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Where it runs (podman's conmon leaves an `oom` marker in its working directory). */
  readonly cwd?: string;
}

const BASE_ENV = () => ({ PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' });

export function runHostCommand(
  program: string,
  args: readonly string[],
  options: HostCommandOptions = {},
): Promise<Result<string, string>> {
  return new Promise((done) => {
    const child = spawn(program, args, {
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      env: { ...BASE_ENV(), ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
    });
    child.stderr?.setEncoding('utf8').on('data', (t: string) => {
      stderr = (stderr + t).slice(-4000);
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (e) => {
      if (timer !== undefined) clearTimeout(timer);
      done(err(`${program} could not start (${e.message})`));
    });
    child.once('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (code === 0) return done(ok(stdout));
      const why = code !== null ? `exit code ${code}` : `signal ${signal}`;
      const words = stderr.trim().split('\n').slice(-2).join(' ').trim();
      done(err(`${program} failed with ${why}${words === '' ? '' : `: ${words}`}`));
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

// Runs git for the cluster in a clean environment whose only configuration is the operator's git-config file (its
// `url.<base>.insteadOf` rewrites apply exactly as git applies them). A clone credential reaches git only through
// GIT_ASKPASS reading this process's environment: never in a URL, an argument, .git/config or any file.

import { chmodSync, writeFileSync } from 'node:fs';
import type { CloneCredential } from '../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { describeExit, type ProcessGroups, type RunResult } from './child-processes.ts';

export interface GitSetup {
  /** Passed as GIT_CONFIG_GLOBAL; absent means no configuration at all (`/dev/null`). */
  readonly configFile?: string;
  /** The script written by `writeAskpassScript`. */
  readonly askpassPath: string;
  readonly home: string;
  readonly path: string;
}

export type GitFailure =
  | { readonly kind: 'timed-out'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export interface GitRunOptions {
  readonly cwd: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly credential?: CloneCredential;
  /** Receives a transcript (`$ git …` and git's stderr) for the workspace's git log. */
  readonly transcript?: (text: string) => void;
}

const USERNAME_VAR = 'LAUNCHPOD_GIT_USERNAME';
const PASSWORD_VAR = 'LAUNCHPOD_GIT_PASSWORD';

// The script holds no secret: it echoes what the one git process that asked carries in its environment.
const ASKPASS_SCRIPT = `#!/bin/sh
# Written by the Launchpod cluster. Answers git's prompts from the asking process's environment; stores nothing.
case "$1" in
  Username*) printf '%s\\n' "$${USERNAME_VAR}" ;;
  *) printf '%s\\n' "$${PASSWORD_VAR}" ;;
esac
`;

export function writeAskpassScript(path: string): void {
  writeFileSync(path, ASKPASS_SCRIPT, { mode: 0o700 });
  chmodSync(path, 0o700);
}

/** The whole environment git runs with. */
export function gitEnvironment(setup: GitSetup, credential?: CloneCredential): Record<string, string> {
  return {
    PATH: setup.path,
    HOME: setup.home,
    LANG: 'C',
    GIT_CONFIG_GLOBAL: setup.configFile ?? '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    // Without a credential a private repository must fail at once, not wait for a terminal that is not there.
    GIT_TERMINAL_PROMPT: '0',
    // Only with a credential: otherwise a helper from the operator's git-config may answer instead.
    ...(credential !== undefined && {
      GIT_ASKPASS: setup.askpassPath,
      [USERNAME_VAR]: credential.username,
      [PASSWORD_VAR]: credential.password,
    }),
  };
}

/** Runs `git <args>`; answers its stdout, or a failure whose message ends with git's own last words. */
export async function runGit(
  processes: ProcessGroups,
  setup: GitSetup,
  args: readonly string[],
  options: GitRunOptions,
): Promise<Result<string, GitFailure>> {
  // With a credential, no configured helper may see it: a `store` helper would write it to disk.
  const fullArgs = options.credential !== undefined ? ['-c', 'credential.helper=', ...args] : [...args];
  options.transcript?.(`$ git ${args.join(' ')}\n`);
  const result = await processes.run('git', fullArgs, {
    cwd: options.cwd,
    env: gitEnvironment(setup, options.credential),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  if (result.stderr !== '')
    options.transcript?.(result.stderr.endsWith('\n') ? result.stderr : `${result.stderr}\n`);
  return readGitResult(args, result);
}

/** How a git command ended, wherever it ran: its stdout, or a failure ending with git's own last words. */
export function readGitResult(args: readonly string[], result: RunResult): Result<string, GitFailure> {
  const { end } = result;
  if (end.kind === 'exited' && end.code === 0) return ok(result.stdout);
  if (end.kind === 'timed-out') return err({ kind: 'timed-out', message: `git ${args[0]} timed out` });
  if (end.kind === 'aborted') return err({ kind: 'aborted', message: `git ${args[0]} was stopped` });
  const why = end.kind === 'spawn-failed' ? `could not start git (${end.message})` : describeExit(end);
  const lastWords = result.stderr.trim().split('\n').slice(-2).join(' ').trim();
  return err({
    kind: 'failed',
    message: `git ${args[0]} failed with ${why}${lastWords === '' ? '' : `: ${lastWords}`}`,
  });
}

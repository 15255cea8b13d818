// Makes a workspace's `repo/`: a clone of the context's repository, or a prebuild's snapshot brought forward to
// the requested commit, then the context's branch, issue branch or detached commit checked out. Never reports
// success unless HEAD is exactly `context.sha`.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CloneCredential,
  StartWorkspaceRequest,
  WorkspaceStatus,
} from '../../shared/cluster-contract.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import type { ProcessGroups } from './child-processes.ts';
import { type GitFailure, type GitSetup, runGit } from './git-process.ts';
import { restoreSnapshot } from './snapshots.ts';
import type { StepFailure } from './task-runner.ts';

export interface ContentContext {
  readonly processes: ProcessGroups;
  readonly git: GitSetup;
  readonly dataDir: string;
  readonly workspaceDir: string;
  readonly request: StartWorkspaceRequest;
  readonly cloneTimeoutMs: number;
  readonly signal: AbortSignal;
  /** Redeems the request's credential URL, at most once; undefined for public repositories. */
  readonly credential: () => Promise<Result<CloneCredential | undefined, string>>;
  readonly transcript: (text: string) => void;
}

export interface Content {
  readonly startedFrom: NonNullable<WorkspaceStatus['startedFrom']>;
  readonly fallbackReason?: string;
  /** True when the content came from a prebuild snapshot, so `init` already ran. */
  readonly initDone: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const short = (sha: string) => sha.slice(0, 12);

function gitProblem(failure: GitFailure, what: string, context: ContentContext): StepFailure {
  if (failure.kind === 'aborted') return { kind: 'aborted' };
  if (failure.kind === 'timed-out') {
    return {
      kind: 'failed',
      message: `${what} did not finish within ${seconds(context.cloneTimeoutMs)} and was stopped. The repository may be very large or its server slow; try again, or ask the cluster's operator to raise --clone-timeout.`,
    };
  }
  return { kind: 'failed', message: `${what} failed: ${failure.message}` };
}

/** Builds `repo/` for the request: from its prebuild snapshot when it names one, falling back to a clone. */
export async function makeContent(context: ContentContext): Promise<Result<Content, StepFailure>> {
  const { request } = context;
  const initializer = request.initializer;
  if (request.type === 'regular' && initializer.kind === 'prebuild-snapshot-with-git-fallback') {
    const restored = await fromSnapshot(context, initializer.prebuildId, initializer.snapshotSha);
    if (restored.ok) return ok({ startedFrom: 'prebuild', initDone: true });
    if (restored.error.kind !== 'fallback') return err(restored.error);
    const cloned = await cloneAndCheckout(context);
    if (!cloned.ok) return cloned;
    return ok({
      startedFrom: 'prebuild-fallback-git',
      fallbackReason: `${capitalise(restored.error.reason)}, so the repository was cloned and init ran.`,
      initDone: false,
    });
  }
  const cloned = await cloneAndCheckout(context);
  return cloned.ok ? ok({ startedFrom: 'git', initDone: false }) : cloned;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

async function git(
  context: ContentContext,
  args: readonly string[],
  options: { readonly network?: boolean; readonly cwd?: string } = {},
): Promise<Result<string, GitFailure>> {
  let credential: CloneCredential | undefined;
  if (options.network === true) {
    const redeemed = await context.credential();
    if (!redeemed.ok) return err({ kind: 'failed', message: redeemed.error });
    credential = redeemed.value;
  }
  return runGit(context.processes, context.git, args, {
    cwd: options.cwd ?? join(context.workspaceDir, 'repo'),
    signal: context.signal,
    transcript: context.transcript,
    ...(options.network === true && { timeoutMs: context.cloneTimeoutMs }),
    ...(credential !== undefined && { credential }),
  });
}

async function cloneAndCheckout(context: ContentContext): Promise<Result<void, StepFailure>> {
  const { cloneUrl } = context.request.context;
  const repoDir = join(context.workspaceDir, 'repo');
  await rm(repoDir, { recursive: true, force: true });
  // Full history: the requested commit may be anywhere, and prebuild selection needs ancestors later.
  const cloned = await git(context, ['clone', '--quiet', '--no-checkout', '--', cloneUrl, repoDir], {
    network: true,
    cwd: context.workspaceDir,
  });
  if (!cloned.ok) return err(gitProblem(cloned.error, `Cloning ${cloneUrl}`, context));
  return checkoutContext(context, { force: true });
}

/**
 * Checks out what the context names at `context.sha`: the issue's new branch, the branch (tracking origin's when
 * it exists there; a pull request's head branch in its head repository), or a detached HEAD for a tag or a commit.
 */
async function checkoutContext(
  context: ContentContext,
  options: { readonly force: boolean },
): Promise<Result<void, StepFailure>> {
  const { sha, ref, issue, cloneUrl } = context.request.context;
  const present = await git(context, ['cat-file', '-e', `${sha}^{commit}`]);
  if (!present.ok) {
    if (present.error.kind === 'aborted') return err({ kind: 'aborted' });
    // Not on any branch (a pull request's head after a force-push, say): ask for the commit itself.
    const fetched = await git(context, ['fetch', '--quiet', 'origin', sha], { network: true });
    if (!fetched.ok) {
      if (fetched.error.kind !== 'failed')
        return err(gitProblem(fetched.error, `Fetching ${short(sha)}`, context));
      return err({
        kind: 'failed',
        message: `Commit ${short(sha)} is not in ${cloneUrl}; it may have been force-pushed away. Open the branch or pull request again to get its current head.`,
      });
    }
  }
  const force = options.force ? ['--force'] : [];
  const branch = issue?.branch ?? (ref?.type === 'branch' ? ref.name : undefined);
  const checkout =
    branch !== undefined
      ? await git(context, ['checkout', '--quiet', ...force, '-B', branch, sha, '--'])
      : await git(context, ['checkout', '--quiet', ...force, '--detach', sha, '--']);
  if (!checkout.ok) return err(gitProblem(checkout.error, `Checking out ${short(sha)}`, context));

  if (branch !== undefined && issue === undefined) {
    const remote = await git(context, ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}`]);
    if (remote.ok) {
      const tracked = await git(context, ['branch', '--quiet', `--set-upstream-to=origin/${branch}`, branch]);
      if (!tracked.ok) return err(gitProblem(tracked.error, `Tracking origin/${branch}`, context));
    }
  }
  const head = await git(context, ['rev-parse', 'HEAD']);
  if (!head.ok) return err(gitProblem(head.error, 'Reading HEAD', context));
  if (head.value.trim() !== sha)
    return err({
      kind: 'failed',
      message: `The checkout ended at ${short(head.value)} instead of ${short(sha)}.`,
    });
  return ok(undefined);
}

type SnapshotProblem = StepFailure | { readonly kind: 'fallback'; readonly reason: string };

/** Restores the snapshot and brings it to `context.sha`: a fetch from origin only when the commit is newer. */
async function fromSnapshot(
  context: ContentContext,
  prebuildId: string,
  snapshotSha: string,
): Promise<Result<void, SnapshotProblem>> {
  const { request, workspaceDir } = context;
  await rm(join(workspaceDir, 'repo'), { recursive: true, force: true });
  const restored = await restoreSnapshot(
    context.processes,
    context.dataDir,
    prebuildId,
    workspaceDir,
    context.signal,
  );
  if (!restored.ok) {
    if (restored.error.kind === 'aborted') return err({ kind: 'aborted' });
    context.transcript(`prebuild snapshot not used: ${restored.error.message}\n`);
    return err({ kind: 'fallback', reason: restored.error.message });
  }
  const head = await git(context, ['rev-parse', 'HEAD']);
  if (!head.ok || head.value.trim() !== snapshotSha) {
    if (!head.ok && head.error.kind === 'aborted') return err({ kind: 'aborted' });
    return err({
      kind: 'fallback',
      reason: `prebuild ${prebuildId}'s snapshot is not at commit ${short(snapshotSha)} as the launcher expected`,
    });
  }
  // The snapshot's origin is the prebuild's clone URL; this workspace fetches from its own.
  const remote = await git(context, ['remote', 'set-url', 'origin', request.context.cloneUrl]);
  if (!remote.ok) return err(gitProblem(remote.error, 'Pointing origin at the clone URL', context));

  const incremental = request.context.sha !== snapshotSha;
  if (incremental) {
    const fetched = await git(context, ['fetch', '--quiet', '--prune', 'origin'], { network: true });
    if (!fetched.ok) return err(gitProblem(fetched.error, `Fetching ${request.context.cloneUrl}`, context));
  }
  // Moving to a newer commit, that commit's files must win over what init changed in tracked files; untracked
  // build output stays. At the snapshot's own commit nothing moves, so init's changes are kept as they are.
  return checkoutContext(context, { force: incremental });
}

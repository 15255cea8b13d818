// Makes a workspace's folder: a clone of the context's repository, or a prebuild's snapshot brought forward to the
// requested commit, then the context's branch, issue branch or detached commit checked out. Never reports success
// unless HEAD is exactly `context.sha`. Never runs git on the host in a checkout that workspace code has written
// (a snapshot): its `.git/config` could make git run commands (core.fsmonitor, hooks, filters) as the cluster.
// There, new commits are fetched on the host into a fresh repository of the cluster's own, and every git step in
// the checkout runs inside a sandbox without network.

import { mkdir, rm } from 'node:fs/promises';
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

/** Git run inside a sandbox over the workspace folder, for content workspace code has written. */
export interface SandboxGit {
  git(args: readonly string[]): Promise<Result<string, GitFailure>>;
  close(): Promise<void>;
}

export interface ContentContext {
  readonly processes: ProcessGroups;
  readonly git: GitSetup;
  readonly dataDir: string;
  /** `<data>/workspaces/<id>`: holds `workspace/` (mounted in the sandbox) and the cluster's own files. */
  readonly workspaceDir: string;
  /** `<workspaceDir>/workspace/<name>`: the checkout on the host. */
  readonly repoDir: string;
  /** A sandbox for git over the workspace folder, with `fetchRepo` (a host path) readable at FETCH_MOUNT. */
  readonly sandboxGit: (fetchRepo: string | undefined) => Promise<Result<SandboxGit, string>>;
  /** Gives the workspace folder (or `folder`) to the workspace's own host uid (after a clone or a restore). */
  readonly handOver: (folder?: string) => Promise<Result<void, string>>;
  /**
   * The snapshot is unpacked and handed over: the folder the workspace's sandbox mounts is there for good (unless the
   * snapshot is not used after all, and a clone replaces it), so that sandbox may be made while git runs.
   */
  readonly unpacked?: () => void;
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

/** The host folder mounted at `/workspace`. */
export const workspaceFolder = (workspaceDir: string) => join(workspaceDir, 'workspace');
/** Where a fresh fetch repository of the cluster's is readable inside the git sandbox. */
export const FETCH_MOUNT = '/launchpod/fetch.git';

type Git = (args: readonly string[]) => Promise<Result<string, GitFailure>>;

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
    cwd: options.cwd ?? context.repoDir,
    signal: context.signal,
    transcript: context.transcript,
    ...(options.network === true && { timeoutMs: context.cloneTimeoutMs }),
    ...(credential !== undefined && { credential }),
  });
}

async function cloneAndCheckout(context: ContentContext): Promise<Result<void, StepFailure>> {
  const { cloneUrl, sha } = context.request.context;
  const folder = workspaceFolder(context.workspaceDir);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  // Full history: the requested commit may be anywhere, and prebuild selection needs ancestors later.
  const cloned = await git(context, ['clone', '--quiet', '--no-checkout', '--', cloneUrl, context.repoDir], {
    network: true,
    cwd: folder,
  });
  if (!cloned.ok) return err(gitProblem(cloned.error, `Cloning ${cloneUrl}`, context));
  // A fresh clone of the cluster's own: git may run here on the host, nothing of the workspace has run yet.
  const present = await git(context, ['cat-file', '-e', `${sha}^{commit}`]);
  if (!present.ok) {
    if (present.error.kind === 'aborted') return err({ kind: 'aborted' });
    // Not on any branch (a pull request's head after a force-push, say): ask for the commit itself.
    const fetched = await git(context, ['fetch', '--quiet', 'origin', sha], { network: true });
    if (!fetched.ok) return err(missingCommit(fetched.error, context));
  }
  const checkedOut = await checkoutContext(context, (args) => git(context, args), { force: true });
  if (!checkedOut.ok) return checkedOut;
  const based = await fetchForkBase(context);
  if (!based.ok) return based;
  const handed = await context.handOver();
  return handed.ok ? ok(undefined) : err({ kind: 'failed', message: handed.error });
}

/**
 * A pull request from a fork: its base branch, from the base repository, as `upstream/<baseRef>` (what a reviewer
 * diffs against). From the same repository the clone already has `origin/<baseRef>`. A base that cannot be fetched
 * is said in the log and does not stop the workspace: the pull request's own code is there.
 */
async function fetchForkBase(context: ContentContext): Promise<Result<void, StepFailure>> {
  const pull = context.request.context.pullRequest;
  if (pull?.baseCloneUrl === undefined || pull.baseRef === undefined) return ok(undefined);
  const added = await git(context, ['remote', 'add', 'upstream', pull.baseCloneUrl]);
  if (!added.ok) return err(gitProblem(added.error, 'Adding the upstream remote', context));
  const fetched = await git(
    context,
    [
      'fetch',
      '--quiet',
      '--no-tags',
      'upstream',
      `+refs/heads/${pull.baseRef}:refs/remotes/upstream/${pull.baseRef}`,
    ],
    { network: true },
  );
  if (!fetched.ok) {
    if (fetched.error.kind === 'aborted') return err({ kind: 'aborted' });
    context.transcript(
      `The base branch ${pull.baseRef} of ${pull.baseCloneUrl} could not be fetched; fetch it later with: git fetch upstream ${pull.baseRef}\n`,
    );
  }
  return ok(undefined);
}

function missingCommit(failure: GitFailure, context: ContentContext): StepFailure {
  const { sha, cloneUrl } = context.request.context;
  if (failure.kind !== 'failed') return gitProblem(failure, `Fetching ${short(sha)}`, context);
  return {
    kind: 'failed',
    message: `Commit ${short(sha)} is not in ${cloneUrl}; it may have been force-pushed away. Open the branch or pull request again to get its current head.`,
  };
}

/**
 * Checks out what the context names at `context.sha`: the issue's new branch, the branch (tracking origin's when
 * it exists there; a pull request's head branch in its head repository), or a detached HEAD for a tag or a commit.
 */
async function checkoutContext(
  context: ContentContext,
  git: Git,
  options: { readonly force: boolean },
): Promise<Result<void, StepFailure>> {
  const { sha, ref, issue } = context.request.context;
  const force = options.force ? ['--force'] : [];
  const branch = issue?.branch ?? (ref?.type === 'branch' ? ref.name : undefined);
  const checkout =
    branch !== undefined
      ? await git(['checkout', '--quiet', ...force, '-B', branch, sha, '--'])
      : await git(['checkout', '--quiet', ...force, '--detach', sha, '--']);
  if (!checkout.ok) return err(gitProblem(checkout.error, `Checking out ${short(sha)}`, context));

  if (branch !== undefined && issue === undefined) {
    const remote = await git(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}`]);
    if (remote.ok) {
      const tracked = await git(['branch', '--quiet', `--set-upstream-to=origin/${branch}`, branch]);
      if (!tracked.ok) return err(gitProblem(tracked.error, `Tracking origin/${branch}`, context));
    }
  }
  const head = await git(['rev-parse', 'HEAD']);
  if (!head.ok) return err(gitProblem(head.error, 'Reading HEAD', context));
  if (head.value.trim() !== sha)
    return err({
      kind: 'failed',
      message: `The checkout ended at ${short(head.value)} instead of ${short(sha)}.`,
    });
  return ok(undefined);
}

type SnapshotProblem = StepFailure | { readonly kind: 'fallback'; readonly reason: string };

/**
 * Restores the snapshot and brings it to `context.sha`. The snapshot holds what the prebuild's init wrote, so git
 * runs over it only inside a sandbox; newer commits come from a fetch on the host into a fresh repository.
 */
async function fromSnapshot(
  context: ContentContext,
  prebuildId: string,
  snapshotSha: string,
): Promise<Result<void, SnapshotProblem>> {
  const { request, workspaceDir } = context;
  await rm(workspaceFolder(workspaceDir), { recursive: true, force: true });
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
  const handed = await context.handOver();
  if (!handed.ok) return err({ kind: 'failed', message: handed.error });
  context.unpacked?.();

  const incremental = request.context.sha !== snapshotSha;
  const fetchRepo = join(workspaceDir, 'fetch.git');
  try {
    if (incremental) {
      const fetched = await fetchOnHost(context, fetchRepo);
      if (!fetched.ok) return fetched;
    }
    const sandbox = await context.sandboxGit(incremental ? fetchRepo : undefined);
    if (!sandbox.ok) return err({ kind: 'failed', message: sandbox.error });
    try {
      const inside = (args: readonly string[]) => {
        context.transcript(`$ git ${args.join(' ')} (in the workspace sandbox)\n`);
        return sandbox.value.git(args);
      };
      const head = await inside(['rev-parse', 'HEAD']);
      if (!head.ok || head.value.trim() !== snapshotSha) {
        if (!head.ok && head.error.kind === 'aborted') return err({ kind: 'aborted' });
        return err({
          kind: 'fallback',
          reason: `prebuild ${prebuildId}'s snapshot is not at commit ${short(snapshotSha)} as the launcher expected`,
        });
      }
      // The snapshot's origin is the prebuild's clone URL; this workspace pushes and pulls from its own.
      const remote = await inside(['remote', 'set-url', 'origin', request.context.cloneUrl]);
      if (!remote.ok) return err(gitProblem(remote.error, 'Pointing origin at the clone URL', context));
      if (incremental) {
        const took = await inside([
          'fetch',
          '--quiet',
          '--no-tags',
          FETCH_MOUNT,
          '+refs/heads/*:refs/remotes/origin/*',
          '+refs/launchpod/*:refs/launchpod/*',
        ]);
        if (!took.ok) return err(gitProblem(took.error, 'Taking the new commits into the snapshot', context));
      }
      // Moving to a newer commit, that commit's files must win over what init changed in tracked files; untracked
      // build output stays. At the snapshot's own commit nothing moves, so init's changes are kept as they are.
      return await checkoutContext(context, inside, { force: incremental });
    } finally {
      await sandbox.value.close();
    }
  } finally {
    await rm(fetchRepo, { recursive: true, force: true });
  }
}

/** Fetches the clone URL's branches and the context's commit into a fresh bare repository of the cluster's own. */
async function fetchOnHost(context: ContentContext, fetchRepo: string): Promise<Result<void, StepFailure>> {
  const { cloneUrl, sha } = context.request.context;
  await rm(fetchRepo, { recursive: true, force: true });
  const made = await git(context, ['init', '--quiet', '--bare', fetchRepo], { cwd: context.workspaceDir });
  if (!made.ok) return err(gitProblem(made.error, 'Preparing the fetch', context));
  const fetched = await git(
    context,
    ['fetch', '--quiet', '--no-tags', cloneUrl, '+refs/heads/*:refs/heads/*'],
    {
      network: true,
      cwd: fetchRepo,
    },
  );
  if (!fetched.ok) return err(gitProblem(fetched.error, `Fetching ${cloneUrl}`, context));
  const present = await git(context, ['cat-file', '-e', `${sha}^{commit}`], { cwd: fetchRepo });
  if (!present.ok) {
    const direct = await git(context, ['fetch', '--quiet', cloneUrl, `${sha}:refs/launchpod/context`], {
      network: true,
      cwd: fetchRepo,
    });
    if (!direct.ok) return err(missingCommit(direct.error, context));
  }
  // Read inside as the workspace's uid (mounted read-only): git there refuses a repository another uid owns.
  const handed = await context.handOver(fetchRepo);
  return handed.ok ? ok(undefined) : err({ kind: 'failed', message: handed.error });
}

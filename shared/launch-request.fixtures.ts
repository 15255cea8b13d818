// Builders for expected launch requests in table tests, so each row states the whole result in one line.

import type {
  EnvVar,
  GitContext,
  HostFamilyId,
  LaunchRequest,
  LineRange,
  PageKind,
  PathTarget,
  RefPathSplit,
  RejectedEnvVar,
  RepoRef,
  Revision,
} from './launch-request.ts';

export const repo = (host: string, family: HostFamilyId, owner: string, name: string): RepoRef => ({
  host,
  family,
  owner,
  name,
});
export const gh = (owner: string, name: string, host = 'github.com'): RepoRef =>
  repo(host, 'github', owner, name);
export const gl = (owner: string, name: string, host = 'gitlab.com'): RepoRef =>
  repo(host, 'gitlab', owner, name);
export const bb = (owner: string, name: string): RepoRef =>
  repo('bitbucket.org', 'bitbucket-cloud', owner, name);
export const bbs = (owner: string, name: string, host = 'bitbucket.corp.example'): RepoRef =>
  repo(host, 'bitbucket-server', owner, name);

export const defaultBranch: Revision = { type: 'default' };
export const anyRef = (name: string): Revision => ({ type: 'ref', name, refType: 'any' });
export const branch = (name: string): Revision => ({ type: 'ref', name, refType: 'branch' });
export const tag = (name: string): Revision => ({ type: 'ref', name, refType: 'tag' });
export const commit = (sha: string, branchName?: string): Revision =>
  branchName === undefined ? { type: 'commit', sha } : { type: 'commit', sha, branch: branchName };
/** `splits('a/b/c', 1)` → candidates a|b/c, a/b|c (blob pages keep at least one path segment). */
export const splits = (text: string, minPath: 0 | 1 = 0): Revision => {
  const parts = text.split('/');
  const candidates: RefPathSplit[] = [];
  for (let end = 1; end <= parts.length - minPath; end++) {
    candidates.push({ ref: parts.slice(0, end).join('/'), path: parts.slice(end).join('/') });
  }
  return { type: 'ambiguous', candidates };
};

export const file = (path: string): PathTarget => ({ path, kind: 'file' });
export const folder = (path: string): PathTarget => ({ path, kind: 'folder' });
export const somePath = (path: string): PathTarget => ({ path, kind: 'unknown' });

export function at(
  repoRef: RepoRef,
  revision: Revision,
  page: PageKind,
  path?: PathTarget,
  lines?: LineRange,
): GitContext {
  return {
    kind: 'repository',
    repo: repoRef,
    revision,
    page,
    ...(path !== undefined && { path }),
    ...(lines !== undefined && { lines }),
  };
}
export const repoPage = (repoRef: RepoRef): GitContext => at(repoRef, defaultBranch, 'repo');
export const pull = (repoRef: RepoRef, number: number, tab?: string): GitContext => ({
  kind: 'pull-request',
  repo: repoRef,
  number,
  ...(tab !== undefined && { tab }),
});
export const issue = (repoRef: RepoRef, number: number): GitContext => ({
  kind: 'issue',
  repo: repoRef,
  number,
});
export const lines = (start: number, end = start): LineRange => ({ start, end });

export interface RequestExtras {
  readonly alternatives?: readonly GitContext[];
  readonly env?: readonly EnvVar[];
  readonly rejectedEnv?: readonly RejectedEnvVar[];
  readonly referrer?: LaunchRequest['referrer'];
  readonly imageBuild?: boolean;
  readonly openPrebuild?: string;
  readonly warnings?: LaunchRequest['warnings'];
}

/** The whole request a parse should return: the context plus everything else at its empty default. */
export function request(context: GitContext, extras: RequestExtras = {}): LaunchRequest {
  return {
    context,
    alternatives: extras.alternatives ?? [],
    env: extras.env ?? [],
    rejectedEnv: extras.rejectedEnv ?? [],
    ...(extras.referrer !== undefined && { referrer: extras.referrer }),
    imageBuild: extras.imageBuild ?? false,
    ...(extras.openPrebuild !== undefined && { openPrebuild: extras.openPrebuild }),
    warnings: extras.warnings ?? [],
  };
}

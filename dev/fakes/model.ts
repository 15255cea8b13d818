// The data behind the fake git hosts: repositories with commits, branches, tags, pull requests and issues. Each
// fake host (github.ts, gitlab.ts…) serves this model in its own API's real response shapes. Pure data + lookups.

export interface FakeCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: string;
  /** ISO 8601. */
  readonly date: string;
  /** The whole tree at this commit: path → text. */
  readonly files: Readonly<Record<string, string>>;
}

export interface FakePull {
  readonly number: number;
  readonly title: string;
  readonly state: 'open' | 'closed' | 'merged';
  readonly author: string;
  /** `owner/name` of the repository holding the head branch (a fork, possibly), on the same host. */
  readonly headRepo: string;
  readonly headRef: string;
  readonly headSha: string;
  /** The head branch (or the whole fork) was deleted after the PR was opened. */
  readonly headDeleted?: boolean;
  readonly baseRef: string;
}

export interface FakeIssue {
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly state: 'open' | 'closed';
}

export interface FakeRepo {
  /** GitHub owner, GitLab namespace path (`group/sub`), Bitbucket workspace, or Bitbucket Server key / `~user`. */
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  readonly private: boolean;
  readonly defaultBranch: string;
  readonly branches: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly commits: Readonly<Record<string, FakeCommit>>;
  readonly pulls: readonly FakePull[];
  readonly issues: readonly FakeIssue[];
  /** `owner/name` this repository was forked from. */
  readonly forkOf?: string;
}

export interface FakeUser {
  readonly login: string;
  readonly id: number;
  /** `owner/name` of private repositories this user can read. */
  readonly canRead: readonly string[];
}

export interface FakeHostData {
  /** `github.com`, `gitlab.com`, `bitbucket.org`, or a self-hosted name. */
  readonly hostname: string;
  /** Path a self-hosted instance lives under (`/gitea`); absent at the root. */
  readonly basePath?: string;
  readonly repos: readonly FakeRepo[];
  /** Bearer tokens the fake accepts. */
  readonly tokens: Readonly<Record<string, FakeUser>>;
}

export const fullName = (repo: FakeRepo): string => `${repo.owner}/${repo.name}`;

export function findRepo(data: FakeHostData, owner: string, name: string): FakeRepo | undefined {
  const o = owner.toLowerCase();
  const n = name.toLowerCase();
  return data.repos.find((r) => r.owner.toLowerCase() === o && r.name.toLowerCase() === n);
}

/** Whether a caller holding `token` (or none) may see the repository; private ones need a user who can read it. */
export function canSee(data: FakeHostData, repo: FakeRepo, token: string | undefined): boolean {
  if (!repo.private) return true;
  const user = token === undefined ? undefined : data.tokens[token];
  return user?.canRead.includes(fullName(repo)) === true;
}

export type Commitish =
  | { readonly kind: 'branch'; readonly name: string; readonly sha: string }
  | { readonly kind: 'tag'; readonly name: string; readonly sha: string }
  | { readonly kind: 'commit'; readonly sha: string };

/** A branch, then a tag, then a full or abbreviated (≥ 7, unique) sha — git's own order for a bare name. */
export function resolveCommitish(repo: FakeRepo, ref: string): Commitish | undefined {
  const branch = repo.branches[ref];
  if (branch !== undefined) return { kind: 'branch', name: ref, sha: branch };
  const tag = repo.tags[ref];
  if (tag !== undefined) return { kind: 'tag', name: ref, sha: tag };
  if (/^[0-9a-f]{7,40}$/i.test(ref)) {
    const matches = Object.keys(repo.commits).filter((sha) => sha.startsWith(ref.toLowerCase()));
    const only = matches[0];
    if (matches.length === 1 && only !== undefined) return { kind: 'commit', sha: only };
  }
  return undefined;
}

/** The commit and its ancestors, first-parent order, newest first, at most `limit`. */
export function history(repo: FakeRepo, sha: string, limit: number): FakeCommit[] {
  const out: FakeCommit[] = [];
  let current = repo.commits[sha];
  while (current !== undefined && out.length < limit) {
    out.push(current);
    const parent = current.parents[0];
    current = parent === undefined ? undefined : repo.commits[parent];
  }
  return out;
}

/** What a path is at a commit: a file's text, a folder's direct entries, or nothing. */
export function pathAt(
  commit: FakeCommit,
  path: string,
):
  | { kind: 'file'; text: string }
  | { kind: 'folder'; entries: { name: string; kind: 'file' | 'folder' }[] }
  | undefined {
  const clean = path.replace(/^\/+|\/+$/g, '');
  const text = commit.files[clean];
  if (text !== undefined) return { kind: 'file', text };
  const prefix = clean === '' ? '' : `${clean}/`;
  const entries = new Map<string, 'file' | 'folder'>();
  for (const file of Object.keys(commit.files)) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    const slash = rest.indexOf('/');
    entries.set(slash === -1 ? rest : rest.slice(0, slash), slash === -1 ? 'file' : 'folder');
  }
  if (entries.size === 0) return undefined;
  return { kind: 'folder', entries: [...entries].map(([name, kind]) => ({ name, kind })) };
}

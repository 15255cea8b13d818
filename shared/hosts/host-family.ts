// What every host family provides: its URL grammar (page URL → context), the way back (context → canonical page
// URL, clone URL) and its API base URL convention. One object per family; nothing here may special-case a host.

import type {
  GitContext,
  HostFamilyId,
  LineRange,
  PageKind,
  ParseError,
  PathTarget,
  RepoRef,
  Revision,
} from '../launch-request.ts';
import { ok, type Result } from '../result.ts';
import { hasWord, type WordTable } from './path-grammar.ts';

/** A registered host: a built-in (github.com…) or one the deployer configured. */
export interface HostEntry {
  /** Lower-case host name, with `:port` when not the default one: `github.com`, `git.corp.example:8443`. */
  readonly hostname: string;
  readonly family: HostFamilyId;
  /** `https://git.corp.example:8443` — where web pages live. */
  readonly origin: string;
  /** Path the instance is served under (`/gitlab`), or `''`. */
  readonly basePath: string;
  readonly apiBaseUrl: string;
  /** `http://` URLs for this host are refused rather than silently upgraded. */
  readonly httpsOnly: boolean;
  readonly builtin: boolean;
}

/** A page URL taken apart: what a family's grammar reads. Segments are percent-decoded, empty ones dropped. */
export interface HostUrl {
  readonly entry: HostEntry;
  /** The host name as the URL wrote it (lower case): `myorg.visualstudio.com` for the `dev.azure.com` entry. */
  readonly hostname: string;
  readonly segments: readonly string[];
  readonly trailingSlash: boolean;
  readonly query: ReadonlyMap<string, string>;
  readonly fragment: string;
  /** `ssh` for `git@host:o/r.git` and `ssh://` clone URLs, whose paths differ from web paths on some hosts. */
  readonly via: 'web' | 'ssh';
}

export interface ParsedContext {
  readonly context: GitContext;
  readonly alternatives: readonly GitContext[];
}

export type RepoContext = Exclude<GitContext, { kind: 'snapshot' }>;

export interface WebUrlOptions {
  /** GitLab: write the legacy route (no `/-/`) the URL came in with, so its alternatives survive a round trip. */
  readonly legacyRoute?: boolean;
}

/** A public instance the launcher knows without configuration (`github.com`). */
export interface BuiltinHost {
  readonly hostname: string;
  readonly apiBaseUrl: string;
  /** Other names people paste for it (`www.github.com`). */
  readonly aliases?: readonly string[];
  /** How people name this instance when it is not the family's name ("Codeberg"). */
  readonly label?: string;
  /** Every sub-domain of this domain is this host too (`myorg.visualstudio.com` → dev.azure.com). */
  readonly subdomainsOf?: string;
  /** Host names its ssh clone URLs use (`ssh.dev.azure.com`). */
  readonly sshHosts?: readonly string[];
}

export interface HostFamily {
  readonly id: HostFamilyId;
  /** "GitHub", "GitLab"… as people say it, for messages. */
  readonly displayName: string;
  /** What its users call a proposed change and how they number it, when not "pull request #12" (GitLab: "!12"). */
  readonly changeRequest?: ChangeRequestTerms;
  /** Public instances built in; empty for a family that is only ever self-hosted. */
  readonly builtins: readonly BuiltinHost[];
  /** The context kinds its URLs name (Bitbucket Server has no issues of its own: it links Jira). */
  readonly contextKinds: readonly RepoContext['kind'][];
  /** "GitHub Enterprise, GitLab self-managed…": what a deployer lists to add an instance, for messages. */
  readonly selfHostedName?: string;
  parse(url: HostUrl): Result<ParsedContext, ParseError>;
  /** The canonical page URL of a context; parsing it gives the same context back. */
  webUrl(context: RepoContext, entry: HostEntry, options?: WebUrlOptions): string;
  cloneUrl(repo: RepoRef, entry: HostEntry): string;
  /** The API base URL of an instance at `origin + basePath` when the deployer does not name one. */
  defaultApiBaseUrl(webBase: string): string;
}

export interface ChangeRequestTerms {
  /** Lower case, as in a sentence: `merge request`. */
  readonly name: string;
  /** Before the number: `!` in `!12`. */
  readonly prefix: string;
}

export const PULL_REQUEST_TERMS: ChangeRequestTerms = { name: 'pull request', prefix: '#' };

/** How a family writes a line range in a file link: `#L10-L20` is `{ prefix: '#L', separator: '-', endPrefix: 'L' }`. */
export interface LineStyle {
  readonly prefix: string;
  readonly separator: string;
  readonly endPrefix: string;
}

export function lineFragment(lines: LineRange | undefined, style: LineStyle): string {
  if (lines === undefined) return '';
  if (lines.start === lines.end) return `${style.prefix}${lines.start}`;
  return `${style.prefix}${lines.start}${style.separator}${style.endPrefix}${lines.end}`;
}

/**
 * A URL with one reading and no alternatives. A module-level function, not a closure made per parse: bundlers that
 * keep names (tsx, wrangler) wrap every closure they create in `__name`, which costs more than the parse step itself.
 */
export const oneReading = (context: GitContext): Result<ParsedContext, ParseError> =>
  ok({ context, alternatives: [] });

/** The repository at its default branch, on its own page or its commit list. */
export const atDefault = (repo: RepoRef, page: 'repo' | 'commits'): RepoContext => ({
  kind: 'repository',
  repo,
  revision: { type: 'default' },
  page,
});

/** `https://corp.example/gitlab`: where the instance's pages live, for messages. */
export const siteOf = (url: HostUrl): string => url.entry.origin + url.entry.basePath;

/**
 * A pull (merge) request, with the tab the link showed when it is one the host's grammar keeps. The tabs are a word
 * table, not a Set: the tab is a segment sliced from the URL, whose hash a Set's read would compute first.
 */
export function pullRequestContext(
  repo: RepoRef,
  number: number,
  tab: string | undefined,
  tabs: WordTable,
): RepoContext {
  const context: { -readonly [K in keyof PullRequestContext]: PullRequestContext[K] } = {
    kind: 'pull-request',
    repo,
    number,
  };
  if (tab !== undefined && hasWord(tabs, tab)) context.tab = tab;
  return context;
}

type PullRequestContext = Extract<GitContext, { kind: 'pull-request' }>;

/** A repository context with only the fields that are set (no `path: undefined`), built without spreads. */
export function repositoryContext(
  repo: RepoRef,
  revision: Revision,
  page: PageKind,
  path?: PathTarget,
  lines?: LineRange,
): RepoContext {
  const context: { -readonly [K in keyof RepositoryContext]: RepositoryContext[K] } = {
    kind: 'repository',
    repo,
    revision,
    page,
  };
  if (path !== undefined) context.path = path;
  // Lines belong to a file: a known path, or each candidate's path of an ambiguous ref.
  if (lines !== undefined && (path !== undefined || revision.type === 'ambiguous')) context.lines = lines;
  return context;
}

type RepositoryContext = Extract<GitContext, { kind: 'repository' }>;

// Azure DevOps Git REST API 7.1 (dev.azure.com, the legacy visualstudio.com host, Azure DevOps Server below a
// collection base): a parsed context → the exact repository, commit, branch, file or pull request. The URL names the
// ref exactly (`version=GB|GT|GC…`), so round trip 1 is the repository beside the commit the version names, round
// trip 2 `.gitpod.yml` and what the path is. Quirks: an expired or missing sign-in on GET answers 203 with an HTML
// sign-in page instead of 401, and 404 means "missing or no permission". Never sends the token anywhere but the
// Authorization header (a user's Entra token as Bearer, a server PAT as Basic), never puts it in an error.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { PathTarget, RepoRef } from '../../../shared/launch-request.ts';
import type { ResolvedContext, ResolvedPullRequest } from '../../../shared/resolved-context.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { LaunchError } from '../errors.ts';
import { hostFetch } from './host-http.ts';
import type { HostCredentials, HostResolver, HttpTuning, RepoContext } from './host-resolver.ts';
import { CONFIG_FILE, emptyRepositoryError, FULL_SHA, unavailable, unreadable } from './resolver-common.ts';

const API_VERSION = '7.1';

export const azureDevopsResolver: HostResolver = {
  async resolve(input) {
    const api = azureApi(input.entry, input.credentials, input.http);
    const context = input.context;
    if (context.kind === 'pull-request') return resolvePull(api, context);
    if (context.kind === 'issue') return err(workItems(api, context.repo));
    return resolveRepository(api, context);
  },

  async readFile(repo, sha, path, entry, credentials, http) {
    const api = azureApi(entry, credentials, http);
    const item = await readItem(api, repo, path, sha, true);
    if (!item.ok) return item;
    return ok(item.value === undefined ? null : (item.value.content ?? null));
  },

  async history(repo, sha, limit, entry, credentials, http) {
    const api = azureApi(entry, credentials, http);
    const reply = await api.get(repo, '/commits', {
      'searchCriteria.itemVersion.version': sha,
      'searchCriteria.itemVersion.versionType': 'commit',
      'searchCriteria.$top': String(Math.min(limit, 1000)),
    });
    if (!reply.ok) return reply;
    if (reply.value.status !== 200) return err(api.failure(reply.value, repo));
    const list = field(parseJson(reply.value.text), 'value');
    return ok(
      (Array.isArray(list) ? list : [])
        .map((c) => field(c, 'commitId'))
        .filter((s): s is string => typeof s === 'string' && FULL_SHA.test(s))
        .slice(0, limit),
    );
  },
};

type RepositoryContext = Extract<RepoContext, { kind: 'repository' }>;

async function resolveRepository(
  api: AzureApi,
  context: RepositoryContext,
): Promise<Result<ResolvedContext, LaunchError>> {
  const { repo, revision } = context;
  const version: Record<string, string> =
    revision.type === 'commit'
      ? {
          'searchCriteria.itemVersion.version': revision.sha,
          'searchCriteria.itemVersion.versionType': 'commit',
        }
      : revision.type === 'ref' && revision.refType !== 'any'
        ? {
            'searchCriteria.itemVersion.version': revision.name,
            'searchCriteria.itemVersion.versionType': revision.refType,
          }
        : revision.type === 'ref'
          ? {
              'searchCriteria.itemVersion.version': revision.name,
              'searchCriteria.itemVersion.versionType': 'branch',
            }
          : {};
  // Round trip 1: the repository and the commit the version names (the default branch's head without one).
  const [repoReply, commitsReply] = await Promise.all([
    api.get(repo, ''),
    api.get(repo, '/commits', { ...version, 'searchCriteria.$top': '1' }),
  ]);
  const found = readRepository(api, repoReply, repo);
  if (!found.ok) return found;
  if (!commitsReply.ok) return commitsReply;
  if (commitsReply.value.status === 404) {
    const name = revision.type === 'commit' ? revision.sha : revision.type === 'ref' ? revision.name : 'HEAD';
    return err(refNotFound(api, repo, name));
  }
  if (commitsReply.value.status !== 200) return err(api.failure(commitsReply.value, repo));
  const first = (field(parseJson(commitsReply.value.text), 'value') as unknown[] | undefined)?.[0];
  const sha = field(first, 'commitId');
  if (typeof sha !== 'string' || !FULL_SHA.test(sha)) return err(emptyRepo(api, repo));
  const ref =
    revision.type === 'ref' && revision.refType !== 'any'
      ? { name: revision.name, type: revision.refType }
      : revision.type === 'ref'
        ? { name: revision.name, type: 'branch' as const }
        : revision.type === 'commit' && revision.branch !== undefined
          ? { name: revision.branch, type: 'branch' as const }
          : revision.type === 'default'
            ? { name: found.value.defaultBranch, type: 'branch' as const }
            : undefined;
  // Round trip 2: `.gitpod.yml` and the path's kind at that commit.
  const path: PathTarget | undefined = context.path;
  const [config, item] = await Promise.all([
    readItem(api, repo, CONFIG_FILE, sha, true),
    path === undefined ? undefined : readItem(api, repo, path.path, sha, false),
  ]);
  if (!config.ok) return config;
  if (item !== undefined && !item.ok) return item;
  const known =
    path === undefined || item?.ok !== true || item.value === undefined
      ? undefined
      : { path: path.path, kind: item.value.folder ? ('folder' as const) : ('file' as const) };
  const family = hostFamilies[api.entry.family];
  return ok(
    resolved({
      repo: found.value.repo,
      visibility: found.value.visibility,
      cloneUrl: family.cloneUrl(found.value.repo, api.entry),
      webUrl: family.webUrl(context, api.entry),
      defaultBranch: found.value.defaultBranch,
      ref,
      sha,
      path: known,
      lines: known?.kind === 'file' ? context.lines : undefined,
      configText: config.value === undefined ? null : (config.value.content ?? null),
    }),
  );
}

async function resolvePull(
  api: AzureApi,
  context: Extract<RepoContext, { kind: 'pull-request' }>,
): Promise<Result<ResolvedContext, LaunchError>> {
  const [repoReply, pullReply] = await Promise.all([
    api.get(context.repo, ''),
    api.get(context.repo, `/pullrequests/${context.number}`),
  ]);
  const target = readRepository(api, repoReply, context.repo);
  if (!target.ok) return target;
  if (!pullReply.ok) return pullReply;
  if (pullReply.value.status === 404) return err(pullNotFound(api, context.repo, context.number));
  if (pullReply.value.status !== 200) return err(api.failure(pullReply.value, context.repo));
  const pull = parseJson(pullReply.value.text);
  const title = field(pull, 'title');
  const source = field(pull, 'sourceRefName');
  const targetRef = field(pull, 'targetRefName');
  const sha = field(field(pull, 'lastMergeSourceCommit'), 'commitId');
  if (
    typeof title !== 'string' ||
    typeof source !== 'string' ||
    typeof targetRef !== 'string' ||
    typeof sha !== 'string' ||
    !FULL_SHA.test(sha)
  )
    return err(unreadable(api, `pull request ${context.number}`));
  const forkJson = field(field(pull, 'forkSource'), 'repository');
  const fork = forkJson === undefined ? undefined : repositoryOf(api, forkJson, context.repo);
  const head = fork ?? target.value;
  const status = field(pull, 'status');
  const branch = source.replace(/^refs\/heads\//, '');
  const config = await readItem(api, head.repo, CONFIG_FILE, sha, true);
  if (!config.ok) return config;
  const pullRequest: ResolvedPullRequest = {
    number: context.number,
    title,
    state: status === 'completed' ? 'merged' : status === 'abandoned' ? 'closed' : 'open',
    headRepo: head.repo,
    headRef: branch,
    headSha: sha,
    baseRepo: target.value.repo,
    baseRef: targetRef.replace(/^refs\/heads\//, ''),
    fromFork: fork !== undefined,
  };
  const family = hostFamilies[api.entry.family];
  return ok(
    resolved({
      repo: head.repo,
      visibility: head.visibility,
      cloneUrl: family.cloneUrl(head.repo, api.entry),
      webUrl: family.webUrl(context, api.entry),
      defaultBranch: head.defaultBranch,
      ref: { name: branch, type: 'branch' },
      sha,
      pullRequest,
      configText: config.value === undefined ? null : (config.value.content ?? null),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The API client

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

type Reply = Result<Answer, LaunchError>;

interface AzureApi {
  readonly entry: HostEntry;
  readonly credentials: HostCredentials;
  readonly label: string;
  readonly site: string;
  /** `<api base>/<org>/<project>/_apis/git/repositories/<repo><path>?api-version=7.1&…` */
  get(repo: RepoRef, path: string, query?: Readonly<Record<string, string>>): Promise<Reply>;
  failure(answer: Answer, repo: RepoRef): LaunchError;
}

function azureApi(entry: HostEntry, credentials: HostCredentials, http: HttpTuning | undefined): AzureApi {
  const label = entry.builtin ? 'Azure DevOps' : `Azure DevOps at ${entry.hostname}`;
  const site = `${entry.origin}${entry.basePath}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = credentials.token;
  if (token !== undefined && token !== '') {
    // A user's Microsoft Entra token is a bearer token; the operator's token is a PAT, sent as basic auth.
    headers.authorization = credentials.kind === 'user' ? `Bearer ${token}` : `Basic ${btoa(`:${token}`)}`;
  }
  const api: AzureApi = {
    entry,
    credentials,
    label,
    site,
    async get(repo, path, query = {}) {
      const owner = repo.owner.split('/').map(encodeURIComponent).join('/');
      const search = new URLSearchParams({ ...query, 'api-version': API_VERSION }).toString();
      const url = `${entry.apiBaseUrl}/${owner}/_apis/git/repositories/${encodeURIComponent(repo.name)}${path}?${search}`;
      const reply = await hostFetch(
        url,
        { method: 'GET', headers },
        { hostLabel: label, hostWebUrl: site, backoffMs: http?.backoffMs, now: http?.now },
      );
      if (!reply.ok) return reply;
      try {
        return ok({
          status: reply.value.status,
          contentType: reply.value.headers.get('content-type') ?? '',
          text: await reply.value.text(),
        });
      } catch {
        return err(unavailable(label, site, 'the answer broke off'));
      }
    },
    failure(answer, repo) {
      // 203 + HTML: Azure's sign-in page where a GET wanted a token it did not get (or did not accept).
      if (answer.status === 401 || (answer.status === 203 && answer.contentType.includes('text/html'))) {
        return new LaunchError('private-repo', {
          title: `Sign in to ${label} to open this`,
          detail:
            credentials.kind === 'user'
              ? `${label} did not accept your sign-in while opening ${repo.owner}/${repo.name}; it may have expired. Sign in with ${label} again.`
              : credentials.kind === 'server'
                ? `${label} did not accept the launcher's access token for ${repo.owner}/${repo.name}. Ask the launcher's operator to renew it.`
                : `${repo.owner}/${repo.name} is not public. Sign in with ${label} to open repositories you can read (public projects are being retired).`,
          wayOut: { label: `Open ${label}`, href: site },
          facts: { maybePrivate: true },
        });
      }
      if (answer.status === 403) {
        return new LaunchError('private-repo', {
          title: 'No access to this repository',
          detail: `${label} does not let ${credentials.kind === 'user' ? 'your account' : 'the launcher'} read ${repo.owner}/${repo.name}. Ask the project's administrator for Read access to Repos.`,
          wayOut: { label: `Open ${label}`, href: site },
        });
      }
      return unavailable(label, site, `HTTP ${answer.status} for ${repo.owner}/${repo.name}`);
    },
  };
  return api;
}

interface Repository {
  readonly repo: RepoRef;
  readonly visibility: 'public' | 'private';
  readonly defaultBranch: string;
}

/** A GitRepository: `<org>` kept from the asked owner (Services), the project and name from the answer. */
function repositoryOf(api: AzureApi, json: unknown, asked: RepoRef): Repository | undefined {
  const name = field(json, 'name');
  const project = field(field(json, 'project'), 'name');
  if (typeof name !== 'string' || typeof project !== 'string') return undefined;
  const slash = asked.owner.lastIndexOf('/');
  const owner = slash === -1 ? project : `${asked.owner.slice(0, slash)}/${project}`;
  const branch = field(json, 'defaultBranch');
  return {
    repo: { host: api.entry.hostname, family: api.entry.family, owner, name },
    visibility: field(field(json, 'project'), 'visibility') === 'public' ? 'public' : 'private',
    defaultBranch: typeof branch === 'string' ? branch.replace(/^refs\/heads\//, '') : 'main',
  };
}

function readRepository(api: AzureApi, reply: Reply, asked: RepoRef): Result<Repository, LaunchError> {
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return err(repoNotFound(api, asked));
  if (reply.value.status !== 200) return err(api.failure(reply.value, asked));
  const body = parseJson(reply.value.text);
  const repository = repositoryOf(api, body, asked);
  if (repository === undefined) return err(unreadable(api, `${asked.owner}/${asked.name}`));
  if (field(body, 'defaultBranch') === undefined) return err(emptyRepo(api, asked));
  if (field(body, 'isDisabled') === true) return err(repoNotFound(api, asked));
  return ok(repository);
}

/** A GitItem at a commit: its content when asked, whether it is a folder; undefined when absent (TF401174). */
async function readItem(
  api: AzureApi,
  repo: RepoRef,
  path: string,
  sha: string,
  content: boolean,
): Promise<Result<{ content?: string; folder: boolean } | undefined, LaunchError>> {
  const reply = await api.get(repo, '/items', {
    path: `/${path.replace(/^\/+/, '')}`,
    'versionDescriptor.version': sha,
    'versionDescriptor.versionType': 'commit',
    ...(content && { includeContent: 'true' }),
  });
  if (!reply.ok) return reply;
  if (reply.value.status === 404) return ok(undefined);
  if (reply.value.status !== 200) return err(api.failure(reply.value, repo));
  const item = parseJson(reply.value.text);
  const text = field(item, 'content');
  const folder = field(item, 'isFolder') === true || field(item, 'gitObjectType') === 'tree';
  return ok(typeof text === 'string' ? { content: text, folder } : { folder });
}

function resolved(parts: { [K in keyof ResolvedContext]: ResolvedContext[K] | undefined }): ResolvedContext {
  return Object.fromEntries(
    Object.entries(parts).filter(([, v]) => v !== undefined),
  ) as unknown as ResolvedContext;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors a person can act on

const repoPage = (api: AzureApi, repo: RepoRef): string =>
  hostFamilies[api.entry.family].webUrl(
    { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' },
    api.entry,
  );

function repoNotFound(api: AzureApi, repo: RepoRef): LaunchError {
  return new LaunchError('repo-not-found', {
    title: 'Repository not found',
    detail: `${repo.owner}/_git/${repo.name} does not exist on ${api.label}, or ${api.credentials.kind === 'user' ? 'your account cannot see it' : 'it is not public: sign in to open it'} (TF401019). Check the organisation, project and repository names.`,
    wayOut: { label: `Open ${api.label}`, href: api.site },
    ...(api.credentials.kind !== 'user' && { facts: { maybePrivate: true } }),
  });
}

function refNotFound(api: AzureApi, repo: RepoRef, name: string): LaunchError {
  return new LaunchError('ref-not-found', {
    title: 'Branch, tag or commit not found',
    detail: `${repo.owner}/_git/${repo.name} on ${api.label} has no version '${name}'. It may have been deleted or renamed.`,
    wayOut: { label: 'See the branches', href: `${repoPage(api, repo)}/branches` },
  });
}

const emptyRepo = (api: AzureApi, repo: RepoRef): LaunchError =>
  emptyRepositoryError({
    name: `${repo.owner}/_git/${repo.name}`,
    label: api.label,
    noun: 'repository',
    where: repoPage(api, repo),
  });

function pullNotFound(api: AzureApi, repo: RepoRef, number: number): LaunchError {
  return new LaunchError('pr-not-found', {
    title: 'Pull request not found',
    detail: `${repo.owner}/_git/${repo.name} on ${api.label} has no pull request ${number}, or you cannot see it. Pull requests live in their target repository.`,
    wayOut: { label: 'See the pull requests', href: `${repoPage(api, repo)}/pullrequests` },
  });
}

function workItems(api: AzureApi, repo: RepoRef): LaunchError {
  return new LaunchError('invalid-input', {
    title: 'Work items are not tied to a repository',
    detail:
      'An Azure DevOps work item does not say which repository to open. Open the repository or a pull request instead.',
    wayOut: { label: 'Open the repository', href: repoPage(api, repo) },
  });
}

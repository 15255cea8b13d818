// A fake Azure DevOps Git REST API 7.1 serving the sample model in the real shapes (vsts-rest-api-specs
// `specification/git/7.1/git.json`): GitRepository, `{count, value}` lists of GitCommitRef and GitRef (`filter` is
// "starts with"), GitItem (`includeContent`, folders `isFolder`), GitPullRequest (`forkSource` for a fork's head),
// TF-numbered error bodies (`TF401019` repository, `TF401174` item), and the quirks: an unauthenticated or bad token
// on a private project answers **203 with the HTML sign-in page**, not 401; throttling answers 429 `TF400733` with
// `Retry-After` and `X-RateLimit-*`. Services paths `/<org>/<project>/_apis/git/…`; Server paths below the
// collection base (`/tfs/DefaultCollection/<project>/_apis/git/…`). Web APIs only: runs inside workerd and Node.

import {
  canSee,
  type FakeCommit,
  type FakeHostData,
  type FakePull,
  type FakeRepo,
  findRepo,
  history,
  pathAt,
  resolveCommitish,
} from './model.ts';
import { decode } from './request-parts.ts';
import type { Delivery, PushFacts } from './webhook-signing.ts';

export interface FakeAzureDevopsOptions {
  readonly rateLimited?: boolean;
  readonly retryAfterSeconds?: number;
}

type Handler = (request: Request) => Promise<Response>;
type Reply = { status: number; json?: unknown };

const MARKER = '/_apis/git/';

export function fakeAzureDevops(data: FakeHostData, options: FakeAzureDevopsOptions = {}): Handler {
  return async (request) => {
    const url = new URL(request.url);
    if (options.rateLimited === true) {
      return Response.json(
        errorBody(
          'TF400733: The request has been blocked due to exceeding usage of resource.',
          'RequestBlockedException',
        ),
        {
          status: 429,
          headers: {
            'retry-after': String(options.retryAfterSeconds ?? 30),
            'x-ratelimit-resource': 'Core',
            'x-ratelimit-delay': '30',
            'x-ratelimit-limit': '200',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30),
          },
        },
      );
    }
    const at = url.pathname.indexOf(MARKER);
    if (at === -1 || request.method !== 'GET')
      return Response.json(errorBody('Page not found.', 'NotFound'), { status: 404 });
    const base = data.basePath ?? '';
    const ownerPath = url.pathname
      .slice(base.length, at)
      .split('/')
      .filter((s) => s !== '')
      .map(decode);
    const owner = ownerPath.join('/');
    const parts = url.pathname
      .slice(at + MARKER.length)
      .split('/')
      .map(decode);
    const token = tokenOf(request.headers.get('authorization'));
    const known = token !== undefined && data.tokens[token] !== undefined;
    const [what, repoName, kind, id] = parts;
    if (what !== 'repositories' || repoName === undefined)
      return json({ status: 404, json: errorBody('TF400898', 'NotFound') });
    const repo = findRepo(data, owner, repoName);
    // A bad or missing token where one is needed: the sign-in page, with 203 (Non-Authoritative Information).
    if (
      (token !== undefined && !known) ||
      (repo !== undefined && !canSee(data, repo, token) && token === undefined)
    ) {
      return new Response(
        '<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head><body>Sign in</body></html>',
        {
          status: 203,
          headers: { 'content-type': 'text/html; charset=utf-8' },
        },
      );
    }
    if (repo === undefined || !canSee(data, repo, token))
      return json({ status: 404, json: repoNotFound(repoName) });
    const links = { origin: url.origin, base };
    return json(route(data, repo, kind, id, url.searchParams, links));
  };
}

interface Links {
  readonly origin: string;
  readonly base: string;
}

function route(
  data: FakeHostData,
  repo: FakeRepo,
  kind: string | undefined,
  id: string | undefined,
  query: URLSearchParams,
  links: Links,
): Reply {
  switch (kind) {
    case undefined:
      return ok(repositoryJson(data, repo, links));
    case 'commits': {
      if (id !== undefined) {
        const found = resolveCommitish(repo, id);
        const commit = found?.kind === 'commit' ? repo.commits[found.sha] : undefined;
        return commit === undefined
          ? {
              status: 404,
              json: errorBody(
                `TF401175: The version descriptor <Commit: ${id}> could not be resolved to a version in the repository ${repo.name}`,
                'GitUnresolvableToCommitException',
              ),
            }
          : ok(commitJson(commit));
      }
      const version = query.get('searchCriteria.itemVersion.version') ?? repo.defaultBranch;
      const type = query.get('searchCriteria.itemVersion.versionType') ?? 'branch';
      const sha =
        type === 'branch'
          ? repo.branches[version]
          : type === 'tag'
            ? repo.tags[version]
            : commitOf(repo, version);
      if (sha === undefined)
        return {
          status: 404,
          json: errorBody(
            `TF401175: The version descriptor <${type}: ${version}> could not be resolved to a version in the repository ${repo.name}`,
            'GitUnresolvableToCommitException',
          ),
        };
      const top = Number(query.get('searchCriteria.$top') ?? query.get('$top') ?? 100);
      const list = history(repo, sha, Math.max(1, Math.min(top, 1000)));
      return ok({ count: list.length, value: list.map(commitJson) });
    }
    case 'refs': {
      const filter = query.get('filter') ?? '';
      const refs = [
        ...Object.entries(repo.branches).map(([b, sha]) => [`refs/heads/${b}`, sha] as const),
        ...Object.entries(repo.tags).map(([t, sha]) => [`refs/tags/${t}`, sha] as const),
      ].filter(([name]) => name.startsWith(`refs/${filter}`));
      return ok({ count: refs.length, value: refs.map(([name, objectId]) => ({ name, objectId })) });
    }
    case 'items': {
      const version = query.get('versionDescriptor.version') ?? repo.defaultBranch;
      const type = query.get('versionDescriptor.versionType') ?? 'branch';
      const sha =
        type === 'commit'
          ? commitOf(repo, version)
          : type === 'tag'
            ? repo.tags[version]
            : repo.branches[version];
      const commit = sha === undefined ? undefined : repo.commits[sha];
      const path = (query.get('path') ?? '/').replace(/^\/+/, '');
      const found = commit === undefined ? undefined : pathAt(commit, path);
      if (found === undefined || commit === undefined)
        return {
          status: 404,
          json: errorBody(
            `TF401174: The item '/${path}' could not be found in the repository '${repo.name}' at the version specified by '<${type}: ${version}>'`,
            'GitItemNotFoundException',
          ),
        };
      const item = {
        objectId: commit.sha,
        gitObjectType: found.kind === 'file' ? 'blob' : 'tree',
        commitId: commit.sha,
        path: `/${path}`,
        ...(found.kind === 'folder' && { isFolder: true }),
        ...(found.kind === 'file' && query.get('includeContent') === 'true' && { content: found.text }),
        url: `${links.origin}${links.base}/_apis/git/repositories/${repo.id}/items?path=/${path}`,
      };
      return ok(item);
    }
    case 'pullrequests': {
      const pull = repo.pulls.find((p) => String(p.number) === id);
      if (pull === undefined)
        return {
          status: 404,
          json: errorBody(
            `TF401180: The requested pull request was not found.`,
            'GitPullRequestNotFoundException',
          ),
        };
      return ok(pullJson(data, repo, pull, links));
    }
    default:
      return { status: 404, json: errorBody('TF400898', 'NotFound') };
  }
}

function commitOf(repo: FakeRepo, version: string): string | undefined {
  const found = resolveCommitish(repo, version);
  return found?.kind === 'commit' ? found.sha : undefined;
}

/** `<org>/<project>` (Services) or `<project>` (Server): the project is the last segment of the owner. */
function projectOf(repo: FakeRepo): { org: string | undefined; project: string } {
  const slash = repo.owner.lastIndexOf('/');
  return slash === -1
    ? { org: undefined, project: repo.owner }
    : { org: repo.owner.slice(0, slash), project: repo.owner.slice(slash + 1) };
}

function webRepoUrl(repo: FakeRepo, links: Links): string {
  const owner = repo.owner.split('/').map(encodeURIComponent).join('/');
  return `${links.origin}${links.base}/${owner}/_git/${encodeURIComponent(repo.name)}`;
}

function repositoryJson(data: FakeHostData, repo: FakeRepo, links: Links): unknown {
  const { project } = projectOf(repo);
  const parent =
    repo.forkOf === undefined ? undefined : data.repos.find((r) => `${r.owner}/${r.name}` === repo.forkOf);
  return {
    id: `00000000-0000-0000-0000-${String(repo.id).padStart(12, '0')}`,
    name: repo.name,
    url: `${links.origin}${links.base}/_apis/git/repositories/${repo.id}`,
    project: {
      id: `project-${project}`,
      name: project,
      state: 'wellFormed',
      visibility: repo.private ? 'private' : 'public',
    },
    ...(Object.keys(repo.commits).length > 0 && { defaultBranch: `refs/heads/${repo.defaultBranch}` }),
    size: 1024,
    remoteUrl: webRepoUrl(repo, links),
    sshUrl: `git@ssh.dev.azure.com:v3/${repo.owner}/${repo.name}`,
    webUrl: webRepoUrl(repo, links),
    isDisabled: false,
    isFork: repo.forkOf !== undefined,
    ...(parent !== undefined && { parentRepository: { id: String(parent.id), name: parent.name } }),
  };
}

function commitJson(commit: FakeCommit): unknown {
  const person = { name: commit.author, email: `${commit.author}@example.test`, date: commit.date };
  return {
    commitId: commit.sha,
    comment: commit.message,
    author: person,
    committer: person,
    parents: commit.parents,
  };
}

function pullJson(data: FakeHostData, repo: FakeRepo, pull: FakePull, links: Links): unknown {
  const head = data.repos.find((r) => `${r.owner}/${r.name}` === pull.headRepo);
  const fork = head !== undefined && head !== repo && pull.headDeleted !== true ? head : undefined;
  return {
    pullRequestId: pull.number,
    codeReviewId: pull.number,
    status: pull.state === 'open' ? 'active' : pull.state === 'merged' ? 'completed' : 'abandoned',
    isDraft: false,
    title: pull.title,
    createdBy: { displayName: pull.author, uniqueName: `${pull.author}@example.test` },
    sourceRefName: `refs/heads/${pull.headRef}`,
    targetRefName: `refs/heads/${pull.baseRef}`,
    mergeStatus: 'succeeded',
    lastMergeSourceCommit: { commitId: pull.headSha },
    lastMergeTargetCommit: { commitId: repo.branches[pull.baseRef] ?? '' },
    repository: repositoryJson(data, repo, links),
    ...(fork !== undefined && {
      forkSource: { name: `refs/heads/${pull.headRef}`, repository: repositoryJson(data, fork, links) },
    }),
  };
}

function errorBody(message: string, typeKey: string): unknown {
  return {
    $id: '1',
    innerException: null,
    message,
    typeName: `Microsoft.TeamFoundation.Git.Server.${typeKey}, Microsoft.TeamFoundation.Git.Server`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  };
}

const repoNotFound = (name: string) =>
  errorBody(
    `TF401019: The Git repository with name or identifier ${name} does not exist or you do not have permissions for the operation you are attempting.`,
    'GitRepositoryNotFoundException',
  );

const ok = (body: unknown): Reply => ({ status: 200, json: body });

function json(reply: Reply): Response {
  return new Response(JSON.stringify(reply.json ?? null), {
    status: reply.status,
    headers: { 'content-type': 'application/json; charset=utf-8; api-version=7.1' },
  });
}

/** `Bearer <Entra token>` or `Basic base64(:<PAT>)`; undefined without a header. */
function tokenOf(header: string | null): string | undefined {
  if (header === null) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer?.[1] !== undefined) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic?.[1] === undefined) return '';
  try {
    const decoded = atob(basic[1]);
    return decoded.slice(decoded.indexOf(':') + 1);
  } catch {
    return '';
  }
}

/**
 * A push as an Azure DevOps service hook delivers it (`git.push`, resource version 1.0): no signature — the
 * subscription sends the secret as the basic-auth password it was configured with.
 */
export async function azureDevopsPushDelivery(secret: string, push: PushFacts): Promise<Delivery> {
  const slash = push.owner.lastIndexOf('/');
  const project = slash === -1 ? push.owner : push.owner.slice(slash + 1);
  const body = JSON.stringify({
    subscriptionId: '00000000-0000-0000-0000-000000000001',
    notificationId: 1,
    id: push.delivery,
    eventType: 'git.push',
    publisherId: 'tfs',
    resource: {
      refUpdates: [{ name: `refs/heads/${push.branch}`, oldObjectId: '0'.repeat(40), newObjectId: push.sha }],
      repository: {
        name: push.name,
        project: { name: project, visibility: push.private ? 'private' : 'public' },
        defaultBranch: `refs/heads/${push.defaultBranch}`,
      },
      pushId: 1,
    },
    resourceVersion: '1.0',
  });
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    authorization: `Basic ${btoa(`launchpod:${secret}`)}`,
  };
  return { headers, body };
}

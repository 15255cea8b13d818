// Reads each host family's push and pull/merge request webhook payloads (their real shapes) into one trigger the
// queue consumer understands, or says why the event is irrelevant. Called only after the signature was verified.

import type { HostFamilyId } from '../../../shared/launch-request.ts';

export type WebhookTrigger =
  | {
      readonly kind: 'push';
      /** Branch name without `refs/heads/`. */
      readonly branch: string;
      /** Full sha (every family sends one for pushes). */
      readonly sha: string;
    }
  | {
      readonly kind: 'pull-request';
      readonly number: number;
      readonly branch: string;
      /** Full sha, or Bitbucket Cloud's 12-hex abbreviation (the consumer resolves it). */
      readonly sha: string;
      readonly fromFork: boolean;
      /** `owner/name` of the head repository when it is a fork. */
      readonly headRepo?: { readonly owner: string; readonly name: string };
    };

export type ReadEvent =
  | { readonly kind: 'triggers'; readonly triggers: readonly WebhookTrigger[] }
  | { readonly kind: 'ping' }
  | { readonly kind: 'irrelevant'; readonly why: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const isSha = (v: string | undefined): v is string => v !== undefined && /^[0-9a-f]{7,40}$/i.test(v);
const ZERO = /^0+$/;
const branchOf = (ref: string | undefined) => (ref?.startsWith('refs/heads/') ? ref.slice(11) : undefined);

/** `owner/name` → parts (GitLab namespaces may have slashes: the last segment is the name). */
function splitFullName(full: string | undefined): { owner: string; name: string } | undefined {
  if (full === undefined) return undefined;
  const slash = full.lastIndexOf('/');
  return slash <= 0 ? undefined : { owner: full.slice(0, slash), name: full.slice(slash + 1) };
}

export function readWebhookEvent(family: HostFamilyId, headers: Headers, body: unknown): ReadEvent {
  const payload = obj(body);
  switch (family) {
    case 'github':
      return readGitHub(headers.get('x-github-event') ?? '', payload);
    case 'gitlab':
      return readGitLab(headers.get('x-gitlab-event') ?? '', payload);
    case 'bitbucket-cloud':
      return readBitbucketCloud(headers.get('x-event-key') ?? '', payload);
    case 'bitbucket-server':
      return readBitbucketServer(headers.get('x-event-key') ?? '', payload);
  }
}

/**
 * What a delivery says about the project's repository's visibility, where its payload carries it: GitHub
 * `repository.private` (push, pull_request, and the `repository` event's privatized/publicized), GitLab
 * `project.visibility_level` (20 public; 10 internal and 0 private both need an account), Bitbucket Cloud
 * `repository.is_private`, Bitbucket Server `repository.public` (a pull request's target `toRef.repository`).
 * Undefined when the payload does not say.
 */
export function webhookVisibility(family: HostFamilyId, body: unknown): 'public' | 'private' | undefined {
  const p = obj(body);
  const flag = (value: unknown, publicWhen: boolean) =>
    typeof value === 'boolean' ? (value === publicWhen ? 'public' : 'private') : undefined;
  switch (family) {
    case 'github':
      return flag(obj(p.repository).private, false);
    case 'gitlab': {
      const level = obj(p.project).visibility_level;
      return typeof level === 'number' ? (level === 20 ? 'public' : 'private') : undefined;
    }
    case 'bitbucket-cloud':
      return flag(obj(p.repository).is_private, false);
    case 'bitbucket-server':
      return flag(obj(p.repository).public ?? obj(obj(obj(p.pullRequest).toRef).repository).public, true);
  }
}

function readGitHub(event: string, p: Json): ReadEvent {
  if (event === 'ping') return { kind: 'ping' };
  if (event === 'push') {
    const branch = branchOf(str(p.ref));
    const sha = str(p.after);
    if (branch === undefined) return { kind: 'irrelevant', why: 'push of a tag' };
    if (p.deleted === true || !isSha(sha) || ZERO.test(sha))
      return { kind: 'irrelevant', why: 'branch deleted' };
    return { kind: 'triggers', triggers: [{ kind: 'push', branch, sha }] };
  }
  if (event === 'pull_request') {
    const action = str(p.action) ?? '';
    if (!['opened', 'synchronize', 'reopened'].includes(action))
      return { kind: 'irrelevant', why: `pull_request ${action}` };
    const pr = obj(p.pull_request);
    const head = obj(pr.head);
    const headRepo = str(obj(head.repo).full_name);
    const baseRepo = str(obj(obj(pr.base).repo).full_name);
    const sha = str(head.sha);
    const branch = str(head.ref);
    if (!isSha(sha) || branch === undefined || typeof p.number !== 'number')
      return { kind: 'irrelevant', why: 'pull_request without a head' };
    return pullRequestTrigger(p.number, branch, sha, headRepo, baseRepo);
  }
  return { kind: 'irrelevant', why: `event ${event || '(none)'}` };
}

/** A pull request's head to prebuild, from hosts that name repositories `owner/name` (a fork when they differ). */
function pullRequestTrigger(
  number: number,
  branch: string,
  sha: string,
  headRepo: string | undefined,
  baseRepo: string | undefined,
): ReadEvent {
  const fromFork = headRepo !== undefined && headRepo.toLowerCase() !== baseRepo?.toLowerCase();
  const fork = fromFork ? splitFullName(headRepo) : undefined;
  return {
    kind: 'triggers',
    triggers: [
      { kind: 'pull-request', number, branch, sha, fromFork, ...(fork !== undefined && { headRepo: fork }) },
    ],
  };
}

function readGitLab(event: string, p: Json): ReadEvent {
  if (event === 'Push Hook') {
    const branch = branchOf(str(p.ref));
    const sha = str(p.checkout_sha) ?? str(p.after);
    if (branch === undefined) return { kind: 'irrelevant', why: 'push of a tag' };
    if (!isSha(sha) || ZERO.test(sha)) return { kind: 'irrelevant', why: 'branch deleted' };
    return { kind: 'triggers', triggers: [{ kind: 'push', branch, sha }] };
  }
  if (event === 'Merge Request Hook') {
    const attributes = obj(p.object_attributes);
    const action = str(attributes.action) ?? '';
    if (!['open', 'update', 'reopen'].includes(action))
      return { kind: 'irrelevant', why: `merge request ${action}` };
    const sha = str(obj(attributes.last_commit).id);
    const branch = str(attributes.source_branch);
    const number = attributes.iid;
    if (!isSha(sha) || branch === undefined || typeof number !== 'number')
      return { kind: 'irrelevant', why: 'merge request without a head' };
    const fromFork = attributes.source_project_id !== attributes.target_project_id;
    const fork = fromFork ? splitFullName(str(obj(attributes.source).path_with_namespace)) : undefined;
    return {
      kind: 'triggers',
      triggers: [
        {
          kind: 'pull-request',
          number,
          branch,
          sha,
          fromFork,
          ...(fork !== undefined && { headRepo: fork }),
        },
      ],
    };
  }
  return { kind: 'irrelevant', why: `event ${event || '(none)'}` };
}

function readBitbucketCloud(event: string, p: Json): ReadEvent {
  if (event === 'repo:push') {
    const changes = Array.isArray(obj(p.push).changes) ? (obj(p.push).changes as unknown[]) : [];
    const triggers: WebhookTrigger[] = [];
    for (const change of changes) {
      const next = obj(obj(change).new);
      const sha = str(obj(next.target).hash);
      const branch = str(next.name);
      if (next.type === 'branch' && branch !== undefined && isSha(sha))
        triggers.push({ kind: 'push', branch, sha });
    }
    return triggers.length > 0
      ? { kind: 'triggers', triggers }
      : { kind: 'irrelevant', why: 'no branch updated' };
  }
  if (event === 'pullrequest:created' || event === 'pullrequest:updated') {
    const pr = obj(p.pullrequest);
    const source = obj(pr.source);
    const sha = str(obj(source.commit).hash);
    const branch = str(obj(source.branch).name);
    const headRepo = str(obj(source.repository).full_name);
    const baseRepo = str(obj(obj(pr.destination).repository).full_name);
    if (!isSha(sha) || branch === undefined || typeof pr.id !== 'number')
      return { kind: 'irrelevant', why: 'pull request without a head' };
    return pullRequestTrigger(pr.id, branch, sha, headRepo, baseRepo);
  }
  return { kind: 'irrelevant', why: `event ${event || '(none)'}` };
}

function readBitbucketServer(event: string, p: Json): ReadEvent {
  if (event === 'diagnostics:ping') return { kind: 'ping' };
  if (event === 'repo:refs_changed') {
    const changes = Array.isArray(p.changes) ? (p.changes as unknown[]) : [];
    const triggers: WebhookTrigger[] = [];
    for (const raw of changes) {
      const change = obj(raw);
      const ref = obj(change.ref);
      const sha = str(change.toHash);
      const branch = branchOf(str(ref.id));
      if (change.type === 'DELETE' || branch === undefined || !isSha(sha) || ZERO.test(sha)) continue;
      triggers.push({ kind: 'push', branch, sha });
    }
    return triggers.length > 0
      ? { kind: 'triggers', triggers }
      : { kind: 'irrelevant', why: 'no branch updated' };
  }
  if (event === 'pr:opened' || event === 'pr:from_ref_updated') {
    const pr = obj(p.pullRequest);
    const from = obj(pr.fromRef);
    const to = obj(pr.toRef);
    const sha = str(from.latestCommit);
    const branch = branchOf(str(from.id)) ?? str(from.displayId);
    const repoName = (ref: Json) => {
      const repo = obj(ref.repository);
      const key = str(obj(repo.project).key);
      const slug = str(repo.slug);
      return key === undefined || slug === undefined ? undefined : { owner: key, name: slug };
    };
    const head = repoName(from);
    const base = repoName(to);
    if (!isSha(sha) || branch === undefined || typeof pr.id !== 'number')
      return { kind: 'irrelevant', why: 'pull request without a head' };
    const fromFork =
      head !== undefined &&
      (head.owner.toLowerCase() !== base?.owner.toLowerCase() ||
        head.name.toLowerCase() !== base?.name.toLowerCase());
    return {
      kind: 'triggers',
      triggers: [
        {
          kind: 'pull-request',
          number: pr.id,
          branch,
          sha,
          fromFork,
          ...(fromFork && head !== undefined && { headRepo: head }),
        },
      ],
    };
  }
  return { kind: 'irrelevant', why: `event ${event || '(none)'}` };
}

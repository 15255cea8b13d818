// Azure DevOps service hooks (Web Hooks consumer): Azure signs nothing, so a subscription is secured the two ways it
// allows — HTTP basic authentication (the secret as the password; any user name) or a custom header
// `X-Launchpod-Webhook-Secret: <secret>` — both compared in constant time. Events `git.push` and
// `git.pullrequest.created` / `git.pullrequest.updated`; the delivery is named by the payload's `id`.

import {
  branchOf,
  isSha,
  type Json,
  obj,
  type ReadEvent,
  str,
  type WebhookFamily,
  type WebhookTrigger,
  ZERO,
} from '../webhook-family.ts';
import { verifyToken } from '../webhook-signature.ts';

/** The password of a basic `Authorization` header, or the custom header's value. */
function presentedSecret(headers: Headers): string | null {
  const custom = headers.get('x-launchpod-webhook-secret');
  if (custom !== null) return custom;
  const basic = /^Basic\s+(\S+)$/i.exec(headers.get('authorization') ?? '');
  if (basic?.[1] === undefined) return null;
  try {
    const decoded = atob(basic[1]);
    const colon = decoded.indexOf(':');
    return colon === -1 ? null : decoded.slice(colon + 1);
  } catch {
    return null;
  }
}

export const azureDevopsWebhooks: WebhookFamily = {
  verify: (secret, headers) => verifyToken(secret, presentedSecret(headers)),
  deliveryId: (_headers, payload) => str(payload.id) ?? null,
  read: (_headers, payload) => readAzure(str(payload.eventType) ?? '', payload),
  // `resource.repository.project.visibility`: `public` or `private` (organisation-visible counts as private).
  visibility: (p) => {
    const value = obj(obj(obj(p.resource).repository).project).visibility;
    return value === 'public' ? 'public' : typeof value === 'string' ? 'private' : undefined;
  },
  signatureVectors: [
    // `launchpod:azure-secret` as basic auth, as the subscription's "Basic authentication" fields send it.
    {
      secret: 'azure-secret',
      body: '{}',
      headers: { authorization: 'Basic bGF1bmNocG9kOmF6dXJlLXNlY3JldA==' },
      valid: true,
    },
    {
      secret: 'azure-secret',
      body: '{}',
      headers: { 'x-launchpod-webhook-secret': 'azure-secret' },
      valid: true,
    },
    {
      secret: 'azure-secret',
      body: '{}',
      headers: { authorization: 'Basic bGF1bmNocG9kOm5vcGU=' },
      valid: false,
    },
    { secret: 'azure-secret', body: '{}', headers: {}, valid: false },
  ],
};

function readAzure(event: string, p: Json): ReadEvent {
  const resource = obj(p.resource);
  if (event === 'git.push') {
    const updates = Array.isArray(resource.refUpdates) ? (resource.refUpdates as unknown[]) : [];
    const triggers: WebhookTrigger[] = [];
    for (const raw of updates) {
      const update = obj(raw);
      const branch = branchOf(str(update.name));
      const sha = str(update.newObjectId);
      if (branch === undefined || !isSha(sha) || ZERO.test(sha)) continue;
      triggers.push({ kind: 'push', branch, sha });
    }
    return triggers.length > 0
      ? { kind: 'triggers', triggers }
      : { kind: 'irrelevant', why: 'no branch updated' };
  }
  if (event === 'git.pullrequest.created' || event === 'git.pullrequest.updated') {
    if (resource.status !== undefined && resource.status !== 'active')
      return { kind: 'irrelevant', why: `pull request ${String(resource.status)}` };
    const sha = str(obj(resource.lastMergeSourceCommit).commitId);
    const branch = branchOf(str(resource.sourceRefName));
    const number = resource.pullRequestId;
    if (!isSha(sha) || branch === undefined || typeof number !== 'number')
      return { kind: 'irrelevant', why: 'pull request without a head' };
    const fork = obj(obj(resource.forkSource).repository);
    const forkName = str(fork.name);
    const forkProject = str(obj(fork.project).name);
    const fromFork = forkName !== undefined;
    return {
      kind: 'triggers',
      triggers: [
        {
          kind: 'pull-request',
          number,
          branch,
          sha,
          fromFork,
          ...(fromFork && forkProject !== undefined && { headRepo: { owner: forkProject, name: forkName } }),
        },
      ],
    };
  }
  return { kind: 'irrelevant', why: `event ${event || '(none)'}` };
}

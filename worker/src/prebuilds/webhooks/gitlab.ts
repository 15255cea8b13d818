// GitLab webhooks: `X-Gitlab-Token` carries the secret itself (compared in constant time), `X-Gitlab-Event`, the
// delivery in `X-Gitlab-Event-UUID` (or `Idempotency-Key`); Push Hook and Merge Request Hook payloads.

import {
  branchOf,
  isSha,
  type Json,
  obj,
  type ReadEvent,
  splitFullName,
  str,
  type WebhookFamily,
  ZERO,
} from '../webhook-family.ts';
import { verifyToken } from '../webhook-signature.ts';

export const gitlabWebhooks: WebhookFamily = {
  verify: (secret, headers) => verifyToken(secret, headers.get('x-gitlab-token')),
  deliveryId: (headers) => headers.get('x-gitlab-event-uuid') ?? headers.get('idempotency-key'),
  read: (headers, payload) => readGitLab(headers.get('x-gitlab-event') ?? '', payload),
  // `project.visibility_level`: 20 public; 10 internal and 0 private both need an account.
  visibility: (p) => {
    const level = obj(p.project).visibility_level;
    return typeof level === 'number' ? (level === 20 ? 'public' : 'private') : undefined;
  },
  signatureVectors: [
    { secret: 'gitlab-secret', body: '{}', headers: { 'x-gitlab-token': 'gitlab-secret' }, valid: true },
    { secret: 'gitlab-secret', body: '{}', headers: { 'x-gitlab-token': 'gitlab-secreT' }, valid: false },
    { secret: 'gitlab-secret', body: '{}', headers: {}, valid: false },
  ],
};

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

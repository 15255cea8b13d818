// Bitbucket Server / Data Center webhooks: `X-Hub-Signature: sha256=<hex HMAC>` of the raw body, `X-Event-Key`,
// the delivery in `X-Request-Id`; repo:refs_changed and pr:opened/from_ref_updated payloads.

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
import { verifyHmacSha256 } from '../webhook-signature.ts';

export const bitbucketServerWebhooks: WebhookFamily = {
  verify: (secret, headers, body) => verifyHmacSha256(secret, body, headers.get('x-hub-signature')),
  deliveryId: (headers) => headers.get('x-request-id'),
  read: (headers, payload) => readBitbucketServer(headers.get('x-event-key') ?? '', payload),
  // `repository.public`, or a pull request's target `toRef.repository.public`.
  visibility: (p) => {
    const value = obj(p.repository).public ?? obj(obj(obj(p.pullRequest).toRef).repository).public;
    return typeof value === 'boolean' ? (value ? 'public' : 'private') : undefined;
  },
  signatureVectors: [
    {
      secret: 'bitbucket-secret',
      body: '{"push":{}}',
      headers: {
        'x-hub-signature': 'sha256=c02e5467aa6465bb22d727686e46e73e8605e0235852d3255de5ba656eb55a48',
      },
      valid: true,
    },
    {
      secret: 'bitbucket-secret',
      body: '{"push":{}}',
      headers: { 'x-hub-signature': 'sha256=00' },
      valid: false,
    },
  ],
};

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

// Bitbucket Cloud webhooks: `X-Hub-Signature: sha256=<hex HMAC>` of the raw body, `X-Event-Key`, the delivery in
// `X-Request-UUID`; repo:push and pullrequest:created/updated payloads.

import {
  isSha,
  type Json,
  obj,
  pullRequestTrigger,
  type ReadEvent,
  str,
  type WebhookFamily,
  type WebhookTrigger,
} from '../webhook-family.ts';
import { verifyHmacSha256 } from '../webhook-signature.ts';

export const bitbucketCloudWebhooks: WebhookFamily = {
  verify: (secret, headers, body) => verifyHmacSha256(secret, body, headers.get('x-hub-signature')),
  deliveryId: (headers) => headers.get('x-request-uuid'),
  read: (headers, payload) => readBitbucketCloud(headers.get('x-event-key') ?? '', payload),
  visibility: (p) => {
    const value = obj(p.repository).is_private;
    return typeof value === 'boolean' ? (value ? 'private' : 'public') : undefined;
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
      body: '{"push":{}} ',
      headers: {
        'x-hub-signature': 'sha256=c02e5467aa6465bb22d727686e46e73e8605e0235852d3255de5ba656eb55a48',
      },
      valid: false,
    },
  ],
};

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

// GitHub webhooks: `X-Hub-Signature-256: sha256=<hex HMAC>` of the raw body, `X-GitHub-Event`, `X-GitHub-Delivery`;
// push and pull_request payloads. Never reads a payload whose signature was not checked first (the route's job).

import {
  branchOf,
  isSha,
  type Json,
  obj,
  pullRequestTrigger,
  type ReadEvent,
  str,
  type WebhookFamily,
  ZERO,
} from '../webhook-family.ts';
import { verifyHmacSha256 } from '../webhook-signature.ts';

export const githubWebhooks: WebhookFamily = {
  verify: (secret, headers, body) => verifyHmacSha256(secret, body, headers.get('x-hub-signature-256')),
  deliveryId: (headers) => headers.get('x-github-delivery'),
  read: (headers, payload) => readGitHub(headers.get('x-github-event') ?? '', payload),
  visibility: (p) => flag(obj(p.repository).private, false),
  signatureVectors: [
    // GitHub's own test vector (docs: "Validating webhook deliveries").
    {
      secret: "It's a Secret to Everybody",
      body: 'Hello, World!',
      headers: {
        'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      },
      valid: true,
    },
    {
      secret: "It's a Secret to Everybody",
      body: 'Hello, World?',
      headers: {
        'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      },
      valid: false,
    },
    { secret: 's', body: '{}', headers: {}, valid: false },
  ],
};

const flag = (value: unknown, publicWhen: boolean) =>
  typeof value === 'boolean' ? (value === publicWhen ? 'public' : 'private') : undefined;

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

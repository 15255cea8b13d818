// Gitea and Forgejo webhooks: `X-Gitea-Signature` / `X-Forgejo-Signature` = hex HMAC-SHA256 of the raw body (the
// GitHub-style `X-Hub-Signature-256` too), the event in `X-Gitea-Event` / `X-Forgejo-Event`, the delivery in
// `X-Gitea-Delivery` / `X-Forgejo-Delivery`; push and pull_request payloads (woodpecker's Gitea fixtures' shapes).

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

const header = (headers: Headers, name: string): string | null =>
  headers.get(`x-gitea-${name}`) ?? headers.get(`x-forgejo-${name}`);

export const giteaWebhooks: WebhookFamily = {
  verify: (secret, headers, body) => {
    const hex = header(headers, 'signature');
    return verifyHmacSha256(
      secret,
      body,
      hex === null ? headers.get('x-hub-signature-256') : `sha256=${hex}`,
    );
  },
  deliveryId: (headers) => header(headers, 'delivery'),
  read: (headers, payload) => readGitea(header(headers, 'event') ?? '', payload),
  visibility: (p) => {
    const value = obj(p.repository).private;
    return typeof value === 'boolean' ? (value ? 'private' : 'public') : undefined;
  },
  signatureVectors: [
    // secret `gitea-secret`, body `{"ref":"refs/heads/main"}`: hex HMAC-SHA256 as Gitea's deliver.go computes it
    // (computed with `openssl dgst -sha256 -hmac`), under each header name a delivery may carry it.
    {
      secret: 'gitea-secret',
      body: '{"ref":"refs/heads/main"}',
      headers: { 'x-gitea-signature': '6aab54046b413afedbc6d4ff0d3b4fd694c1af82c19c0be7ee9b80438b90223d' },
      valid: true,
    },
    {
      secret: 'gitea-secret',
      body: '{"ref":"refs/heads/main"}',
      headers: { 'x-forgejo-signature': '6aab54046b413afedbc6d4ff0d3b4fd694c1af82c19c0be7ee9b80438b90223d' },
      valid: true,
    },
    {
      secret: 'gitea-secret',
      body: '{"ref":"refs/heads/main"}',
      headers: {
        'x-hub-signature-256': 'sha256=6aab54046b413afedbc6d4ff0d3b4fd694c1af82c19c0be7ee9b80438b90223d',
      },
      valid: true,
    },
    {
      secret: 'gitea-secret',
      body: '{"ref":"refs/heads/mainx"}',
      headers: { 'x-gitea-signature': '6aab54046b413afedbc6d4ff0d3b4fd694c1af82c19c0be7ee9b80438b90223d' },
      valid: false,
    },
    { secret: 'gitea-secret', body: '{}', headers: {}, valid: false },
  ],
};

function readGitea(event: string, p: Json): ReadEvent {
  if (event === 'push') {
    const branch = branchOf(str(p.ref));
    const sha = str(p.after);
    if (branch === undefined) return { kind: 'irrelevant', why: 'push of a tag' };
    if (!isSha(sha) || ZERO.test(sha)) return { kind: 'irrelevant', why: 'branch deleted' };
    return { kind: 'triggers', triggers: [{ kind: 'push', branch, sha }] };
  }
  if (event === 'pull_request') {
    const action = str(p.action) ?? '';
    // Gitea says `synchronized` where GitHub says `synchronize`.
    if (!['opened', 'synchronized', 'reopened'].includes(action))
      return { kind: 'irrelevant', why: `pull_request ${action}` };
    const pr = obj(p.pull_request);
    const head = obj(pr.head);
    const sha = str(head.sha);
    const branch = str(head.ref);
    const number = typeof p.number === 'number' ? p.number : pr.number;
    if (!isSha(sha) || branch === undefined || typeof number !== 'number')
      return { kind: 'irrelevant', why: 'pull_request without a head' };
    return pullRequestTrigger(
      number,
      branch,
      sha,
      str(obj(head.repo).full_name),
      str(obj(obj(pr.base).repo).full_name),
    );
  }
  return { kind: 'irrelevant', why: `event ${event || '(none)'}` };
}

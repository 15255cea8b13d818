// One webhook piece per host family, as data: adding a family means adding its module under webhooks/ and one line
// here. The route calls these four functions and nothing family-specific.

import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { obj, type ReadEvent, type WebhookFamily } from './webhook-family.ts';
import type { SignatureCheck } from './webhook-signature.ts';
import { azureDevopsWebhooks } from './webhooks/azure-devops.ts';
import { bitbucketCloudWebhooks } from './webhooks/bitbucket-cloud.ts';
import { bitbucketServerWebhooks } from './webhooks/bitbucket-server.ts';
import { giteaWebhooks } from './webhooks/gitea.ts';
import { githubWebhooks } from './webhooks/github.ts';
import { gitlabWebhooks } from './webhooks/gitlab.ts';

export const webhookFamilies: Readonly<Record<HostFamilyId, WebhookFamily>> = {
  github: githubWebhooks,
  gitlab: gitlabWebhooks,
  'bitbucket-cloud': bitbucketCloudWebhooks,
  'bitbucket-server': bitbucketServerWebhooks,
  gitea: giteaWebhooks,
  'azure-devops': azureDevopsWebhooks,
};

/** The family's check on a request's headers and raw body. */
export function verifyWebhook(
  family: HostFamilyId,
  secret: string,
  headers: Headers,
  body: ArrayBuffer,
): Promise<SignatureCheck> {
  return webhookFamilies[family].verify(secret, headers, body);
}

/** The header that names a delivery, per family, for deduplication. */
export function deliveryId(
  family: HostFamilyId,
  headers: Headers,
  payload: unknown = {},
): string | undefined {
  const id = webhookFamilies[family].deliveryId(headers, obj(payload));
  return id !== null && id.length <= 200 && id.trim() !== '' ? id.trim() : undefined;
}

export function readWebhookEvent(family: HostFamilyId, headers: Headers, body: unknown): ReadEvent {
  return webhookFamilies[family].read(headers, obj(body));
}

/** What a delivery says about the project's repository's visibility, where its payload carries it. */
export function webhookVisibility(family: HostFamilyId, body: unknown): 'public' | 'private' | undefined {
  return webhookFamilies[family].visibility(obj(body));
}

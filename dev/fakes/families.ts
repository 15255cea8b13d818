// Every host family's fake, one line each: the API server that speaks the family's real shapes over a sample model,
// where its API lives under the fake's origin (what the launcher's HOSTS names), where the host publishes an open
// pull request's commits besides its head branch, and a push as the host delivers it to a webhook. serve.ts,
// git-repos.ts, the stack and the conformance test read them from here.

import type { HostFamilyId } from '../../shared/launch-request.ts';
import { azureDevopsPushDelivery, fakeAzureDevops } from './azure-devops.ts';
import { bitbucketCloudPushDelivery, fakeBitbucketCloud } from './bitbucket-cloud.ts';
import { bitbucketServerPushDelivery, fakeBitbucketServer } from './bitbucket-server.ts';
import { fakeGitea, giteaPushDelivery } from './gitea.ts';
import { fakeGitHub, githubPushDelivery } from './github.ts';
import { fakeGitLab, gitlabPushDelivery } from './gitlab.ts';
import type { FakeHostData } from './model.ts';
import type { Delivery, PushFacts } from './webhook-signing.ts';

export type FakeHandler = (request: Request) => Promise<Response>;

export interface FakeFamily {
  readonly api: (data: FakeHostData) => FakeHandler;
  /** The API base URL of a fake served at `origin` (`http://127.0.0.1:4321` → `…/api/v4`). */
  readonly apiBaseUrl: (origin: string, data: FakeHostData) => string;
  /** The ref an open pull request's head is also kept at in the base repository; absent: nowhere. */
  readonly pullRef?: (n: number) => string;
  /** A push as the host delivers it to a webhook, signed with `secret` the host's way. */
  readonly pushDelivery: (secret: string, push: PushFacts) => Promise<Delivery>;
}

export const fakeFamilies: Readonly<Record<HostFamilyId, FakeFamily>> = {
  github: {
    api: fakeGitHub,
    apiBaseUrl: (o) => o,
    pullRef: (n) => `refs/pull/${n}/head`,
    pushDelivery: githubPushDelivery,
  },
  gitlab: {
    api: fakeGitLab,
    apiBaseUrl: (o) => `${o}/api/v4`,
    pullRef: (n) => `refs/merge-requests/${n}/head`,
    pushDelivery: gitlabPushDelivery,
  },
  'bitbucket-cloud': {
    api: fakeBitbucketCloud,
    apiBaseUrl: (o) => `${o}/2.0`,
    pushDelivery: bitbucketCloudPushDelivery,
  },
  'bitbucket-server': {
    api: fakeBitbucketServer,
    apiBaseUrl: (o) => `${o}/rest/api/1.0`,
    pullRef: (n) => `refs/pull-requests/${n}/from`,
    pushDelivery: bitbucketServerPushDelivery,
  },
  gitea: {
    api: fakeGitea,
    apiBaseUrl: (o, data) => `${o}${data.basePath ?? ''}/api/v1`,
    pullRef: (n) => `refs/pull/${n}/head`,
    pushDelivery: giteaPushDelivery,
  },
  'azure-devops': {
    api: fakeAzureDevops,
    apiBaseUrl: (o, data) => `${o}${data.basePath ?? ''}`,
    pushDelivery: azureDevopsPushDelivery,
  },
};

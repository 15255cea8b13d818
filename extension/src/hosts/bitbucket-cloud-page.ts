// Bitbucket Cloud's page piece: bitbucket.org only (it has no self-hosted form).

import type { FamilyPage } from './family-page.ts';

export const bitbucketCloudPage: FamilyPage = {
  family: 'bitbucket-cloud',
  label: 'Bitbucket Cloud',
  builtinHost: 'bitbucket.org',
};

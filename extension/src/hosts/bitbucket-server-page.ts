// Bitbucket Server / Data Center's page piece: pages say `application-name` "Bitbucket"; the branch picked in the
// selector is the fact its browse URLs lack.

import { selectedRevisionQuery } from './bitbucket-server.ts';
import type { FamilyPage } from './family-page.ts';

export const bitbucketServerPage: FamilyPage = {
  family: 'bitbucket-server',
  label: 'Bitbucket Server / Data Center',
  recognises: (s) => s.meta['application-name'] === 'Bitbucket',
  revisionFact: selectedRevisionQuery,
};

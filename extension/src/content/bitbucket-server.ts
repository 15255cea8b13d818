// Content script for granted Bitbucket Server / Data Center origins.
import { bitbucketServer } from '../../../shared/hosts/bitbucket-server.ts';
import { selectedRevisionQuery } from '../hosts/bitbucket-server.ts';
import { metaContent, startFamilyScript } from './start.ts';

void startFamilyScript({
  family: bitbucketServer,
  recognises: (doc) => metaContent(doc, 'application-name') === 'Bitbucket',
  revisionFact: selectedRevisionQuery,
});

// Content script for granted Bitbucket Server / Data Center origins.
import { selectedRevisionQuery } from '../hosts/bitbucket-server.ts';
import { metaContent, startFamilyScript } from './start.ts';

void startFamilyScript({
  family: 'bitbucket-server',
  recognises: (doc) => metaContent(doc, 'application-name') === 'Bitbucket',
  revisionFact: selectedRevisionQuery,
});

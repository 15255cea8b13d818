// Content script for gitlab.com and granted GitLab self-managed origins.
import { gitlab } from '../../../shared/hosts/gitlab.ts';
import { metaContent, startFamilyScript } from './start.ts';

void startFamilyScript({
  family: gitlab,
  builtinHost: 'gitlab.com',
  recognises: (doc) => metaContent(doc, 'application-name') === 'GitLab',
});

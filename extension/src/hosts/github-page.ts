// GitHub's page piece: github.com, and GitHub Enterprise Server pages, which carry `hostname` and
// `application-name` "GitHub".

import type { FamilyPage } from './family-page.ts';

export const githubPage: FamilyPage = {
  family: 'github',
  label: 'GitHub',
  builtinHost: 'github.com',
  recognises: (s) => s.meta['application-name'] === 'GitHub' || s.meta.hostname !== undefined,
};

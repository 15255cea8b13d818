// GitLab's page piece: gitlab.com, and self-managed pages, which say so in `og:site_name` (saved real pages,
// 2024–2025) or `application-name` on some.

import type { FamilyPage } from './family-page.ts';

export const gitlabPage: FamilyPage = {
  family: 'gitlab',
  label: 'GitLab',
  builtinHost: 'gitlab.com',
  recognises: (s) => s.ogSiteName === 'GitLab' || s.meta['application-name'] === 'GitLab',
};

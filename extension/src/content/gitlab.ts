// Content script for gitlab.com and granted GitLab self-managed origins.
import { metaContent, metaProperty, startFamilyScript } from './start.ts';

void startFamilyScript({
  family: 'gitlab',
  builtinHost: 'gitlab.com',
  // Self-managed GitLab pages say so in `og:site_name` (saved real pages, 2024–2025); `application-name` on some.
  recognises: (doc) =>
    metaProperty(doc, 'og:site_name') === 'GitLab' || metaContent(doc, 'application-name') === 'GitLab',
});

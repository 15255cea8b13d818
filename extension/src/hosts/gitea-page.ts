// Gitea's and Forgejo's page piece: codeberg.org built in; a self-hosted instance is recognised by what its templates
// write whatever the branding (APP_NAME, keywords, theme and footer can all be changed): the inline
// `window.config = { appUrl, appSubUrl, … }` (1.16+; `AppSubUrl` before), `<head data-suburl>` (≤ 1.13), the
// `_suburl` meta (Agit), then the default footer and keywords. The page also says the instance's sub-path.

import type { FamilyPage } from './family-page.ts';
import type { PageSignals } from './page-signals.ts';

// `appSubUrl: '\/git',` or `AppSubUrl: '',` in the inline config script.
const SUB_URL = /\b[aA]ppSubUrl\s*:\s*'((?:[^'\\]|\\.)*)'/;

export const giteaPage: FamilyPage = {
  family: 'gitea',
  label: 'Gitea / Forgejo',
  builtinHost: 'codeberg.org',
  recognises: (s) =>
    SUB_URL.test(s.configScript) ||
    s.headSubUrl !== undefined ||
    s.meta._suburl !== undefined ||
    /^(Gitea|Forgejo)$/i.test(s.poweredBy) ||
    /(^|,)\s*(gitea|forgejo)\s*(,|$)/i.test(s.meta.keywords ?? ''),
  basePath: subPath,
};

/** `/git` for an instance at `https://corp.example/git/`, '' at the root, undefined when the page does not say. */
function subPath(s: PageSignals): string | undefined {
  const match = SUB_URL.exec(s.configScript);
  const raw = match?.[1]?.replaceAll('\\/', '/') ?? s.headSubUrl ?? s.meta._suburl;
  if (raw === undefined) return undefined;
  const path = raw.replace(/\/+$/, '');
  return path === '' || /^(\/[A-Za-z0-9._~-]+)+$/.test(path) ? path : undefined;
}

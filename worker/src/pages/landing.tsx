/** @jsxImportSource preact */
// `GET /`: what this is and a box to paste any repository URL. Its script continues a `/#<context>` launch, since
// the fragment never reaches the server.

import { hostFamilies } from '../../../shared/host-registry.ts';
import { HOST_FAMILY_IDS } from '../../../shared/hosts/family-ids.ts';
import { Layout } from './layout.tsx';

/** "GitHub, GitLab, Bitbucket, Bitbucket Server or Gitea / Forgejo": every family the launcher reads. */
const FAMILY_NAMES = (() => {
  const names = HOST_FAMILY_IDS.map((id) => hostFamilies[id].displayName);
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
})();

export function LandingPage({ brand, origin }: { readonly brand: string; readonly origin: string }) {
  return (
    <Layout brand={brand} title="Open any repository in a workspace" scripts={['/assets/landing.js']}>
      <h1>Open any repository in a ready-to-code workspace</h1>
      <p class="lead">
        Paste the URL of a repository, branch, file, commit, pull or merge request, or issue — from{' '}
        {FAMILY_NAMES}, or just <code>owner/repo</code> for GitHub — and {brand} starts a fresh workspace for
        it.
      </p>
      <form class="open" method="get" action="/start">
        <label class="visually-hidden" for="url">
          Repository URL
        </label>
        <input
          id="url"
          name="url"
          type="text"
          required
          placeholder="https://github.com/owner/repo"
          autoComplete="url"
        />
        <button type="submit">Open</button>
      </form>
      <h2>Three ways in</h2>
      <ul class="doors">
        <li>
          Put <code>{origin}/#</code> in front of any repository URL in the address bar.
        </li>
        <li>The browser extension adds an “Open in workspace” button to repository pages.</li>
        <li>
          Maintainers add a badge to their README that links here:{' '}
          <a href="/badge">make one for your repository</a>.
        </li>
      </ul>
    </Layout>
  );
}

/** @jsxImportSource preact */
// `GET /`: what this is and a box to paste any repository URL. Its script continues a `/#<context>` launch, since
// the fragment never reaches the server.

import { Layout } from './layout.tsx';

export function LandingPage({ brand, origin }: { readonly brand: string; readonly origin: string }) {
  return (
    <Layout brand={brand} title="Open any repository in a workspace" scripts={['/assets/landing.js']}>
      <h1>Open any repository in a ready-to-code workspace</h1>
      <p class="lead">
        Paste the URL of a repository, branch, file, commit, pull or merge request, or issue — from GitHub,
        GitLab or Bitbucket, or just <code>owner/repo</code> for GitHub — and {brand} starts a fresh workspace
        for it.
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

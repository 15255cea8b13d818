// The fake Gitea's web pages, so the offline demo has a git host page for the extension to draw its button on: the
// instance's repository list, a repository's home, a branch's folder or file (`src/branch/<branch with slashes>/…`),
// a commit, the pull request and issue lists and each pull request and issue. Served from the same model as the
// API (public repositories only, as an anonymous visitor sees them), with the markup Gitea's templates write where
// Launchpod reads it — the inline `window.config` with `appSubUrl` (page detection, extension/src/hosts/gitea-page.ts)
// and the header, file, commit and issue-title blocks the anchors name (extension/src/hosts/gitea.ts) — and a little
// CSS of its own, not Gitea's. Every value is escaped. Web APIs only (runs inside workerd and Node).

import { canSee, type FakeHostData, type FakeRepo, findRepo, fullName, history, pathAt } from './model.ts';
import { decode } from './request-parts.ts';

const esc = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
/** A value inside the inline script's single-quoted strings, as Gitea's templates escape it. */
const jsString = (text: string): string =>
  text.replace(/[\\'<>&/]/g, (c) => `\\${c === '/' ? '/' : `x${c.charCodeAt(0).toString(16)}`}`);

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header.top{background:#2d2d2d;color:#fff;padding:8px 24px}header.top a{color:#fff;text-decoration:none;font-weight:600}
.ui.container{max-width:960px;margin:0 auto;padding:0 24px}.repo-header{display:flex;align-items:center;gap:12px;padding:16px 0}
.repo-header .flex-item-main{flex:1;font-size:18px}.button-row,.repo-buttons{display:flex;gap:8px;align-items:center}
.ui.button,a.ui.button,button.ui.button{border:1px solid #ccc;border-radius:4px;padding:3px 10px;background:#fff;color:#222;text-decoration:none;font:inherit}
.navbar{display:flex;gap:16px;border-bottom:1px solid #ddd;padding-bottom:6px}.navbar .active{font-weight:600}
.box{background:#fff;border:1px solid #ddd;border-radius:6px;margin:16px 0}.box>*{margin:0;padding:8px 12px}
.box li{list-style:none;border-top:1px solid #eee}.box ul{padding:0}.file-header,.commit-header,.issue-title-header{display:flex;justify-content:space-between;align-items:center}
pre{overflow:auto;background:#fff}footer{color:#777;padding:24px;text-align:center}.muted{color:#555}`;

interface Site {
  readonly data: FakeHostData;
  /** `http://127.0.0.1:3000/git`: the instance's root, no trailing slash. */
  readonly root: string;
  readonly subUrl: string;
}

/** The page for a GET of a web path under the instance, or undefined when the path is not one of these pages. */
export function giteaWebPage(data: FakeHostData, url: URL): Response | undefined {
  const subUrl = data.basePath ?? '';
  if (url.pathname !== subUrl && !url.pathname.startsWith(`${subUrl}/`)) return undefined;
  const site: Site = { data, root: `${url.origin}${subUrl}`, subUrl };
  const parts = url.pathname.slice(subUrl.length).split('/').filter(Boolean).map(decode);
  if (parts.length === 0) return page(site, 'Explore', undefined, explore(site));
  const [owner = '', name = '', kind, ...rest] = parts;
  const repo = findRepo(data, owner, name);
  if (repo === undefined || !canSee(data, repo, undefined)) return undefined;
  const body = repoPage(site, repo, kind, rest);
  return body === undefined ? undefined : page(site, fullName(repo), repo, body);
}

function explore(site: Site): string {
  const repos = site.data.repos.filter((r) => canSee(site.data, r, undefined));
  return `<div class="ui container"><h1>Repositories</h1><div class="box"><ul>${repos
    .map(
      (r) =>
        `<li><a href="${link(site, r)}">${esc(fullName(r))}</a>${r.forkOf ? ` <span class="muted">forked from ${esc(r.forkOf)}</span>` : ''}</li>`,
    )
    .join('')}</ul></div></div>`;
}

function repoPage(site: Site, repo: FakeRepo, kind: string | undefined, rest: string[]): string | undefined {
  const base = link(site, repo);
  if (kind === undefined) return tree(site, repo, repo.defaultBranch, '');
  if (kind === 'src' && rest[0] === 'branch') {
    // The longest branch the path starts with: `feature/x/y/src/a.js` is branch `feature/x/y`, path `src/a.js`.
    const path = rest.slice(1);
    for (let n = path.length; n > 0; n--) {
      const branch = path.slice(0, n).join('/');
      if (repo.branches[branch] !== undefined) return tree(site, repo, branch, path.slice(n).join('/'));
    }
    return undefined;
  }
  if (kind === 'commit' && rest.length === 1) {
    const commit = repo.commits[rest[0] ?? ''];
    if (commit === undefined) return undefined;
    return `<div class="ui container"><div class="commit-header"><h3>${esc(commit.message)}</h3>
<div class="commit-header-buttons"><a class="ui button" href="${base}/src/commit/${commit.sha}">Browse source</a></div></div>
<p class="muted">${esc(commit.author)} committed <code>${commit.sha}</code> on ${esc(commit.date)}</p></div>`;
  }
  if ((kind === 'pulls' || kind === 'issues') && rest.length === 0) {
    const items =
      kind === 'pulls'
        ? repo.pulls.map((p) => ({ n: p.number, title: p.title, state: p.state }))
        : repo.issues.map((i) => ({ n: i.number, title: i.title, state: i.state }));
    return `<div class="ui container"><div class="box"><ul>${items
      .map(
        (i) =>
          `<li><a href="${base}/${kind}/${i.n}">${esc(i.title)}</a> <span class="muted">#${i.n} · ${i.state}</span></li>`,
      )
      .join('')}</ul></div></div>`;
  }
  if ((kind === 'pulls' || kind === 'issues') && rest.length === 1) {
    const number = Number(rest[0]);
    const pull = repo.pulls.find((p) => p.number === number);
    const issue = repo.issues.find((i) => i.number === number);
    // Gitea shows a pull request at /issues/<n> too, and an issue only at /issues/<n>.
    const item = pull ?? (kind === 'issues' ? issue : undefined);
    if (item === undefined) return undefined;
    const what =
      pull === undefined
        ? ''
        : `<p class="muted">${esc(pull.author)} wants to merge <code>${esc(pull.headRepo === fullName(repo) ? pull.headRef : `${pull.headRepo}:${pull.headRef}`)}</code> into <code>${esc(pull.baseRef)}</code></p>`;
    return `<div class="ui container"><div class="issue-title-header"><div class="issue-title" id="issue-title-display">
<h1><span id="issue-title">${esc(item.title)}</span>&nbsp;<span class="index">#${number}</span></h1>
<div class="issue-title-buttons"><a class="ui button" href="${base}/${pull === undefined ? 'issues' : 'pulls'}">Back to the list</a></div></div></div>
<div class="issue-title-meta"><span class="ui label issue-state-label">${esc(item.state)}</span></div>${what}</div>`;
  }
  return undefined;
}

/** A folder's entries (with its README shown) or a file's text, at a branch. */
function tree(site: Site, repo: FakeRepo, branch: string, path: string): string | undefined {
  const sha = repo.branches[branch];
  const commit = sha === undefined ? undefined : repo.commits[sha];
  const found = commit === undefined ? undefined : pathAt(commit, path);
  if (commit === undefined || found === undefined) return undefined;
  const at = `${link(site, repo)}/src/branch/${branch.split('/').map(encodeURIComponent).join('/')}`;
  const branches = Object.keys(repo.branches)
    .map(
      (b) =>
        `<a href="${link(site, repo)}/src/branch/${b.split('/').map(encodeURIComponent).join('/')}"${b === branch ? ' class="active"' : ''}>${esc(b)}</a>`,
    )
    .join(' · ');
  const row = `<div class="repo-button-row"><span class="muted">Branch:</span> ${branches}</div>`;
  const last = history(repo, commit.sha, 1)[0];
  const latest =
    last === undefined
      ? ''
      : `<p class="muted">Latest commit: <a href="${link(site, repo)}/commit/${last.sha}">${esc(last.message)}</a></p>`;
  if (found.kind === 'file') {
    return `<div class="ui container">${row}<div class="box"><div class="file-header"><strong>${esc(path)}</strong>
<div class="file-header-right file-actions"><a class="ui button" href="${link(site, repo)}/commit/${commit.sha}">History</a></div></div>
<pre><code>${esc(found.text)}</code></pre></div>${latest}</div>`;
  }
  const entries = [...found.entries]
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1))
    .map(
      (e) =>
        `<li><a href="${at}/${[path, e.name].filter(Boolean).map(encodeURIComponent).join('/')}">${esc(e.name)}${e.kind === 'folder' ? '/' : ''}</a></li>`,
    )
    .join('');
  const readme = commit.files[path === '' ? 'README.md' : `${path}/README.md`];
  return `<div class="ui container">${row}${latest}<div class="box"><ul>${entries}</ul></div>${readme === undefined ? '' : `<div class="box"><pre>${esc(readme)}</pre></div>`}</div>`;
}

const link = (site: Site, repo: FakeRepo): string =>
  `${site.subUrl}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

function page(site: Site, title: string, repo: FakeRepo | undefined, body: string): Response {
  const header =
    repo === undefined
      ? ''
      : `<div class="secondary-nav"><div class="ui container"><div class="repo-header">
<div class="flex-item-main"><a class="muted" href="${site.subUrl}/">${esc(repo.owner)}</a>/<a href="${link(site, repo)}">${esc(repo.name)}</a>${repo.forkOf ? ` <span class="muted">forked from ${esc(repo.forkOf)}</span>` : ''}</div>
<div class="repo-buttons button-row"><span class="ui button">Watch</span><span class="ui button">Star</span><span class="ui button">Fork</span></div></div>
<div class="ui tabular menu navbar"><a class="item" href="${link(site, repo)}">Code</a><a class="item" href="${link(site, repo)}/issues">Issues</a><a class="item" href="${link(site, repo)}/pulls">Pull requests</a></div></div></div>`;
  const html = `<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - Launchpod demo Gitea</title>
<meta name="keywords" content="go,git,self-hosted,gitea">
<meta property="og:site_name" content="Launchpod demo Gitea">
<script>
window.config = {
  appUrl: '${jsString(`${site.root}/`)}',
  appSubUrl: '${jsString(site.subUrl)}',
};
</script>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><a href="${site.subUrl}/">Launchpod demo Gitea</a> <span>· a fake instance served by npm run demo</span></header>
<div role="main" aria-label="${esc(title)}" class="page-content repository">
${header}
${body}
</div>
<footer class="page-footer"><div class="left-links">Powered by Gitea (a fake one)</div></footer>
</body>
</html>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}

// Every fixture page with the URL it is served at and what the button must do there: where it sits (a region
// written independently of the anchor table) and which context its link carries. Shared by the unit tests
// (extension/test) and the browser tests (e2e/extension).

import type { HostFamilyId } from '../../shared/launch-request.ts';

export interface FixtureCase {
  readonly file: string;
  readonly url: string;
  readonly family: HostFamilyId;
  /** The launch link's context, after the launcher's `#`; undefined when no button may appear. */
  readonly context?: string;
  /** The button must be inside, or a direct sibling of, an element matching this selector. */
  readonly near?: string;
  /** True when the page's layout is unknown and the floating button is expected. */
  readonly floating?: boolean;
  /** A page a self-hosted instance serves: page detection must recognise it as its family (family-conformance). */
  readonly selfHosted?: boolean;
  /** The sub-path the instance lives under (`/git`), when it is not at its origin's root. */
  readonly basePath?: string;
}

export const LAUNCHER = 'https://launchpod.test';

export const fixtureCases: readonly FixtureCase[] = [
  // GitHub, real pages
  {
    file: 'github/repo-1.html',
    url: 'https://github.com/golemfactory/yapapi',
    family: 'github',
    context: 'https://github.com/golemfactory/yapapi',
    near: '.file-navigation',
  },
  {
    file: 'github/repo-2.html',
    url: 'https://github.com/steventroughtonsmith/marzipanify',
    family: 'github',
    context: 'https://github.com/steventroughtonsmith/marzipanify',
    near: '.file-navigation',
  },
  {
    file: 'github/blob-2.html',
    url: 'https://github.com/OctoLinker/testrepo/blob/89f13651df126efdb4f1e3ae40183c9fdccdb4d3/sourcereader/popular-rabbit-names.js',
    family: 'github',
    context:
      'https://github.com/OctoLinker/testrepo/blob/89f13651df126efdb4f1e3ae40183c9fdccdb4d3/sourcereader/popular-rabbit-names.js',
    near: '.BtnGroup:has(> #raw-url)',
  },
  // Saved mid-soft-navigation: the repo header is empty and the React file view never renders without GitHub's
  // scripts, so no anchor exists — exactly the case the floating button is for.
  {
    file: 'github/blob-4.html',
    url: 'https://github.com/hjdhnx/dr_py/blob/main/libs/gbk2.js',
    family: 'github',
    context: 'https://github.com/hjdhnx/dr_py/blob/main/libs/gbk2.js',
    floating: true,
  },
  {
    file: 'github/blob-6.html',
    url: 'https://github.com/dlafon31/ws-timeline/blob/main/public/locales/en/help.md#L3-L7',
    family: 'github',
    context: 'https://github.com/dlafon31/ws-timeline/blob/main/public/locales/en/help.md#L3-L7',
    near: 'div:has(> [data-testid="raw-button"])',
  },
  {
    file: 'github/blob-7.html',
    url: 'https://github.com/lumeland/lume/blob/main/core/file.ts#L12',
    family: 'github',
    context: 'https://github.com/lumeland/lume/blob/main/core/file.ts#L12',
    near: 'div:has(> [data-testid="raw-button"])',
  },
  {
    file: 'github/commit-1.html',
    url: 'https://github.com/OctoLinker/testrepo/commit/b0775a93ea27ee381858ddd9fa2bb953d5b74acb?diff=unified',
    family: 'github',
    context: 'https://github.com/OctoLinker/testrepo/commit/b0775a93ea27ee381858ddd9fa2bb953d5b74acb',
    near: 'a[title="Browse the repository at this point in the history"]',
  },
  {
    file: 'github/commit-2.html',
    url: 'https://github.com/OctoLinker/testrepo/commit/b0775a93ea27ee381858ddd9fa2bb953d5b74acb?diff=split',
    family: 'github',
    context: 'https://github.com/OctoLinker/testrepo/commit/b0775a93ea27ee381858ddd9fa2bb953d5b74acb',
    near: 'a[title="Browse the repository at this point in the history"]',
  },
  {
    file: 'github/issue-1.html',
    url: 'https://github.com/OctoLinker/testrepo/issues/2',
    family: 'github',
    context: 'https://github.com/OctoLinker/testrepo/issues/2',
    near: '#partial-discussion-header',
  },
  {
    file: 'github/issue-3.html',
    url: 'https://github.com/kepano/defuddle/issues/56',
    family: 'github',
    context: 'https://github.com/kepano/defuddle/issues/56',
    near: '[data-component="PH_Actions"]',
  },
  {
    file: 'github/pull-1.html',
    url: 'https://github.com/OctoLinker/testrepo/pull/1',
    family: 'github',
    context: 'https://github.com/OctoLinker/testrepo/pull/1',
    near: '#partial-discussion-header',
  },
  {
    file: 'github/pull-files-1.html',
    url: 'https://github.com/OctoLinker/testrepo/pull/1/files',
    family: 'github',
    context: 'https://github.com/OctoLinker/testrepo/pull/1/files',
    near: '#partial-discussion-header',
  },
  {
    file: 'github/pull-3.html',
    url: 'https://github.com/kepano/defuddle/pull/151',
    family: 'github',
    context: 'https://github.com/kepano/defuddle/pull/151',
    near: '[data-component="PH_Actions"]',
  },
  // GitHub, hand-made
  {
    file: 'github/hand-repo-react.html',
    url: 'https://github.com/o/r/tree/dev/src',
    family: 'github',
    context: 'https://github.com/o/r/tree/dev/src',
    near: 'div:has(> [data-testid="code-button"])',
  },
  {
    file: 'github/hand-empty.html',
    url: 'https://github.com/o/empty',
    family: 'github',
    context: 'https://github.com/o/empty',
    near: '.Box-header',
  },
  {
    file: 'github/hand-commit-react.html',
    url: 'https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567',
    family: 'github',
    context: 'https://github.com/o/r/commit/0123456789abcdef0123456789abcdef01234567',
    near: '[data-component="PH_Actions"]',
  },
  {
    file: 'github/hand-blob-header-only.html',
    url: 'https://github.com/o/r/blob/main/src/app.ts',
    family: 'github',
    context: 'https://github.com/o/r/blob/main/src/app.ts',
    near: '#repository-container-header ul.pagehead-actions',
  },
  { file: 'github/hand-settings.html', url: 'https://github.com/settings/profile', family: 'github' },
  // The host's own "not found" page on a URL that reads as a context: nothing to open, no floating button.
  { file: 'github/hand-not-found.html', url: 'https://github.com/nobody/nothing-here', family: 'github' },
  {
    file: 'github/hand-unknown-layout.html',
    url: 'https://github.com/o/r',
    family: 'github',
    context: 'https://github.com/o/r',
    floating: true,
  },
  // GitLab
  {
    file: 'gitlab/repo-1.html',
    url: 'https://gitlab.com/jandugar/m02-bd',
    family: 'gitlab',
    context: 'https://gitlab.com/jandugar/m02-bd',
    near: '[data-testid="project-buttons"]',
  },
  {
    file: 'gitlab/blob-1.html',
    url: 'https://gitlab.com/rwkgyg/cdnopw/-/blob/7505138d3bbc946742e89785ad939b358e093417/cdnopw.sh#L5-9',
    family: 'gitlab',
    context:
      'https://gitlab.com/rwkgyg/cdnopw/-/blob/7505138d3bbc946742e89785ad939b358e093417/cdnopw.sh#L5-9',
    near: '.tree-controls',
  },
  {
    file: 'gitlab/hand-blob-v10.html',
    url: 'https://gitlab.com/g/p/blob/master/README.md',
    family: 'gitlab',
    context: 'https://gitlab.com/g/p/blob/master/README.md',
    near: '.file-holder .file-actions',
  },
  {
    file: 'gitlab/hand-empty.html',
    url: 'https://gitlab.com/g/empty',
    family: 'gitlab',
    context: 'https://gitlab.com/g/empty',
    near: '#js-project-show-empty-page',
  },
  {
    file: 'gitlab/hand-commit.html',
    url: 'https://gitlab.com/g/p/-/commit/0123456789abcdef0123456789abcdef01234567',
    family: 'gitlab',
    context: 'https://gitlab.com/g/p/-/commit/0123456789abcdef0123456789abcdef01234567',
    near: '.page-content-header',
  },
  {
    file: 'gitlab/hand-mr.html',
    url: 'https://gitlab.com/g/p/-/merge_requests/3',
    family: 'gitlab',
    context: 'https://gitlab.com/g/p/-/merge_requests/3',
    near: '.js-issuable-actions',
  },
  {
    file: 'gitlab/hand-issue.html',
    url: 'https://gitlab.com/g/p/-/issues/5',
    family: 'gitlab',
    context: 'https://gitlab.com/g/p/-/issues/5',
    near: '[data-testid="detail-wrapper"]',
  },
  { file: 'gitlab/hand-empty.html', url: 'https://gitlab.com/explore/projects', family: 'gitlab' },
  // Bitbucket Cloud
  {
    file: 'bitbucket-cloud/hand-not-found.html',
    url: 'https://bitbucket.org/acme/app/raw/main/src/index.js',
    family: 'bitbucket-cloud',
  },
  {
    file: 'bitbucket-cloud/hand-source.html',
    url: 'https://bitbucket.org/w/r/src/main/README.md',
    family: 'bitbucket-cloud',
    context: 'https://bitbucket.org/w/r/src/main/README.md',
    near: '[data-qa="page-header-wrapper"] [role="group"]',
  },
  {
    file: 'bitbucket-cloud/hand-branch.html',
    url: 'https://bitbucket.org/w/r/branch/feature',
    family: 'bitbucket-cloud',
    context: 'https://bitbucket.org/w/r/branch/feature',
    near: '[data-qa="page-header-wrapper"] [role="group"]',
  },
  {
    file: 'bitbucket-cloud/hand-commits.html',
    url: 'https://bitbucket.org/w/r/commits/',
    family: 'bitbucket-cloud',
    context: 'https://bitbucket.org/w/r/commits',
    near: '[data-qa="page-header-wrapper"] [role="group"]',
  },
  {
    file: 'bitbucket-cloud/hand-pr.html',
    url: 'https://bitbucket.org/w/r/pull-requests/4',
    family: 'bitbucket-cloud',
    context: 'https://bitbucket.org/w/r/pull-requests/4',
    near: '[data-testid="pr-header"] [role="group"]',
  },
  // Bitbucket Server / Data Center (self-hosted: served at a granted origin)
  {
    file: 'bitbucket-server/repo-1.html',
    url: 'https://bitbucket.corp.test/projects/SOURCEGRAPH/repos/mux/browse',
    family: 'bitbucket-server',
    selfHosted: true,
    context: 'https://bitbucket.corp.test/projects/SOURCEGRAPH/repos/mux/browse',
    near: '.branch-selector-toolbar',
  },
  {
    file: 'bitbucket-server/hand-commits.html',
    url: 'https://bitbucket.corp.test/projects/P/repos/r/commits',
    family: 'bitbucket-server',
    selfHosted: true,
    context: 'https://bitbucket.corp.test/projects/P/repos/r/commits?until=refs/heads/feature/login',
    near: '.branch-selector-toolbar',
  },
  {
    file: 'bitbucket-server/hand-pr.html',
    url: 'https://bitbucket.corp.test/projects/P/repos/r/pull-requests/7/overview',
    family: 'bitbucket-server',
    selfHosted: true,
    context: 'https://bitbucket.corp.test/projects/P/repos/r/pull-requests/7/overview',
    near: '.pull-request-actions',
  },
  // Gitea / Forgejo: real saved file views (Codeberg on Forgejo 9, Gitea 1.21, the customised Gitea 1.1x "Agit"),
  // hand-made pages for the other kinds (extension/test/fixtures/gitea/README.md).
  {
    file: 'codeberg/blob-1.html',
    url: 'https://codeberg.org/mister_monster/qutebrowser-metascript/src/branch/master/script-runner.py',
    family: 'gitea',
    selfHosted: true,
    context: 'https://codeberg.org/mister_monster/qutebrowser-metascript/src/branch/master/script-runner.py',
    near: '.file-header .file-actions',
  },
  {
    file: 'gitea/blob-1.html',
    url: 'https://dev.sp-tarkov.com/SPT-AKI/Server/src/branch/3.8.1-DEV/project/src/models/eft/common/tables/IHandbookBase.ts',
    family: 'gitea',
    selfHosted: true,
    context:
      'https://dev.sp-tarkov.com/SPT-AKI/Server/src/branch/3.8.1-DEV/project/src/models/eft/common/tables/IHandbookBase.ts',
    near: '.file-header .file-actions',
  },
  {
    file: 'gitea/blob-2.html',
    url: 'https://agit.ai/chuqiuyu/gao/src/commit/fd599aefbb199f48ea6cf73c3414629c1c02e50f/lib/alist.min.js',
    family: 'gitea',
    selfHosted: true,
    context:
      'https://agit.ai/chuqiuyu/gao/src/commit/fd599aefbb199f48ea6cf73c3414629c1c02e50f/lib/alist.min.js',
    near: '.file-actions',
  },
  {
    file: 'gitea/hand-repo.html',
    url: 'https://gitea.corp.test/team/app',
    family: 'gitea',
    selfHosted: true,
    context: 'https://gitea.corp.test/team/app',
    near: '.repo-button-row',
  },
  {
    file: 'gitea/hand-repo-1.24.html',
    url: 'https://gitea.corp.test/team/app/releases/tag/v1.0.0',
    family: 'gitea',
    selfHosted: true,
    context: 'https://gitea.corp.test/team/app/releases/tag/v1.0.0',
    near: '.repo-header > .flex-text-block',
  },
  {
    file: 'gitea/hand-commit.html',
    url: 'https://codeberg.org/team/app/commit/0123456789abcdef0123456789abcdef01234567',
    family: 'gitea',
    selfHosted: true,
    context: 'https://codeberg.org/team/app/commit/0123456789abcdef0123456789abcdef01234567',
    near: '.commit-header-buttons',
  },
  {
    file: 'gitea/hand-pr.html',
    url: 'https://gitea.corp.test/git/team/app/pulls/7',
    family: 'gitea',
    selfHosted: true,
    basePath: '/git',
    context: 'https://gitea.corp.test/git/team/app/pulls/7',
    near: '.issue-title-buttons',
  },
  {
    file: 'gitea/hand-issue.html',
    url: 'https://gitea.corp.test/team/app/issues/12',
    family: 'gitea',
    selfHosted: true,
    context: 'https://gitea.corp.test/team/app/issues/12',
    near: '.issue-title-buttons',
  },
  // Azure DevOps: hand-built rendered-DOM pages (extension/test/fixtures/azure-devops/README.md).
  {
    file: 'azure-devops/hand-files.html',
    url: 'https://dev.azure.com/launchpod/samples/_git/node-app?version=GBfeature%2Fx%2Fy&path=%2Fsrc%2Ffeature.js',
    family: 'azure-devops',
    selfHosted: true,
    context:
      'https://dev.azure.com/launchpod/samples/_git/node-app?version=GBfeature/x/y&path=/src/feature.js',
    near: '.repos-files-header-commandbar',
  },
  {
    file: 'azure-devops/hand-pr.html',
    url: 'https://dev.azure.com/launchpod/samples/_git/node-app/pullrequest/2',
    family: 'azure-devops',
    selfHosted: true,
    context: 'https://dev.azure.com/launchpod/samples/_git/node-app/pullrequest/2',
    near: '.repos-pr-header .bolt-header-commandbar',
  },
  {
    file: 'azure-devops/hand-commit.html',
    url: 'https://dev.azure.com/launchpod/samples/_git/node-app/commit/0123456789abcdef0123456789abcdef01234567',
    family: 'azure-devops',
    selfHosted: true,
    context:
      'https://dev.azure.com/launchpod/samples/_git/node-app/commit/0123456789abcdef0123456789abcdef01234567',
    near: '.repos-commit-header .bolt-header-commandbar',
  },
  {
    file: 'azure-devops/hand-server-files.html',
    url: 'https://tfs.corp.test/tfs/DefaultCollection/Platform/_git/api',
    family: 'azure-devops',
    selfHosted: true,
    basePath: '/tfs/DefaultCollection',
    context: 'https://tfs.corp.test/tfs/DefaultCollection/Platform/_git/api',
    near: '.repos-files-header-commandbar',
  },
];

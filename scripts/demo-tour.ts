// What `npm run demo` sets up beside the stack so a newcomer sees everything offline: prebuilds on (a generated
// admin token, the sample repository registered as a project, a signed push delivered that builds its prebuild),
// sign-in with the fake OAuth, and the "what to try" list `npm start` prints — each entry something that works.
// Only for the demo's fake hosts; e2e/http/demo-tour.test.ts follows every entry of the list.

import { randomBytes } from 'node:crypto';
import {
  deliverGithubPush,
  type PrebuildStatus,
  registerProject,
  waitForPrebuild,
} from '../dev/prebuild-hooks.ts';

/** The sample repository whose prebuild the demo builds. */
export const DEMO_REPO = 'https://github.com/launchpod-samples/node-app';
const DEMO_REPO_NAME = 'launchpod-samples/node-app';

/** A fresh bearer token for the demo launcher's prebuild admin API (ADMIN_TOKEN wants 16+ characters). */
export function demoAdminToken(): string {
  return `demo-admin-${randomBytes(12).toString('hex')}`;
}

export interface DemoPrebuild {
  /** The commit of `main` the push named. */
  readonly sha: string;
  /** Settles when the prebuild is ready or failed (or after `timeoutMs`): its last status. */
  readonly done: Promise<PrebuildStatus>;
}

/**
 * Registers the sample repository as a prebuild project (again, when an earlier demo run left one behind: its
 * webhook secret was sealed with that run's keys) and delivers a signed push of `main`, as GitHub would.
 */
export async function startDemoPrebuild(
  launcherUrl: string,
  adminToken: string,
  timeoutMs = 300_000,
): Promise<DemoPrebuild> {
  const admin = { authorization: `Bearer ${adminToken}`, origin: launcherUrl };
  const resolved = await fetch(`${launcherUrl}/api/v1/resolve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: launcherUrl },
    body: JSON.stringify({ url: `${DEMO_REPO}/tree/main` }),
  });
  const sha = ((await resolved.json()) as { context?: { sha?: string } }).context?.sha;
  if (resolved.status !== 200 || sha === undefined)
    throw new Error(`the demo launcher did not resolve ${DEMO_REPO} (HTTP ${resolved.status})`);

  let created = await registerProject(launcherUrl, adminToken, DEMO_REPO);
  if (created.status === 409) {
    const listed = await fetch(`${launcherUrl}/api/v1/admin/projects`, { headers: admin });
    const { projects } = (await listed.json()) as {
      projects: { id: string; repo: { owner: string; name: string } }[];
    };
    const old = projects.find((p) => `${p.repo.owner}/${p.repo.name}` === DEMO_REPO_NAME);
    if (old !== undefined)
      await fetch(`${launcherUrl}/api/v1/admin/projects/${old.id}`, { method: 'DELETE', headers: admin });
    created = await registerProject(launcherUrl, adminToken, DEMO_REPO);
  }
  if (created.status !== 201)
    throw new Error(`registering the demo project: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  const project = created.body as { id: string; webhookSecret: string };
  const push = { fullName: DEMO_REPO_NAME, branch: 'main', sha, defaultBranch: 'main' };
  const delivered = await deliverGithubPush(launcherUrl, project, push, `demo-${project.id}`);
  if (delivered.status !== 202) throw new Error(`the demo push was refused: HTTP ${delivered.status}`);
  return { sha, done: waitForPrebuild(launcherUrl, `${DEMO_REPO}/commit/${sha}`, timeoutMs) };
}

/** How an entry of the list is followed (e2e/http/demo-tour.test.ts checks each one does what it says). */
export type TryKind =
  /** A launch link: it opens a start page and starts a workspace. */
  | 'launch'
  /** A launch link that starts from the demo's prebuild once it is ready. */
  | 'launch-from-prebuild'
  /** A private repository: the start page asks to sign in with (fake) GitHub, then opens it. */
  | 'sign-in'
  /** A launch link that shows a helpful error on purpose. */
  | 'refused'
  /** A launch another backend opens (`?backend=`): its start page says what that backend will open. */
  | 'backend'
  /** A launcher page. */
  | 'page'
  /** An admin API call, shown as curl. */
  | 'admin-api'
  /** A git host page (the demo's Gitea) where the extension, once enabled there, draws its button. */
  | 'button';

export interface TryItem {
  readonly what: string;
  readonly kind: TryKind;
  readonly url: string;
}

/**
 * The list `npm start` prints; with `demo`, every entry works offline against the fake hosts. `webSite` is the demo
 * Gitea's web address (dev/fakes/serve.ts), whose pages the extension's button appears on.
 */
export function whatToTry(launcherUrl: string, demo: boolean, webSite?: string): TryItem[] {
  const l = launcherUrl;
  if (!demo) {
    return [
      { what: 'A public repository', kind: 'launch', url: `${l}/#https://github.com/gitpod-io/empty` },
      { what: 'A pull request', kind: 'launch', url: `${l}/#https://github.com/<owner>/<repo>/pull/<n>` },
      { what: 'A badge for your README', kind: 'page', url: `${l}/badge` },
    ];
  }
  const button: TryItem[] =
    webSite === undefined
      ? []
      : [
          {
            what: 'The button: load the extension, open this page of the demo Gitea, click the toolbar icon → "Enable on this site", allow, reload; "Open in workspace" appears (on branches, files, commits, pull requests and issues too)',
            kind: 'button',
            url: `${webSite}/platform/node-app`,
          },
        ];
  return [
    {
      what: 'The sample repository, from its prebuild once ready (the start page says "Starting from prebuild")',
      kind: 'launch-from-prebuild',
      url: `${l}/#${DEMO_REPO}`,
    },
    ...button,
    {
      what: 'The same, typed as owner/repo in the landing page box',
      kind: 'launch',
      url: `${l}/start?url=launchpod-samples/node-app`,
    },
    { what: 'A branch with slashes', kind: 'launch', url: `${l}/#${DEMO_REPO}/tree/feature/x/y` },
    { what: 'A pull request from a fork', kind: 'launch', url: `${l}/#${DEMO_REPO}/pull/2` },
    { what: 'An issue, on a new branch named after it', kind: 'launch', url: `${l}/#${DEMO_REPO}/issues/4` },
    {
      what: 'A GitLab merge request',
      kind: 'launch',
      url: `${l}/#https://gitlab.com/launchpod-samples/platform/backend/node-app/-/merge_requests/2`,
    },
    {
      what: 'A file on Bitbucket Cloud',
      kind: 'launch',
      url: `${l}/#https://bitbucket.org/launchpod-samples/node-app/src/main/README.md`,
    },
    {
      what: 'A branch on Bitbucket Server',
      kind: 'launch',
      url: `${l}/#https://bitbucket.launchpod.test/projects/PLAT/repos/node-app/browse?at=refs%2Fheads%2Frelease%2F1.0`,
    },
    {
      what: 'A file on a branch with slashes on Codeberg (Gitea/Forgejo)',
      kind: 'launch',
      url: `${l}/#https://codeberg.org/launchpod-samples/node-app/src/branch/feature/x/y/src/feature.js`,
    },
    {
      what: 'A pull request from a fork on a self-hosted Gitea under /git',
      kind: 'launch',
      url: `${l}/#https://gitea.launchpod.test/git/platform/node-app/pulls/3`,
    },
    {
      what: 'A file on a branch in Azure DevOps',
      kind: 'launch',
      url: `${l}/#https://dev.azure.com/launchpod/samples/_git/node-app?version=GBfeature/x/y&path=/src/feature.js`,
    },
    {
      what: 'A private repository: sign in with the fake GitHub (as alice), then it opens',
      kind: 'sign-in',
      url: `${l}/#https://github.com/launchpod-samples/private-app`,
    },
    {
      what: 'A broken .gitpod.yml, its line named',
      kind: 'refused',
      url: `${l}/#https://github.com/launchpod-samples/invalid-config`,
    },
    {
      what: 'A repository described only by .devcontainer/devcontainer.json',
      kind: 'launch',
      url: `${l}/#https://github.com/launchpod-samples/devcontainer-app`,
    },
    {
      what: 'The fork pull request in Coder (through its API; a second click reuses the workspace)',
      kind: 'backend',
      url: `${l}/start?url=${encodeURIComponent(`${DEMO_REPO}/pull/2`)}&backend=coder`,
    },
    {
      what: 'The same handed to Codespaces as a plain link (Ona, Gitpod and DevPod are offered beside it)',
      kind: 'backend',
      url: `${l}/start?url=${encodeURIComponent(`${DEMO_REPO}/pull/2`)}&backend=codespaces`,
    },
    { what: 'Badges for a README', kind: 'page', url: `${l}/badge?url=${encodeURIComponent(DEMO_REPO)}` },
    { what: 'Your workspaces (stop, restart, delete)', kind: 'page', url: `${l}/workspaces` },
    { what: 'Prebuild projects, with the admin token', kind: 'admin-api', url: `${l}/api/v1/admin/projects` },
  ];
}

/** The list as printed: what, then the link (an admin call as a curl command with the token). */
export function formatWhatToTry(items: readonly TryItem[], adminToken?: string): string {
  return items
    .map((item) => {
      const link =
        item.kind === 'admin-api'
          ? `curl -H 'authorization: Bearer ${adminToken ?? '<ADMIN_TOKEN>'}' ${item.url}`
          : item.url;
      return `  ${item.what}\n      ${link}`;
    })
    .join('\n');
}

// What a maintainer and GitHub do to get prebuilds on the local stack: register the repository as a project through
// the launcher's admin API, deliver a signed GitHub push webhook, wait for the prebuild. Signs with nothing but the
// secret the launcher handed out for the project.

import { createHmac } from 'node:crypto';

export interface Project {
  readonly id: string;
  readonly webhookSecret: string;
}

/** `POST /api/v1/admin/projects`: the launcher's answer as it came (201 and the project with its secret, when new). */
export async function registerProject(
  launcherUrl: string,
  adminToken: string,
  repoUrl: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${launcherUrl}/api/v1/admin/projects`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: launcherUrl,
      authorization: `Bearer ${adminToken}`,
    },
    body: JSON.stringify({ repoUrl }),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new Error(`admin/projects: ${response.status} ${text.slice(0, 500)}`);
  }
}

export interface GithubPush {
  /** `launchpod-samples/node-app` */
  readonly fullName: string;
  readonly branch: string;
  readonly sha: string;
  readonly defaultBranch: string;
}

/**
 * A push of `sha` as GitHub delivers it to the project's webhook, signed with the project's secret
 * (X-Hub-Signature-256). `delivery` is GitHub's delivery id: the same one again is a redelivery.
 */
export function deliverGithubPush(
  launcherUrl: string,
  project: Project,
  push: GithubPush,
  delivery: string,
): Promise<Response> {
  const body = JSON.stringify({
    ref: `refs/heads/${push.branch}`,
    before: '0'.repeat(40),
    after: push.sha,
    deleted: false,
    repository: { full_name: push.fullName, default_branch: push.defaultBranch },
  });
  return fetch(`${launcherUrl}/webhooks/github/${project.id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', project.webhookSecret).update(body).digest('hex')}`,
    },
    body,
  });
}

export type PrebuildStatus = { state: string; id?: string; sha?: string; error?: string };

/** `GET /api/v1/status` of a page URL: its prebuild, as the badge and the button's indicator see it. */
export async function prebuildStatus(launcherUrl: string, pageUrl: string): Promise<PrebuildStatus> {
  const response = await fetch(`${launcherUrl}/api/v1/status?url=${encodeURIComponent(pageUrl)}`);
  return ((await response.json()) as { prebuild: PrebuildStatus }).prebuild;
}

/** Polls until the prebuild of `pageUrl` is ready or failed, or `timeoutMs` passed: answers its last status. */
export async function waitForPrebuild(
  launcherUrl: string,
  pageUrl: string,
  timeoutMs = 180_000,
): Promise<PrebuildStatus> {
  const giveUpAt = Date.now() + timeoutMs;
  let status = await prebuildStatus(launcherUrl, pageUrl);
  while (status.state !== 'ready' && status.state !== 'failed' && Date.now() < giveUpAt) {
    await new Promise((r) => setTimeout(r, 500));
    status = await prebuildStatus(launcherUrl, pageUrl);
  }
  return status;
}

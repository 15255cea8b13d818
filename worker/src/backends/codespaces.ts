// GitHub Codespaces: `codespaces.new/<o>/<r>[/tree/<branch>|/pull/<n>]` for everyone, and with the user's GitHub
// sign-in a start through the REST API (`POST /repos/{o}/{r}/codespaces`, `…/pulls/{n}/codespaces`) that first reuses
// the user's codespace for the same repository and branch. Codespaces opens branches and pull requests of GitHub
// repositories only: a commit, a tag, an issue branch or a file is said to be lost, never silently widened.

import { err, ok } from '../../../shared/result.ts';
import type { BackendAdapter, BackendConfig, PlanInput, StartedOnBackend } from './backend.ts';
import { branchOf, branchPhrase, fileLoss, onBackendOrigin, repoName } from './backend.ts';
import { backendError, callBackend, messageOf } from './backend-http.ts';

interface Codespace {
  readonly name: string;
  readonly state: string;
  readonly web_url: string;
  readonly repository?: { readonly full_name?: string };
  readonly git_status?: { readonly ref?: string };
}

/** The repository a codespace is made in: a pull request's base (GitHub makes it there), else the context's. */
const target = (r: PlanInput['resolved']) => (r.pullRequest !== undefined ? r.pullRequest.baseRepo : r.repo);

function handoff(config: BackendConfig, r: PlanInput['resolved']): string {
  const { owner, name } = target(r);
  const base = `${config.url}/${owner}/${name}`;
  if (r.pullRequest !== undefined) return `${base}/pull/${r.pullRequest.number}`;
  const { branch } = branchOf(r);
  // `feature/x` keeps its slashes; `#`, `?` and spaces (git allows them in branch names) are encoded.
  return branch === r.defaultBranch
    ? base
    : `${base}/tree/${branch.split('/').map(encodeURIComponent).join('/')}`;
}

export const codespacesBackend: BackendAdapter = {
  kind: 'codespaces',
  defaultDisplayName: 'Codespaces',
  defaultUrl: 'https://codespaces.new',
  defaultApiUrl: 'https://api.github.com',
  defaultOrigins: ['https://*.github.dev', 'https://github.com'],

  plan(config, { resolved: r, userSignedIn }) {
    const base = { backend: config.name, kind: 'codespaces' as const, displayName: config.displayName };
    if (r.repo.host !== 'github.com')
      return {
        ...base,
        opens: 'nothing',
        cannot: [`Codespaces opens GitHub repositories only, and ${repoName(r)} is on ${r.repo.host}`],
        apiStart: false,
      };
    const { widened } = branchOf(r);
    return {
      ...base,
      opens:
        r.pullRequest !== undefined
          ? `pull request #${r.pullRequest.number} of ${target(r).owner}/${target(r).name}`
          : branchPhrase(r),
      cannot: [...(widened === undefined ? [] : [`Codespaces ${widened}`]), ...fileLoss(r, 'Codespaces')],
      handoffUrl: handoff(config, r),
      // The user's own GitHub sign-in is the access: without it, the link (GitHub asks the user itself).
      apiStart: userSignedIn === true,
    };
  },

  async start(config, { resolved: r }, access) {
    const link = r.repo.host === 'github.com' ? handoff(config, r) : undefined;
    if (link === undefined)
      return err(
        backendError(config, 'unsupported-host', 'Codespaces opens GitHub repositories only.', undefined),
      );
    if (access.userToken === undefined)
      return err(
        backendError(
          config,
          'sign-in-required',
          'Starting a codespace for you needs your GitHub sign-in (with the codespace permission). Sign in with GitHub on this launcher, or open it with the link, where GitHub asks you itself.',
          link,
        ),
      );
    const api = config.apiUrl ?? 'https://api.github.com';
    const headers = {
      authorization: `Bearer ${access.userToken}`,
      'x-github-api-version': '2022-11-28',
      accept: 'application/vnd.github+json',
    };
    const explain = (status: number, json: Record<string, unknown>) => {
      const said = messageOf(json);
      if (status === 401)
        return {
          code: 'sign-in-required' as const,
          detail: `GitHub did not accept your sign-in (${said}). Sign in with GitHub again.`,
        };
      if (status === 403)
        return {
          code: 'forbidden' as const,
          detail: `GitHub refused to start a codespace: ${said || 'no access'}. Your sign-in may lack the codespace permission, or your codespace quota or spending limit is reached.`,
        };
      if (status === 404)
        return {
          code: 'repo-not-found' as const,
          detail: `GitHub says ${repoName(r)} is not there for you, or codespaces are not allowed for it.`,
        };
      return undefined;
    };
    const fetcher = access.fetch ?? fetch;
    const { owner, name } = target(r);
    const branch = r.pullRequest?.headRef ?? branchOf(r).branch;

    // Reuse: the user's codespace for the same repository and branch, started again if it was shut down.
    const listed = await callBackend(
      config,
      { url: `${api}/user/codespaces`, headers },
      link,
      explain,
      [],
      fetcher,
    );
    if (!listed.ok) return listed;
    const codespaces = Array.isArray(listed.value.json.codespaces)
      ? (listed.value.json.codespaces as Codespace[])
      : [];
    const same = codespaces.find(
      (c) =>
        c.repository?.full_name?.toLowerCase() === `${owner}/${name}`.toLowerCase() &&
        c.git_status?.ref === branch &&
        !['Deleted', 'Failed', 'ShuttingDown'].includes(c.state),
    );
    let codespace: Codespace;
    if (same !== undefined) {
      codespace = same;
      if (same.state === 'Shutdown') {
        const started = await callBackend(
          config,
          { method: 'POST', url: `${api}/user/codespaces/${encodeURIComponent(same.name)}/start`, headers },
          link,
          explain,
          [],
          fetcher,
        );
        if (!started.ok) return started;
        codespace = started.value.json as unknown as Codespace;
      }
    } else {
      const body = config.machine === undefined ? {} : { machine: config.machine };
      const created = await callBackend(
        config,
        r.pullRequest !== undefined
          ? {
              method: 'POST',
              url: `${api}/repos/${owner}/${name}/pulls/${r.pullRequest.number}/codespaces`,
              headers,
              body,
            }
          : {
              method: 'POST',
              url: `${api}/repos/${owner}/${name}/codespaces`,
              headers,
              body: { ...body, ref: branch },
            },
        link,
        explain,
        [],
        fetcher,
      );
      if (!created.ok) return created;
      codespace = created.value.json as unknown as Codespace;
    }
    return checked(config, codespace, same !== undefined, link);
  },
};

function checked(config: BackendConfig, codespace: Codespace, reused: boolean, link: string) {
  if (typeof codespace.web_url !== 'string' || !onBackendOrigin(codespace.web_url, config))
    return err(
      backendError(
        config,
        'cluster-unavailable',
        'GitHub answered a codespace address outside the origins registered for it.',
        link,
      ),
    );
  return ok<StartedOnBackend>({ url: codespace.web_url, reused, id: codespace.name });
}

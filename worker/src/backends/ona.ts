// Ona (Gitpod's successor): `app.ona.com/#<context URL>` for everyone and, with an API key, a start through its
// Connect API (`gitpod.v1.EnvironmentService`): an environment for the same repository and branch or commit is reused
// (started again when stopped) before one is created with a git initializer. Ona reads devcontainer.json itself.

import { err, ok } from '../../../shared/result.ts';
import type { BackendAdapter, BackendConfig, PlanInput } from './backend.ts';
import { branchOf, contextPhrase, fileLoss } from './backend.ts';
import { backendError, callBackend, messageOf } from './backend-http.ts';

interface GitSpec {
  readonly remoteUri: string;
  readonly cloneTarget: string;
  readonly targetMode: 'CLONE_TARGET_MODE_REMOTE_BRANCH' | 'CLONE_TARGET_MODE_REMOTE_COMMIT';
}

interface Environment {
  readonly id: string;
  readonly spec?: {
    readonly content?: { readonly initializer?: { readonly specs?: readonly { readonly git?: GitSpec }[] } };
  };
  readonly status?: { readonly phase?: string };
}

/** What the git initializer checks out: the branch (a pull request's head), or the commit when there is none. */
function gitSpec(r: PlanInput['resolved']): { spec: GitSpec; widened?: string } {
  if (r.pullRequest !== undefined || r.ref?.type === 'branch' || r.issue !== undefined) {
    const { branch, widened } = branchOf(r);
    return {
      spec: { remoteUri: r.cloneUrl, cloneTarget: branch, targetMode: 'CLONE_TARGET_MODE_REMOTE_BRANCH' },
      ...(widened !== undefined && { widened }),
    };
  }
  return {
    spec: { remoteUri: r.cloneUrl, cloneTarget: r.sha, targetMode: 'CLONE_TARGET_MODE_REMOTE_COMMIT' },
  };
}

const environmentUrl = (config: BackendConfig, id: string) =>
  `${config.url}/details/${encodeURIComponent(id)}`;

export const onaBackend: BackendAdapter = {
  kind: 'ona',
  defaultDisplayName: 'Ona',
  defaultUrl: 'https://app.ona.com',
  defaultApiUrl: 'https://app.gitpod.io/api',

  plan(config, { resolved: r }) {
    const apiStart = config.secret !== undefined && config.machine !== undefined;
    const { widened } = gitSpec(r);
    return {
      backend: config.name,
      kind: 'ona',
      displayName: config.displayName,
      opens: contextPhrase(r),
      // The link hands Ona the context URL itself; an API start says what its git initializer can.
      cannot: apiStart ? [...(widened === undefined ? [] : [`Ona ${widened}`]), ...fileLoss(r, 'Ona')] : [],
      handoffUrl: `${config.url}/#${r.webUrl}`,
      apiStart,
    };
  },

  async start(config, { resolved: r }, access) {
    const link = `${config.url}/#${r.webUrl}`;
    if (config.secret === undefined || config.machine === undefined)
      return err(
        backendError(config, 'invalid-config', 'No Ona API key or machine class is configured.', link),
      );
    const api = `${config.apiUrl ?? 'https://app.gitpod.io/api'}/gitpod.v1.EnvironmentService`;
    const headers = { authorization: `Bearer ${config.secret}`, 'connect-protocol-version': '1' };
    // Connect's error body: {"code": "permission_denied", "message": "…"}.
    const explain = (_status: number, json: Record<string, unknown>) => {
      const said = messageOf(json);
      switch (json.code) {
        case 'unauthenticated':
          return {
            code: 'forbidden' as const,
            detail: `Ona did not accept the launcher's API key (${said}): the operator must renew it.`,
          };
        case 'permission_denied':
          return { code: 'forbidden' as const, detail: `Ona refused: ${said || 'no access'}.` };
        case 'resource_exhausted':
          return {
            code: 'no-capacity' as const,
            detail: `Ona has no room for another environment now: ${said}.`,
          };
        case 'invalid_argument':
        case 'failed_precondition':
          return { code: 'invalid-config' as const, detail: `Ona refused the request: ${said}.` };
        default:
          return undefined;
      }
    };
    const fetcher = access.fetch ?? fetch;
    const { spec } = gitSpec(r);

    const listed = await callBackend(
      config,
      { method: 'POST', url: `${api}/ListEnvironments`, headers, body: {} },
      link,
      explain,
      [],
      fetcher,
    );
    if (!listed.ok) return listed;
    const environments = Array.isArray(listed.value.json.environments)
      ? (listed.value.json.environments as Environment[])
      : [];
    const same = environments.find((e) => {
      const git = e.spec?.content?.initializer?.specs?.[0]?.git;
      const phase = e.status?.phase ?? '';
      return (
        git?.remoteUri === spec.remoteUri &&
        git.cloneTarget === spec.cloneTarget &&
        !['ENVIRONMENT_PHASE_DELETING', 'ENVIRONMENT_PHASE_DELETED'].includes(phase)
      );
    });
    if (same !== undefined) {
      if (['ENVIRONMENT_PHASE_STOPPED', 'ENVIRONMENT_PHASE_STOPPING'].includes(same.status?.phase ?? '')) {
        const started = await callBackend(
          config,
          { method: 'POST', url: `${api}/StartEnvironment`, headers, body: { environmentId: same.id } },
          link,
          explain,
          [],
          fetcher,
        );
        if (!started.ok) return started;
      }
      return ok({ url: environmentUrl(config, same.id), reused: true, id: same.id });
    }
    const created = await callBackend(
      config,
      {
        method: 'POST',
        url: `${api}/CreateEnvironment`,
        headers,
        body: {
          spec: { machine: { class: config.machine }, content: { initializer: { specs: [{ git: spec }] } } },
        },
      },
      link,
      explain,
      [],
      fetcher,
    );
    if (!created.ok) return created;
    const environment = created.value.json.environment as Environment | undefined;
    if (typeof environment?.id !== 'string')
      return err(
        backendError(config, 'cluster-unavailable', 'Ona answered without an environment id.', link),
      );
    return ok({ url: environmentUrl(config, environment.id), reused: false, id: environment.id });
  },
};

// Coder: a template per routing rule, its parameters filled from the context (`{repo_url}`, `{branch}`, `{commit}`,
// `{pr}`, `{context_url}`), as a `templates/<t>/workspace?mode=auto&param.*` link (Coder asks the user to confirm) and,
// with a session token, through `/api/v2`: the workspace for the same context (a name derived from it) is reused —
// started again when stopped — before one is created. It says what the template cannot take.

import { sha256Hex } from '../../../shared/digest.ts';
import { err, ok } from '../../../shared/result.ts';
import type { BackendAdapter, BackendConfig, PlanInput } from './backend.ts';
import { branchOf, fileLoss, fillPlaceholders, repoName } from './backend.ts';
import { backendError, callBackend, messageOf } from './backend-http.ts';

interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly owner_name: string;
  readonly latest_build?: { readonly transition?: string; readonly status?: string };
}

/** `lp-app-1a2b3c4d`: Coder's name rule (letters, digits, single dashes, at most 32), one per repository and ref. */
export function coderWorkspaceName(r: PlanInput['resolved']): string {
  const at = r.pullRequest !== undefined ? `pr/${r.pullRequest.number}` : (r.ref?.name ?? r.sha);
  const digest = sha256Hex(`${r.repo.host}/${repoName(r)}@${at}`).slice(0, 8);
  const slug = r.repo.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 18)
    .replace(/-+$/, '');
  return `lp-${slug === '' ? 'repo' : `${slug}`}-${digest}`;
}

interface Filled {
  readonly template?: string;
  readonly values: readonly { name: string; value: string }[];
  readonly cannot: string[];
}

function fill(config: BackendConfig, input: PlanInput): Filled {
  const r = input.resolved;
  const template = input.template ?? config.template;
  const parameters = input.parameters ?? config.parameters ?? {};
  const used = Object.values(parameters).join(' ');
  const cannot = fileLoss(r, 'Coder');
  if (template === undefined)
    return {
      values: [],
      cannot: [
        'no Coder template is set for this repository: ask the operator for a routing rule with a template',
      ],
    };
  if (!/\{(repo_url|context_url|repo)\}/.test(used))
    cannot.push(
      `the Coder template ${template} takes no repository parameter: the workspace is made without ${repoName(r)}`,
    );
  else if (!/\{(commit|context_url)\}/.test(used)) {
    const { widened } = branchOf(r);
    if (!/\{branch\}/.test(used))
      cannot.push(`the Coder template ${template} takes no branch: it opens what the template checks out`);
    else if (widened !== undefined)
      cannot.push(`the Coder template ${template} takes no commit: it ${widened}`);
  }
  return {
    template,
    values: Object.entries(parameters).map(([name, value]) => ({ name, value: fillPlaceholders(value, r) })),
    cannot,
  };
}

function handoff(config: BackendConfig, input: PlanInput, filled: Filled): string | undefined {
  if (filled.template === undefined) return undefined;
  const query = [
    'mode=auto',
    `name=${coderWorkspaceName(input.resolved)}`,
    ...filled.values.map((v) => `param.${encodeURIComponent(v.name)}=${encodeURIComponent(v.value)}`),
  ].join('&');
  return `${config.url}/templates/${encodeURIComponent(filled.template)}/workspace?${query}`;
}

export const coderBackend: BackendAdapter = {
  kind: 'coder',
  defaultDisplayName: 'Coder',

  plan(config, input) {
    const filled = fill(config, input);
    const link = handoff(config, input, filled);
    return {
      backend: config.name,
      kind: 'coder',
      displayName: config.displayName,
      opens:
        filled.template === undefined
          ? 'nothing'
          : `a workspace from template ${filled.template}${filled.values.length === 0 ? '' : ` with ${filled.values.map((v) => `${v.name}=${v.value}`).join(', ')}`}`,
      cannot: filled.cannot,
      ...(link !== undefined && { handoffUrl: link }),
      apiStart: config.secret !== undefined && filled.template !== undefined,
    };
  },

  async start(config, input, access) {
    const filled = fill(config, input);
    const link = handoff(config, input, filled);
    if (filled.template === undefined || config.secret === undefined)
      return err(
        backendError(
          config,
          'invalid-config',
          'No Coder template or session token is configured for this repository.',
          link,
        ),
      );
    const api = `${config.apiUrl ?? config.url}/api/v2`;
    const headers = { 'coder-session-token': config.secret };
    const template = filled.template;
    const explain = (status: number, json: Record<string, unknown>) => {
      const said = messageOf(json);
      if (status === 401)
        return {
          code: 'forbidden' as const,
          detail: `Coder did not accept the launcher's session token (${said}): the operator must renew it.`,
        };
      if (status === 403)
        return { code: 'forbidden' as const, detail: `Coder refused: ${said || 'no access'}.` };
      if (status === 400 || status === 409)
        return {
          code: 'invalid-config' as const,
          detail: `Coder refused the template's parameters: ${said}. The operator's parameter mapping for ${template} needs fixing.`,
        };
      return undefined;
    };
    const fetcher = access.fetch ?? fetch;
    const name = coderWorkspaceName(input.resolved);

    const existing = await callBackend(
      config,
      { url: `${api}/users/me/workspace/${name}`, headers },
      link,
      explain,
      [404],
      fetcher,
    );
    if (!existing.ok) return existing;
    if (existing.value.status !== 404) {
      const workspace = existing.value.json as unknown as Workspace;
      if (workspace.latest_build?.transition === 'stop' || workspace.latest_build?.status === 'stopped') {
        const started = await callBackend(
          config,
          {
            method: 'POST',
            url: `${api}/workspaces/${workspace.id}/builds`,
            headers,
            body: { transition: 'start' },
          },
          link,
          explain,
          [],
          fetcher,
        );
        if (!started.ok) return started;
      }
      return ok({ url: workspaceUrl(config, workspace), reused: true, id: workspace.id });
    }

    const org = encodeURIComponent(config.organization ?? 'coder');
    const found = await callBackend(
      config,
      { url: `${api}/organizations/${org}/templates/${encodeURIComponent(template)}`, headers },
      link,
      explain,
      [404],
      fetcher,
    );
    if (!found.ok) return found;
    if (found.value.status === 404 || typeof found.value.json.id !== 'string')
      return err(
        backendError(
          config,
          'invalid-config',
          `Coder has no template ${template} in organization ${config.organization ?? 'coder'}: the operator's routing rule names a template that does not exist.`,
          `${config.url}/templates`,
        ),
      );
    const created = await callBackend(
      config,
      {
        method: 'POST',
        url: `${api}/users/me/workspaces`,
        headers,
        body: { name, template_id: found.value.json.id, rich_parameter_values: filled.values },
      },
      link,
      explain,
      [],
      fetcher,
    );
    if (!created.ok) return created;
    const workspace = created.value.json as unknown as Workspace;
    return ok({ url: workspaceUrl(config, workspace), reused: false, id: workspace.id });
  },
};

const workspaceUrl = (config: BackendConfig, w: Workspace) =>
  `${config.url}/@${encodeURIComponent(w.owner_name)}/${encodeURIComponent(w.name)}`;

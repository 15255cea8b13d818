// What the toolbar popup shows, gathered in the background: the tab's context in words, its prebuild state, and
// the user's workspaces on their launcher (asked with the launcher's own cookie, which only the launcher origin the
// user set receives), with Stop. Where the launcher will not take a Stop from this extension (a browser whose
// extension origin is not listed in API_ALLOWED_ORIGINS, as Firefox's per-profile one), the popup says so and links
// the launcher's own Your workspaces page instead.

import { changeRequestText } from '../../shared/host-registry.ts';
import type { GitContext, LaunchRequest } from '../../shared/launch-request.ts';

const FETCH_TIMEOUT_MS = 5000;

/** One workspace as the popup lists it. */
export interface PopupWorkspace {
  readonly id: string;
  /** `owner/name` */
  readonly repo: string;
  /** `branch main`, `pull request #3`, `commit 1a2b3c4` */
  readonly at: string;
  readonly phase: string;
  /** The launcher's Open (a redirect that signs the owner in to the workspace), while it has an address. */
  readonly openUrl?: string;
  /** Running or starting: the popup offers Stop. */
  readonly stoppable: boolean;
  /** Stopped: the popup offers Restart (with its files). */
  readonly restartable: boolean;
}

export type PopupWorkspaces =
  | { readonly kind: 'list'; readonly workspaces: readonly PopupWorkspace[]; readonly manageUrl: string }
  | { readonly kind: 'unreachable'; readonly message: string; readonly manageUrl: string }
  | { readonly kind: 'no-launcher' };

/** The tab's context in a few words: `launchpod-samples/node-app` and `pull request #2`. */
export function contextSummary(request: LaunchRequest): { readonly repo: string; readonly at: string } {
  const context: GitContext = request.context;
  if (context.kind === 'snapshot') return { repo: 'a saved workspace', at: `snapshot ${context.id}` };
  const repo = `${context.repo.owner}/${context.repo.name}`;
  if (context.kind === 'pull-request')
    return { repo, at: changeRequestText(context.repo.family, context.number) };
  if (context.kind === 'issue') return { repo, at: `issue #${context.number} (on a new branch)` };
  const { revision, lines } = context;
  const range =
    lines === undefined ? '' : lines.start === lines.end ? `:${lines.start}` : `:${lines.start}-${lines.end}`;
  // Where the URL does not say where the ref ends (`tree/feature/x/y`), it is shown whole: the launcher asks the
  // host which reading is real.
  if (revision.type === 'ambiguous') {
    const first = revision.candidates[0];
    const whole = first === undefined ? '' : first.path === '' ? first.ref : `${first.ref}/${first.path}`;
    return { repo, at: `${whole}${range}` };
  }
  const where =
    revision.type === 'default'
      ? 'default branch'
      : revision.type === 'commit'
        ? `commit ${revision.sha.slice(0, 7)}`
        : `${revision.refType === 'any' ? 'ref' : revision.refType} ${revision.name}`;
  const path = context.path?.path;
  const file = path === undefined || path === '' ? '' : `, ${path}`;
  return { repo, at: `${where}${file}${range}` };
}

/** A workspace as the launcher's API lists it; `context` is its summary (worker/src/launch.ts). */
interface ApiWorkspace {
  readonly id?: unknown;
  readonly phase?: unknown;
  readonly openUrl?: unknown;
  readonly context?: {
    readonly repo?: unknown;
    readonly host?: unknown;
    readonly family?: unknown;
    readonly ref?: { readonly name?: unknown; readonly type?: unknown };
    readonly sha?: unknown;
    readonly pullRequest?: unknown;
    readonly issue?: unknown;
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A workspace of the launcher's API, in the popup's words; only fields it knows, as text (never markup). */
export function popupWorkspace(w: ApiWorkspace, launcherUrl: string): PopupWorkspace | undefined {
  const id = text(w.id);
  if (!/^[\w-]{1,128}$/.test(id)) return undefined;
  const c = w.context ?? {};
  const phase = text(w.phase);
  const refName = text(c.ref?.name);
  const at =
    typeof c.pullRequest === 'number'
      ? changeRequestText(text(c.family), c.pullRequest)
      : typeof c.issue === 'number'
        ? `issue #${c.issue}`
        : refName !== ''
          ? `${text(c.ref?.type) || 'ref'} ${refName}`
          : `commit ${text(c.sha).slice(0, 7)}`;
  const open = text(w.openUrl);
  return {
    id,
    repo: text(c.repo),
    at,
    phase,
    // The launcher's own path only: the popup never links anywhere else from this answer.
    ...(open.startsWith('/workspaces/') && { openUrl: `${launcherUrl}${open}` }),
    stoppable: phase === 'running' || phase === 'pending' || phase === 'creating' || phase === 'initializing',
    restartable: phase === 'stopped',
  };
}

/** The user's workspaces on their launcher, newest first as the launcher lists them. */
export async function listWorkspaces(launcherUrl: string): Promise<PopupWorkspaces> {
  if (launcherUrl === '') return { kind: 'no-launcher' };
  const manageUrl = `${launcherUrl}/workspaces`;
  try {
    const response = await fetch(`${launcherUrl}/api/v1/workspaces`, {
      credentials: 'include',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok)
      return { kind: 'unreachable', message: `The launcher answered ${response.status}.`, manageUrl };
    const body = (await response.json()) as { workspaces?: unknown };
    const list = Array.isArray(body.workspaces) ? (body.workspaces as ApiWorkspace[]) : [];
    const workspaces = list
      .map((w) => popupWorkspace(w, launcherUrl))
      .filter((w): w is PopupWorkspace => w !== undefined);
    return { kind: 'list', workspaces, manageUrl };
  } catch {
    return { kind: 'unreachable', message: 'The launcher is not answering.', manageUrl };
  }
}

export interface PopupState {
  readonly launch:
    | { readonly ok: true; readonly url: string }
    | { readonly ok: false; readonly message: string };
  readonly context?: { readonly repo: string; readonly at: string };
  readonly prebuild?: 'ready' | 'building' | 'none';
  readonly workspaces: PopupWorkspaces;
}

export type WorkspaceAction = 'stop' | 'restart' | 'delete';

export type ActionAnswer =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly manageUrl: string };

const ACTION_WORDS: Record<WorkspaceAction, string> = { stop: 'Stop', restart: 'Restart', delete: 'Delete' };

/** Stop, restart or delete, as the owner: the launcher checks the cookie and that this extension's origin is listed. */
export async function workspaceAction(
  launcherUrl: string,
  id: string,
  action: WorkspaceAction,
): Promise<ActionAnswer> {
  const manageUrl = `${launcherUrl}/workspaces`;
  if (launcherUrl === '' || !/^[\w-]{1,128}$/.test(id) || !(action in ACTION_WORDS))
    return { ok: false, message: 'There is no such workspace.', manageUrl };
  const path = `${launcherUrl}/api/v1/workspaces/${encodeURIComponent(id)}`;
  try {
    const response = await fetch(action === 'delete' ? path : `${path}/${action}`, {
      method: action === 'delete' ? 'DELETE' : 'POST',
      credentials: 'include',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (response.ok) return { ok: true };
    const problem = (await response.json().catch(() => ({}))) as { detail?: unknown };
    const refused = response.status === 400 || response.status === 403;
    return {
      ok: false,
      message: refused
        ? `Your launcher does not take a ${ACTION_WORDS[action]} from this browser’s extension: use Your workspaces.`
        : text(problem.detail) || `The launcher answered ${response.status}.`,
      manageUrl,
    };
  } catch {
    return { ok: false, message: 'The launcher is not answering.', manageUrl };
  }
}

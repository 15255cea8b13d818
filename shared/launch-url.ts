// The way back: a launch request → its canonical context text and a launcher URL for buttons and badges, and a
// launcher URL → the same request and options. Launch links carry only what will be applied: refused env items
// and credentials never make it into a link.

import { parseLaunchInput } from './context-url.ts';
import { envSegment } from './env-vars.ts';
import type { HostRegistry } from './host-registry.ts';
import type { LaunchRequest, ParseError } from './launch-request.ts';
import { err, ok, type Result } from './result.ts';
import { parseQuery } from './url-encoding.ts';

/** Launch options travel as query parameters on the launcher URL, never inside the context. */
export interface LaunchOptions {
  /** false: show a confirm page with the resolved context before starting. Default true. */
  readonly autostart?: boolean;
  /** `code` (see shared/editors.ts: the launcher refuses an editor no workspace opens in). */
  readonly editor?: string;
  readonly workspaceClass?: string;
  readonly region?: string;
  /** Resume the user's running workspace for the same context instead of starting another. */
  readonly quickstart?: boolean;
  /** A named dev container configuration, `.devcontainer/<name>/devcontainer.json`, used whatever else exists. */
  readonly devcontainer?: string;
  /** The backend to open it on (a CLUSTERS entry's name, or `launchpod`): the user's choice over the operator's rules. */
  readonly backend?: string;
}

const OPTION_VALUE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const OPTION_PARAMS: Readonly<Record<string, keyof LaunchOptions>> = {
  autostart: 'autostart',
  editor: 'editor',
  class: 'workspaceClass',
  region: 'region',
  quickstart: 'quickstart',
  devcontainer: 'devcontainer',
  backend: 'backend',
};

/** The context as it goes after the launcher's `#`: modifiers in a fixed order, then the canonical page URL. */
export function contextText(request: LaunchRequest, registry: HostRegistry): Result<string, ParseError> {
  const prefix: string[] = [];
  if (request.env.length > 0) prefix.push(`${envSegment(request.env)}/`);
  if (request.referrer) {
    prefix.push(
      `referrer:${request.referrer.name}${request.referrer.ide ? `:${request.referrer.ide}` : ''}/`,
    );
  }
  if (request.imageBuild) prefix.push('imagebuild/');
  if (request.openPrebuild !== undefined) prefix.push(`open-prebuild/${request.openPrebuild}/`);
  const { context } = request;
  if (context.kind === 'snapshot') return ok(`${prefix.join('')}snapshot/${context.id}`);
  const entry = registry.entries.find(
    (e) => e.hostname === context.repo.host && e.family === context.repo.family,
  );
  if (entry === undefined) {
    return err({
      code: 'unknown-host',
      message: `${context.repo.host} is not a git host this launcher knows.`,
    });
  }
  const web = registry.family(entry).webUrl(context, entry, { legacyRoute: request.alternatives.length > 0 });
  return ok(prefix.join('') + web);
}

/**
 * `https://launcher.example/?autostart=false#https://github.com/o/r` — hash form, which no server or proxy
 * rewrites. Accepts a request or anything a user pasted (parsed first, so the link is canonical).
 */
export function toLaunchUrl(
  launcherOrigin: string,
  target: string | LaunchRequest,
  registry: HostRegistry,
  options: LaunchOptions = {},
): Result<string, ParseError> {
  const request = typeof target === 'string' ? parseLaunchInput(target, registry) : ok(target);
  if (!request.ok) return request;
  const context = contextText(request.value, registry);
  if (!context.ok) return context;
  const query = optionsQuery(options);
  return ok(`${launcherOrigin.replace(/\/+$/, '')}/${query === '' ? '' : `?${query}`}#${context.value}`);
}

function optionsQuery(options: LaunchOptions): string {
  const params: string[] = [];
  for (const [param, key] of Object.entries(OPTION_PARAMS)) {
    const value = options[key];
    if (value === undefined) continue;
    params.push(`${param}=${typeof value === 'boolean' ? String(value) : encodeURIComponent(value)}`);
  }
  return params.join('&');
}

export interface ParsedLaunchUrl {
  readonly request: LaunchRequest;
  readonly options: LaunchOptions;
  readonly form: 'hash' | 'path';
  /** Options that were present but not understood, for the start page to mention. */
  readonly ignoredOptions: readonly string[];
}

/**
 * A launcher URL → request and options. Hash form: the query before `#` holds the options. Path form
 * (`/github.com/o/r/pull/3?autostart=false`): option names are taken out of the query, the rest (Bitbucket's
 * `?at=`) stays with the context.
 */
export function parseLaunchUrl(
  launchUrl: string,
  registry: HostRegistry,
): Result<ParsedLaunchUrl, ParseError> {
  const origin = /^https?:\/\/[^/?#]+/.exec(launchUrl);
  if (origin === null) {
    return err({
      code: 'malformed-url',
      message:
        'A launch link starts with the launcher address, like https://launcher.example/#https://github.com/owner/repo.',
    });
  }
  const afterOrigin = launchUrl.slice(origin[0].length);
  const hash = afterOrigin.indexOf('#');
  const beforeHash = hash === -1 ? afterOrigin : afterOrigin.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const path = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const query = q === -1 ? '' : beforeHash.slice(q + 1);
  const hashText = hash === -1 ? '' : afterOrigin.slice(hash + 1);

  // A path after the origin is the context (its own `#L10` included); otherwise the fragment is.
  const form = path === '' || path === '/' ? 'hash' : 'path';
  const { options, ignored, contextQuery } = readOptions(query, form === 'path');
  const context =
    form === 'hash'
      ? hashText
      : path + (contextQuery === '' ? '' : `?${contextQuery}`) + (hash === -1 ? '' : `#${hashText}`);
  const request = parseLaunchInput(context, registry);
  if (!request.ok) return request;
  return ok({ request: request.value, options, form, ignoredOptions: ignored });
}

/** Launch options from a query string; with `keepOthers`, other parameters are handed back for the context. */
export function readOptions(
  query: string,
  keepOthers = false,
): { options: LaunchOptions; ignored: string[]; contextQuery: string } {
  const options: Record<string, string | boolean> = {};
  const ignored: string[] = [];
  const others: string[] = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const [rawName = ''] = pair.split('=', 1);
    // Own names only: `constructor` and `__proto__` are not options.
    const key = Object.hasOwn(OPTION_PARAMS, rawName) ? OPTION_PARAMS[rawName] : undefined;
    if (key === undefined) {
      if (keepOthers) others.push(pair);
      continue;
    }
    const value = parseQuery(pair).get(rawName) ?? '';
    if (key === 'autostart' || key === 'quickstart') {
      const flag = readFlag(value);
      if (flag === undefined) ignored.push(`${rawName}=${value}`);
      else options[key] = flag;
    } else if (OPTION_VALUE.test(value)) {
      options[key] = value;
    } else {
      ignored.push(`${rawName}=${value}`);
    }
  }
  return { options: options as LaunchOptions, ignored, contextQuery: others.join('&') };
}

function readFlag(value: string): boolean | undefined {
  if (value === '' || value === 'true' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 'no') return false;
  return undefined;
}

// How each host family signs a user in, as data: OAuth endpoints relative to the host's site (so GitHub Enterprise
// and self-managed GitLab work from the registry alone), the minimum scopes, how git takes the token, and where to
// read who the user is, how sign-out takes a token back. Bitbucket Server has no hosted OAuth for us: its users paste
// a personal access token.

import { hostFamilies } from '../../../shared/host-registry.ts';
import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';
import type { OAuthClient } from './auth-config.ts';

/** How a host takes a token back at sign-out; a family without one keeps the grant until the user removes it. */
export type Revocation =
  /** RFC 7009: `POST <site><path>`, form `token=…`, client authenticated with HTTP Basic (GitLab). */
  | { readonly style: 'rfc7009'; readonly path: string }
  /**
   * GitHub's "delete an app token": `DELETE <api><path>` with `{client_id}` filled in, HTTP Basic client_id:secret,
   * JSON `{"access_token": …}`, 204 when done. Only this token: the user's other browsers stay signed in.
   */
  | { readonly style: 'github-app-token'; readonly path: string };

/** What every family's sign-in piece says, whatever the way of signing in. */
interface SignInCommon {
  /** How the sign-in page names a built-in host of this family ("Bitbucket"). */
  readonly label: string;
  /**
   * True when a self-hosted instance may refuse an anonymous clone even of a repository its API calls public
   * (GitHub Enterprise Server in private mode): the workspace then always gets the user's token.
   */
  readonly selfHostedClonesNeedToken?: boolean;
}

export interface OAuthFamily extends SignInCommon {
  readonly kind: 'oauth';
  readonly authorizePath: string;
  readonly tokenPath: string;
  readonly revocation?: Revocation;
  /** The page on the host's site where a user sees and removes what they authorized. */
  readonly grantsPath: string;
  /** Minimum scopes to read repositories (API) and clone them. */
  readonly scopes: readonly string[];
  /**
   * Whether a refresh asks for the scopes again. RFC 6749 §6 leaves them out (the grant's own), and most hosts
   * take that; Microsoft Entra's v2 token endpoint requires them.
   */
  readonly scopesOnRefresh?: boolean;
  /** Path under the API base that answers the signed-in user. */
  readonly userPath: string;
  /** git's username when the token is the password. */
  readonly cloneUser: string;
  readonly readUser: (json: Record<string, unknown>) => { id: string; login: string } | undefined;
}

export interface TokenFamily extends SignInCommon {
  readonly kind: 'personal-token';
  /**
   * Path on the host's site that answers who the token belongs to, as plain text (empty when the host did not take
   * the token): the only source of the user's identity — never a form field or a header a proxy may add or drop.
   */
  readonly whoamiPath: string;
  /** Path under the API base that answers a user by name (`{name}`), with the host's stable numeric id. */
  readonly userPath: string;
  readonly readUser: (json: Record<string, unknown>) => { id: string; login: string } | undefined;
  /** The page on the host's site where a user deletes their access tokens (we never revoke a token they made). */
  readonly grantsPath: string;
}

/** The first of `values` that is a non-empty string. */
const firstText = (...values: unknown[]): string | undefined =>
  values.find((v): v is string => typeof v === 'string' && v !== '');

const idLogin = (id: unknown, login: unknown) =>
  (typeof id === 'string' || typeof id === 'number') && typeof login === 'string' && login !== ''
    ? { id: String(id), login }
    : undefined;

export const signInFamilies: Readonly<Record<HostFamilyId, OAuthFamily | TokenFamily>> = {
  github: {
    kind: 'oauth',
    label: 'GitHub',
    selfHostedClonesNeedToken: true,
    authorizePath: '/login/oauth/authorize',
    tokenPath: '/login/oauth/access_token',
    revocation: { style: 'github-app-token', path: '/applications/{client_id}/token' },
    grantsPath: '/settings/applications',
    // `repo` is GitHub's only OAuth scope that reads private repositories (GitHub Apps ignore scopes).
    scopes: ['repo'],
    userPath: '/user',
    cloneUser: 'x-access-token',
    readUser: (j) => idLogin(j.id, j.login),
  },
  gitlab: {
    kind: 'oauth',
    label: 'GitLab',
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    revocation: { style: 'rfc7009', path: '/oauth/revoke' },
    grantsPath: '/-/user_settings/applications',
    // read_api for projects, refs and merge requests; read_repository for git over HTTP.
    scopes: ['read_api', 'read_repository'],
    userPath: '/user',
    cloneUser: 'oauth2',
    readUser: (j) => idLogin(j.id, j.username),
  },
  'bitbucket-cloud': {
    kind: 'oauth',
    label: 'Bitbucket',
    authorizePath: '/site/oauth2/authorize',
    tokenPath: '/site/oauth2/access_token',
    // Bitbucket Cloud documents no revocation endpoint (only authorize and access_token): a user removes the
    // launcher under Personal settings → App authorizations.
    grantsPath: '/account/settings/app-authorizations/',
    // Bitbucket takes scopes from the OAuth consumer: give it "Repositories: Read" and nothing else.
    scopes: [],
    userPath: '/user',
    cloneUser: 'x-token-auth',
    readUser: (j) => idLogin(j.uuid, j.username ?? j.nickname),
  },
  // HTTP access tokens go with the user's own name to git (username + token as password).
  'bitbucket-server': {
    kind: 'personal-token',
    label: 'Bitbucket',
    // As Gitpod's Bitbucket Server provider does: the applinks servlet names the caller, `users/{slug}` its id.
    whoamiPath: '/plugins/servlet/applinks/whoami',
    userPath: '/users/{name}',
    readUser: (j) => idLogin(j.id, j.name),
    grantsPath: '/plugins/servlet/access-tokens/manage',
  },
  // Gitea and Forgejo are OAuth2 providers with PKCE (S256) on every instance; the admin (or, on Codeberg, the
  // operator in their own settings) registers the launcher as an OAuth2 application. No revocation endpoint: the
  // user removes the grant under Settings → Applications.
  gitea: {
    kind: 'oauth',
    label: 'Gitea',
    authorizePath: '/login/oauth/authorize',
    tokenPath: '/login/oauth/access_token',
    grantsPath: '/user/settings/applications',
    // Scoped tokens (Gitea 1.19+): read repositories (API and git over HTTP) and who the user is.
    scopes: ['read:repository', 'read:user'],
    userPath: '/user',
    // Gitea takes any user name beside an OAuth2 token as the password; `oauth2` says what it is in logs.
    cloneUser: 'oauth2',
    readUser: (j) => idLogin(j.id, j.login),
  },
  // Microsoft Entra ID (v2 endpoints, PKCE) for Azure DevOps Services: the operator registers an app with the Azure
  // DevOps `vso.code` delegated permission. Endpoints live off the host's site (absolute here). Azure DevOps Server
  // has no Entra sign-in of its own: its operator sets OAUTH_CLIENTS' URLs, or a server PAT in HOST_TOKENS.
  'azure-devops': {
    kind: 'oauth',
    label: 'Azure DevOps',
    authorizePath: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    tokenPath: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
    grantsPath: '/_usersSettings/tokens',
    // 499b84ac-… is Azure DevOps' resource id: read code (API and git over HTTP), and a refresh token.
    scopes: ['499b84ac-1321-427f-aa17-267ca6975798/vso.code', 'offline_access'],
    scopesOnRefresh: true,
    // The profile API is a preview in 7.1: a version without `-preview` is refused.
    userPath: 'https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1-preview.3',
    // git takes an Entra token as the password with any user name.
    cloneUser: 'oauth',
    // `publicAlias` is the profile's id again (a GUID): the sign-in page names the user by e-mail address instead.
    readUser: (j) => idLogin(j.id, firstText(j.emailAddress, j.displayName, j.publicAlias)),
  },
};

export interface OAuthEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  /** Where sign-out revokes, in the family's style; undefined when the host offers no revocation. */
  readonly revoke: { readonly style: Revocation['style']; readonly url: string } | undefined;
  readonly userUrl: string;
}

/** A host's OAuth endpoints: the family's paths on the host's site, unless the client overrides them. */
export function oauthEndpoints(entry: HostEntry, family: OAuthFamily, client: OAuthClient): OAuthEndpoints {
  const site = entry.origin + entry.basePath;
  const api = entry.apiBaseUrl.replace(/\/+$/, '');
  return {
    authorizeUrl: client.authorizeUrl ?? under(site, family.authorizePath),
    tokenUrl: client.tokenUrl ?? under(site, family.tokenPath),
    revoke: revokeEndpoint(family.revocation, site, api, client),
    userUrl: client.userUrl ?? under(api, family.userPath),
  };
}

/** A family's path on a host's site or API, or an absolute URL (Microsoft Entra ID lives off the host). */
const under = (base: string, path: string): string => (/^https:\/\//.test(path) ? path : base + path);

function revokeEndpoint(
  revocation: Revocation | undefined,
  site: string,
  api: string,
  client: OAuthClient,
): OAuthEndpoints['revoke'] {
  if (revocation === undefined) return undefined;
  if (client.revokeUrl !== undefined) return { style: revocation.style, url: client.revokeUrl };
  if (revocation.style === 'rfc7009') return { style: 'rfc7009', url: site + revocation.path };
  // GitHub's lives on the API host: api.github.com, or GitHub Enterprise's `/api/v3`.
  return {
    style: 'github-app-token',
    url: api + revocation.path.replace('{client_id}', encodeURIComponent(client.clientId)),
  };
}

/** Where the user removes this launcher's access on the host themselves (`https://bitbucket.org/account/…`). */
export function grantsPage(entry: HostEntry): string {
  return entry.origin + entry.basePath + signInFamilies[entry.family].grantsPath;
}

/** "GitHub", "GitLab", "Bitbucket" for the built-in hosts; the host name for self-hosted ones. */
export function hostLabel(entry: HostEntry): string {
  if (!entry.builtin) return entry.hostname;
  const builtin = hostFamilies[entry.family].builtins.find((b) => b.hostname === entry.hostname);
  return builtin?.label ?? signInFamilies[entry.family].label;
}

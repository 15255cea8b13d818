// How each host family signs a user in, as data: OAuth endpoints relative to the host's site (so GitHub Enterprise
// and self-managed GitLab work from the registry alone), the minimum scopes, how git takes the token, and where to
// read who the user is. Bitbucket Server has no hosted OAuth for us: its users paste a personal access token.

import type { HostEntry } from '../../../shared/hosts/host-family.ts';
import type { HostFamilyId } from '../../../shared/launch-request.ts';
import type { OAuthClient } from './auth-config.ts';

export interface OAuthFamily {
  readonly kind: 'oauth';
  readonly authorizePath: string;
  readonly tokenPath: string;
  /** RFC 7009 revocation, where the host has one. */
  readonly revokePath?: string;
  /** Minimum scopes to read repositories (API) and clone them. */
  readonly scopes: readonly string[];
  /** Path under the API base that answers the signed-in user. */
  readonly userPath: string;
  /** git's username when the token is the password. */
  readonly cloneUser: string;
  readonly readUser: (json: Record<string, unknown>) => { id: string; login: string } | undefined;
}

export interface TokenFamily {
  readonly kind: 'personal-token';
  /** Path under the API base that any valid token may read (a refused token gets 401). */
  readonly checkPath: string;
}

const idLogin = (id: unknown, login: unknown) =>
  (typeof id === 'string' || typeof id === 'number') && typeof login === 'string' && login !== ''
    ? { id: String(id), login }
    : undefined;

export const signInFamilies: Readonly<Record<HostFamilyId, OAuthFamily | TokenFamily>> = {
  github: {
    kind: 'oauth',
    authorizePath: '/login/oauth/authorize',
    tokenPath: '/login/oauth/access_token',
    // `repo` is GitHub's only OAuth scope that reads private repositories (GitHub Apps ignore scopes).
    scopes: ['repo'],
    userPath: '/user',
    cloneUser: 'x-access-token',
    readUser: (j) => idLogin(j.id, j.login),
  },
  gitlab: {
    kind: 'oauth',
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    revokePath: '/oauth/revoke',
    // read_api for projects, refs and merge requests; read_repository for git over HTTP.
    scopes: ['read_api', 'read_repository'],
    userPath: '/user',
    cloneUser: 'oauth2',
    readUser: (j) => idLogin(j.id, j.username),
  },
  'bitbucket-cloud': {
    kind: 'oauth',
    authorizePath: '/site/oauth2/authorize',
    tokenPath: '/site/oauth2/access_token',
    // Bitbucket takes scopes from the OAuth consumer: give it "Repositories: Read" and nothing else.
    scopes: [],
    userPath: '/user',
    cloneUser: 'x-token-auth',
    readUser: (j) => idLogin(j.uuid, j.username ?? j.nickname),
  },
  // HTTP access tokens go with the user's own name to git (username + token as password).
  'bitbucket-server': { kind: 'personal-token', checkPath: '/application-properties' },
};

export interface OAuthEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string | undefined;
  readonly userUrl: string;
}

/** A host's OAuth endpoints: the family's paths on the host's site, unless the client overrides them. */
export function oauthEndpoints(entry: HostEntry, family: OAuthFamily, client: OAuthClient): OAuthEndpoints {
  const site = entry.origin + entry.basePath;
  const api = entry.apiBaseUrl.replace(/\/+$/, '');
  return {
    authorizeUrl: client.authorizeUrl ?? site + family.authorizePath,
    tokenUrl: client.tokenUrl ?? site + family.tokenPath,
    revokeUrl: client.revokeUrl ?? (family.revokePath === undefined ? undefined : site + family.revokePath),
    userUrl: client.userUrl ?? api + family.userPath,
  };
}

/** "GitHub", "GitLab", "Bitbucket" for the built-in hosts; the host name for self-hosted ones. */
export function hostLabel(entry: HostEntry): string {
  if (!entry.builtin) return entry.hostname;
  return {
    github: 'GitHub',
    gitlab: 'GitLab',
    'bitbucket-cloud': 'Bitbucket',
    'bitbucket-server': 'Bitbucket',
  }[entry.family];
}

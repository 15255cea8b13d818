// Sign-in endpoints come from the host registry: GitHub Enterprise and self-managed GitLab need no code.

import { describe, expect, it } from 'vitest';
import { createHostRegistry } from '../../../shared/host-registry.ts';
import { grantsPage, oauthEndpoints, signInFamilies } from '../../src/auth/providers.ts';

const registry = createHostRegistry([
  { hostname: 'ghe.corp.example', family: 'github' },
  { hostname: 'git.corp.example', family: 'gitlab', basePath: '/gitlab' },
]);
const entry = (host: string) => {
  if (!registry.ok) throw new Error(registry.error);
  const found = registry.value.entries.find((e) => e.hostname === host);
  if (found === undefined) throw new Error(host);
  return found;
};
const client = { clientId: 'id', clientSecret: 'secret' };
const oauth = (family: 'github' | 'gitlab' | 'bitbucket-cloud') => {
  const f = signInFamilies[family];
  if (f.kind !== 'oauth') throw new Error(family);
  return f;
};

describe('OAuth endpoints per host', () => {
  it.each([
    [
      'github.com',
      'github',
      'https://github.com/login/oauth/authorize',
      'https://github.com/login/oauth/access_token',
      'https://api.github.com/user',
    ],
    [
      'ghe.corp.example',
      'github',
      'https://ghe.corp.example/login/oauth/authorize',
      'https://ghe.corp.example/login/oauth/access_token',
      'https://ghe.corp.example/api/v3/user',
    ],
    [
      'gitlab.com',
      'gitlab',
      'https://gitlab.com/oauth/authorize',
      'https://gitlab.com/oauth/token',
      'https://gitlab.com/api/v4/user',
    ],
    [
      'git.corp.example',
      'gitlab',
      'https://git.corp.example/gitlab/oauth/authorize',
      'https://git.corp.example/gitlab/oauth/token',
      'https://git.corp.example/gitlab/api/v4/user',
    ],
    [
      'bitbucket.org',
      'bitbucket-cloud',
      'https://bitbucket.org/site/oauth2/authorize',
      'https://bitbucket.org/site/oauth2/access_token',
      'https://api.bitbucket.org/2.0/user',
    ],
  ] as const)('%s', (host, family, authorizeUrl, tokenUrl, userUrl) => {
    expect(oauthEndpoints(entry(host), oauth(family), client)).toMatchObject({
      authorizeUrl,
      tokenUrl,
      userUrl,
    });
  });

  it.each([
    [
      'github.com',
      'github',
      { style: 'github-app-token', url: 'https://api.github.com/applications/id/token' },
    ],
    [
      'ghe.corp.example',
      'github',
      { style: 'github-app-token', url: 'https://ghe.corp.example/api/v3/applications/id/token' },
    ],
    ['gitlab.com', 'gitlab', { style: 'rfc7009', url: 'https://gitlab.com/oauth/revoke' }],
    ['git.corp.example', 'gitlab', { style: 'rfc7009', url: 'https://git.corp.example/gitlab/oauth/revoke' }],
    // Bitbucket Cloud documents no revocation endpoint.
    ['bitbucket.org', 'bitbucket-cloud', undefined],
  ] as const)('%s revokes at sign-out where the host allows', (host, family, revoke) => {
    expect(oauthEndpoints(entry(host), oauth(family), client).revoke).toEqual(revoke);
  });

  it.each([
    ['github.com', 'https://github.com/settings/applications'],
    ['ghe.corp.example', 'https://ghe.corp.example/settings/applications'],
    ['git.corp.example', 'https://git.corp.example/gitlab/-/user_settings/applications'],
    ['bitbucket.org', 'https://bitbucket.org/account/settings/app-authorizations/'],
  ])('%s: the page where a user removes the launcher themselves', (host, page) => {
    expect(grantsPage(entry(host))).toBe(page);
  });

  it('asks for the minimum scopes', () => {
    expect(oauth('github').scopes).toEqual(['repo']);
    expect(oauth('gitlab').scopes).toEqual(['read_api', 'read_repository']);
    expect(oauth('bitbucket-cloud').scopes).toEqual([]);
    expect(signInFamilies['bitbucket-server'].kind).toBe('personal-token');
  });
});

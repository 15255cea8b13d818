import { describe, expect, it } from 'vitest';
import { changeRequestText, createHostRegistry, defaultHostRegistry } from './host-registry.ts';

describe('host registry', () => {
  it('knows github.com, gitlab.com and bitbucket.org and their other names', () => {
    expect(defaultHostRegistry.lookup('github.com')?.apiBaseUrl).toBe('https://api.github.com');
    expect(defaultHostRegistry.lookup('github.dev')?.hostname).toBe('github.com');
    expect(defaultHostRegistry.lookup('www.gitlab.com')?.apiBaseUrl).toBe('https://gitlab.com/api/v4');
    expect(defaultHostRegistry.lookup('bitbucket.org')?.apiBaseUrl).toBe('https://api.bitbucket.org/2.0');
    expect(defaultHostRegistry.lookup('gitlab.example.com')).toBeUndefined();
  });

  it('adds self-hosted instances with the family convention for their API', () => {
    const registry = createHostRegistry([
      { hostname: 'GHE.corp.example', family: 'github' },
      { hostname: 'code.example.org', family: 'gitlab', basePath: '/gitlab/' },
      { hostname: 'git.example.net:7990', family: 'bitbucket-server' },
    ]);
    if (!registry.ok) throw new Error(registry.error);
    expect(registry.value.lookup('ghe.corp.example')).toMatchObject({
      apiBaseUrl: 'https://ghe.corp.example/api/v3',
      builtin: false,
    });
    expect(registry.value.lookup('code.example.org', '/gitlab/g/p')?.apiBaseUrl).toBe(
      'https://code.example.org/gitlab/api/v4',
    );
    expect(registry.value.lookup('code.example.org', '/other/g/p')).toBeUndefined();
    expect(registry.value.lookupSsh('git.example.net')?.apiBaseUrl).toBe(
      'https://git.example.net:7990/rest/api/1.0',
    );
  });

  it('lets a built-in host point at another API endpoint, and nothing else', () => {
    const registry = createHostRegistry([
      { hostname: 'github.com', family: 'github', apiBaseUrl: 'http://127.0.0.1:9000/' },
    ]);
    if (!registry.ok) throw new Error(registry.error);
    expect(registry.value.lookup('github.com')).toMatchObject({
      apiBaseUrl: 'http://127.0.0.1:9000',
      origin: 'https://github.com',
      builtin: true,
    });
    expect(
      createHostRegistry([{ hostname: 'github.com', family: 'gitlab', apiBaseUrl: 'http://x' }]),
    ).toEqual({
      ok: false,
      error: 'hosts[0]: github.com is built in as github; only its apiBaseUrl can be changed.',
    });
  });

  it.each([
    [
      { hostname: 'not a host', family: 'github' },
      "hosts[0].hostname: expected a host name like git.example.com or git.example.com:8443, got 'not a host'.",
    ],
    [
      { hostname: 'git.example.com', family: 'gogs' },
      "hosts[0].family: expected one of github, gitlab, bitbucket-cloud, bitbucket-server, gitea, azure-devops, got 'gogs'.",
    ],
    [
      { hostname: 'git.example.com', family: 'gitlab', basePath: 'no-slash' },
      "hosts[0].basePath: expected a path like /gitlab, got 'no-slash'.",
    ],
    [
      { hostname: 'git.example.com', family: 'gitlab', apiBaseUrl: 'ftp://x' },
      "hosts[0].apiBaseUrl: expected an absolute http(s) URL, got 'ftp://x'.",
    ],
  ])('refuses %j with a way to fix it', (config, error) => {
    expect(createHostRegistry([config as never])).toEqual({ ok: false, error });
  });
});

describe('changeRequestText', () => {
  it("names a change request as each host's users do, and as a pull request when the family is unknown", () => {
    expect(changeRequestText('gitlab', 12)).toBe('merge request !12');
    expect(changeRequestText('github', 12)).toBe('pull request #12');
    expect(changeRequestText(undefined, 3)).toBe('pull request #3');
    expect(changeRequestText('toString', 3)).toBe('pull request #3');
  });
});

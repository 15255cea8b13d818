// Behaviour the mutation run (docs/mutation-testing.md) found unasserted: whole entries, every guard of a deployer's
// host list with the message it shows, and which entry a lookup picks.
import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from './context-url.ts';
import {
  createHostRegistry,
  defaultHostRegistry,
  type HostConfig,
  type HostRegistry,
} from './host-registry.ts';

const registryOf = (configs: readonly HostConfig[]): HostRegistry => {
  const result = createHostRegistry(configs);
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

describe('host entries', () => {
  it('are the five built-ins, https only, when nothing is configured', () => {
    expect(createHostRegistry()).toStrictEqual({ ok: true, value: expect.anything() });
    expect(defaultHostRegistry.entries).toStrictEqual([
      {
        hostname: 'github.com',
        family: 'github',
        origin: 'https://github.com',
        basePath: '',
        apiBaseUrl: 'https://api.github.com',
        httpsOnly: true,
        builtin: true,
      },
      {
        hostname: 'gitlab.com',
        family: 'gitlab',
        origin: 'https://gitlab.com',
        basePath: '',
        apiBaseUrl: 'https://gitlab.com/api/v4',
        httpsOnly: true,
        builtin: true,
      },
      {
        hostname: 'bitbucket.org',
        family: 'bitbucket-cloud',
        origin: 'https://bitbucket.org',
        basePath: '',
        apiBaseUrl: 'https://api.bitbucket.org/2.0',
        httpsOnly: true,
        builtin: true,
      },
      {
        hostname: 'codeberg.org',
        family: 'gitea',
        origin: 'https://codeberg.org',
        basePath: '',
        apiBaseUrl: 'https://codeberg.org/api/v1',
        httpsOnly: true,
        builtin: true,
      },
      {
        hostname: 'dev.azure.com',
        family: 'azure-devops',
        origin: 'https://dev.azure.com',
        basePath: '',
        apiBaseUrl: 'https://dev.azure.com',
        httpsOnly: true,
        builtin: true,
      },
    ]);
    for (const alias of ['www.github.com', 'github.dev', 'www.gitlab.com', 'www.bitbucket.org']) {
      expect(defaultHostRegistry.lookup(alias)?.hostname).toBe(
        alias.replace(/^www\./, '').replace('.dev', '.com'),
      );
    }
  });

  it('for a self-hosted instance: https only unless allowHttp is exactly true', () => {
    const registry = registryOf([
      { hostname: 'secure.example', family: 'gitlab' },
      { hostname: 'also-secure.example', family: 'gitlab', allowHttp: false },
      { hostname: 'lab.example:8080', family: 'gitlab', allowHttp: true, basePath: '/git///' },
    ]);
    expect(registry.entries.slice(defaultHostRegistry.entries.length)).toStrictEqual([
      {
        hostname: 'secure.example',
        family: 'gitlab',
        origin: 'https://secure.example',
        basePath: '',
        apiBaseUrl: 'https://secure.example/api/v4',
        httpsOnly: true,
        builtin: false,
      },
      {
        hostname: 'also-secure.example',
        family: 'gitlab',
        origin: 'https://also-secure.example',
        basePath: '',
        apiBaseUrl: 'https://also-secure.example/api/v4',
        httpsOnly: true,
        builtin: false,
      },
      {
        hostname: 'lab.example:8080',
        family: 'gitlab',
        origin: 'http://lab.example:8080',
        basePath: '/git',
        apiBaseUrl: 'http://lab.example:8080/git/api/v4',
        httpsOnly: false,
        builtin: false,
      },
    ]);
    expect(parseLaunchInput('http://secure.example/g/p', registry)).toStrictEqual({
      ok: false,
      error: {
        code: 'insecure-scheme',
        message:
          'secure.example is served over https only, and this link uses plain http. Use the https:// address instead.',
      },
    });
    expect(parseLaunchInput('http://lab.example:8080/git/g/p', registry).ok).toBe(true);
  });

  it('keep an explicit API URL, without its trailing slashes', () => {
    const registry = registryOf([
      { hostname: 'ghe.example', family: 'github', apiBaseUrl: 'https://api.ghe.example/v3//' },
    ]);
    expect(registry.lookup('ghe.example')?.apiBaseUrl).toBe('https://api.ghe.example/v3');
  });
});

describe("a deployer's host list", () => {
  it('refuses the same host and base path twice, and a host name that is not one', () => {
    expect(
      createHostRegistry([
        { hostname: 'git.example', family: 'gitlab' },
        { hostname: 'GIT.example', family: 'github', basePath: '/' },
      ]),
    ).toStrictEqual({ ok: false, error: 'hosts[1]: git.example is listed twice; keep one entry.' });
    expect(
      createHostRegistry([
        { hostname: 'git.example', family: 'gitlab', basePath: '/a' },
        { hostname: 'git.example', family: 'gitlab', basePath: '/a/' },
      ]),
    ).toStrictEqual({ ok: false, error: 'hosts[1]: git.example/a is listed twice; keep one entry.' });
    // The same host under two base paths is two instances.
    expect(
      createHostRegistry([
        { hostname: 'git.example', family: 'gitlab', basePath: '/a' },
        { hostname: 'git.example', family: 'gitlab', basePath: '/b' },
      ]).ok,
    ).toBe(true);
  });

  it.each([
    '',
    '-git.example',
    'git.example-',
    'git.example.',
    'git_example.com',
    'git.example:',
    'git.example:123456',
    'https://git.example',
    'git.example/path',
  ])('refuses the host name %j', (hostname) => {
    expect(createHostRegistry([{ hostname, family: 'gitlab' }])).toStrictEqual({
      ok: false,
      error: `hosts[0].hostname: expected a host name like git.example.com or git.example.com:8443, got '${hostname}'.`,
    });
  });

  it.each(['a', 'git.example', 'git.example:1', 'git.example:65535', '127.0.0.1:3000', 'x-1.example'])(
    'accepts the host name %j',
    (hostname) => {
      expect(createHostRegistry([{ hostname, family: 'gitlab' }]).ok).toBe(true);
    },
  );

  it.each(['gitlab', '/a b', '/a/../b?', '/a#b'])('refuses the base path %j', (basePath) => {
    expect(createHostRegistry([{ hostname: 'git.example', family: 'gitlab', basePath }])).toStrictEqual({
      ok: false,
      error: `hosts[0].basePath: expected a path like /gitlab, got '${basePath}'.`,
    });
  });

  it.each([
    'ftp://x',
    'https://',
    'https://a b',
    'https://x?y',
    'https://x/#y',
    'x.example/api',
    ' https://x',
  ])('refuses the API URL %j, for a built-in host too', (apiBaseUrl) => {
    const error = `hosts[0].apiBaseUrl: expected an absolute http(s) URL, got '${apiBaseUrl}'.`;
    expect(createHostRegistry([{ hostname: 'git.example', family: 'gitlab', apiBaseUrl }])).toStrictEqual({
      ok: false,
      error,
    });
    expect(createHostRegistry([{ hostname: 'gitlab.com', family: 'gitlab', apiBaseUrl }])).toStrictEqual({
      ok: false,
      error,
    });
  });

  it('names the entry that is wrong', () => {
    expect(
      createHostRegistry([
        { hostname: 'a.example', family: 'gitlab' },
        { hostname: 'b.example', family: 'gitlab' },
        { hostname: 'bad host', family: 'gitlab' },
      ]),
    ).toStrictEqual({
      ok: false,
      error:
        "hosts[2].hostname: expected a host name like git.example.com or git.example.com:8443, got 'bad host'.",
    });
  });

  it('lets a built-in host change its API URL only, and only at the root', () => {
    expect(createHostRegistry([{ hostname: 'gitlab.com', family: 'gitlab' }])).toStrictEqual({
      ok: false,
      error: 'hosts[0]: gitlab.com is built in as gitlab; only its apiBaseUrl can be changed.',
    });
    const moved = registryOf([
      { hostname: 'GitLab.com', family: 'gitlab', apiBaseUrl: 'http://127.0.0.1:9/api/v4/' },
    ]);
    expect(moved.entries).toHaveLength(defaultHostRegistry.entries.length);
    expect(moved.lookup('gitlab.com')).toStrictEqual({
      hostname: 'gitlab.com',
      family: 'gitlab',
      origin: 'https://gitlab.com',
      basePath: '',
      apiBaseUrl: 'http://127.0.0.1:9/api/v4',
      httpsOnly: true,
      builtin: true,
    });
    // Under a base path it is another instance on the same host name, not the built-in.
    const underPath = registryOf([{ hostname: 'gitlab.com', family: 'gitlab', basePath: '/mirror' }]);
    expect(underPath.entries).toHaveLength(defaultHostRegistry.entries.length + 1);
    expect(underPath.lookup('gitlab.com', '/mirror/g/p')?.apiBaseUrl).toBe(
      'https://gitlab.com/mirror/api/v4',
    );
    expect(underPath.lookup('gitlab.com', '/g/p')?.builtin).toBe(true);
  });
});

describe('lookups', () => {
  const registry = registryOf([
    { hostname: 'code.example', family: 'gitlab', basePath: '/gitlab' },
    { hostname: 'code.example', family: 'gitlab', basePath: '/gitlab/deep' },
    { hostname: 'code.example:2222', family: 'bitbucket-server' },
  ]);

  it('pick the longest base path that holds the path, as whole segments', () => {
    expect(registry.lookup('code.example', '/gitlab/deep/g/p')?.basePath).toBe('/gitlab/deep');
    expect(registry.lookup('code.example', '/gitlab/deeper/p')?.basePath).toBe('/gitlab');
    expect(registry.lookup('code.example', '/gitlab')?.basePath).toBe('/gitlab');
    expect(registry.lookup('code.example', '/gitlabx/p')).toBeUndefined();
    expect(registry.lookup('code.example')).toBeUndefined();
    expect(registry.lookup('nowhere.example', '/gitlab')).toBeUndefined();
  });

  it('read only the range [from, to) of a path given in a longer text', () => {
    // `/gitlab/deep/g/p?x` as the launcher hands it: the path is [0, 16), not the whole text.
    const text = '/gitlab/deep/g/p?x';
    expect(registry.lookup('code.example', text, 0, 16)?.basePath).toBe('/gitlab/deep');
    expect(registry.lookup('code.example', text, 0, 12)?.basePath).toBe('/gitlab/deep');
    // `/gitlab/de` and `/gitla`: the text goes on past the range to a longer base path, which the range is not.
    expect(registry.lookup('code.example', text, 0, 10)?.basePath).toBe('/gitlab');
    expect(registry.lookup('code.example', text, 0, 6)).toBeUndefined();
    // A range inside the text: `x/gitlab/g` from 1.
    expect(registry.lookup('code.example', 'x/gitlab/g', 1, 10)?.basePath).toBe('/gitlab');
    // A root entry serves any path, even one that does not start with `/`.
    expect(defaultHostRegistry.lookup('github.com', 'o/r')?.hostname).toBe('github.com');
  });

  it('match ssh on the bare host name, whatever the web port', () => {
    expect(registry.lookupSsh('code.example')?.basePath).toBe('/gitlab');
    expect(registry.lookupSsh('code.example:2222')?.family).toBe('bitbucket-server');
    expect(registry.lookupSsh('code')).toBeUndefined();
    expect(registry.lookupSsh('github.com')?.builtin).toBe(true);
  });

  it("give an entry's family", () => {
    const entry = registry.lookup('code.example', '/gitlab/g/p');
    if (entry === undefined) throw new Error('no entry');
    expect(registry.family(entry).id).toBe('gitlab');
  });
});

describe('other names and API URLs', () => {
  it('find a built-in host by its other names in a configured registry too', () => {
    const registry = registryOf([{ hostname: 'git.example', family: 'gitea' }]);
    expect(registry.lookup('www.github.com', '/o/r')?.hostname).toBe('github.com');
    expect(registry.lookup('github.dev', '/o/r')?.hostname).toBe('github.com');
    expect(registry.lookup('www.gitlab.com', '/g/p')?.hostname).toBe('gitlab.com');
    expect(registry.lookup('www.bitbucket.org', '/w/r')?.hostname).toBe('bitbucket.org');
    expect(registry.lookup('www.git.example', '/o/r')).toBeUndefined();
  });

  it('answer for sub-domains of visualstudio.com, not for the bare suffix, and never over a configured host', () => {
    const registry = registryOf([{ hostname: 'corp.visualstudio.com', family: 'gitlab' }]);
    expect(registry.lookup('org.visualstudio.com', '/p/_git/r')?.hostname).toBe('dev.azure.com');
    expect(registry.lookup('.visualstudio.com', '/p/_git/r')).toBeUndefined();
    expect(registry.lookup('visualstudio.com', '/p/_git/r')).toBeUndefined();
    expect(registry.lookup('corp.visualstudio.com', '/g/p')?.family).toBe('gitlab');
  });

  it('trim every trailing slash off an API URL, and take one with no path', () => {
    const registry = registryOf([
      { hostname: 'github.com', family: 'github', apiBaseUrl: 'https://proxy.example/api//' },
      { hostname: 'tfs.example', family: 'azure-devops' },
      { hostname: 'lab.example', family: 'gitlab', apiBaseUrl: 'https://api.example' },
    ]);
    expect(registry.lookup('github.com')?.apiBaseUrl).toBe('https://proxy.example/api');
    expect(registry.lookup('tfs.example')?.apiBaseUrl).toBe('https://tfs.example');
    expect(registry.lookup('lab.example')?.apiBaseUrl).toBe('https://api.example');
  });
});

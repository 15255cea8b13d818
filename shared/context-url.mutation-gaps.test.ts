// Behaviour the mutation run (docs/mutation-testing.md) found unasserted in the grammar's shared steps: the input
// length limit at its edge, pull and issue numbers at theirs, dot-segment repository names, host forms, and the
// clone URL of every family. Whole results, compared strictly.
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, parseLaunchInput } from './context-url.ts';
import { createHostRegistry, defaultHostRegistry } from './host-registry.ts';
import type { ParseError } from './launch-request.ts';

const parse = (input: string) => parseLaunchInput(input, defaultHostRegistry);
const failure = (code: ParseError['code'], message: string) => ({ ok: false, error: { code, message } });
const repo = { host: 'github.com', family: 'github', owner: 'o', name: 'r' };
const request = (context: unknown, warnings: unknown[] = []) => ({
  ok: true,
  value: { context, alternatives: [], env: [], rejectedEnv: [], imageBuild: false, warnings },
});
const repoPage = request({ kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' });

describe('the input length limit', () => {
  it('takes 8,192 characters and refuses 8,193, saying how long the text was', () => {
    expect(MAX_INPUT_LENGTH).toBe(8192);
    const url = 'https://github.com/o/r#';
    expect(parse(url + 'a'.repeat(MAX_INPUT_LENGTH - url.length))).toStrictEqual(repoPage);
    expect(parse(url + 'a'.repeat(MAX_INPUT_LENGTH - url.length + 1))).toStrictEqual(
      failure(
        'too-long',
        'That is 8193 characters long; a repository URL is at most 8192. Paste just the URL of the repository, branch, file, pull request or issue.',
      ),
    );
  });
});

describe('pull request and issue numbers', () => {
  it('run from 1 to 2^31 − 1', () => {
    expect(parse('https://github.com/o/r/pull/1')).toStrictEqual(
      request({ kind: 'pull-request', repo, number: 1 }),
    );
    expect(parse('https://github.com/o/r/pull/2147483647')).toStrictEqual(
      request({ kind: 'pull-request', repo, number: 2147483647 }),
    );
    expect(parse('https://github.com/o/r/issues/1000000000')).toStrictEqual(
      request({ kind: 'issue', repo, number: 1000000000 }),
    );
  });

  it.each(['0', '-1', '01', '2147483648', '99999999999', '1e3', '12abc', '+1'])('refuse pull/%s', (n) => {
    expect(parse(`https://github.com/o/r/pull/${n}`)).toStrictEqual(
      failure(
        'invalid-number',
        `Expected a pull request number after 'pull/' but found '${n}'. A pull request link looks like https://github.com/o/r/pull/12.`,
      ),
    );
  });

  it('say "an issue" for issues', () => {
    expect(parse('https://github.com/o/r/issues/01')).toStrictEqual(
      failure(
        'invalid-number',
        "Expected an issue number after 'issues/' but found '01'. An issue link looks like https://github.com/o/r/issues/7.",
      ),
    );
  });
});

describe('dot segments', () => {
  it.each(['.', '..'])('refuse a GitHub repository named %s', (name) => {
    expect(parse(`https://github.com/o/${name}`)).toStrictEqual(
      failure(
        'not-a-repository',
        `'${name}' is not a valid GitHub repository name (letters, digits, '.', '_' and '-' only).`,
      ),
    );
  });

  it('refuse a branch or path that climbs out, however it is encoded', () => {
    const message =
      "A '.' or '..' cannot be a part of a repository name, branch or file path (git refuses them too). Open the file or branch from its own page and paste that URL.";
    for (const input of [
      'https://github.com/o/r/tree/main/%2E%2E/x',
      'https://github.com/o/r/blob/main/a/%2e/b',
      'https://gitlab.com/g/p/-/tree/main/%2E%2E',
      'https://bitbucket.org/w/r/src/main/..%2Fx',
    ]) {
      expect(parse(input)).toStrictEqual(failure('dot-segment', message));
    }
  });
});

describe('host forms', () => {
  it('read default ports, a trailing dot, leading launcher noise and upper case as the same host', () => {
    for (const input of [
      'https://github.com:443/o/r',
      'https://github.com./o/r',
      ' #/https://GitHub.com/o/r ',
      '\t//github.com/o/r',
      'ssh://git@github.com:22/o/r.git',
      'git@github.com:o/r.git',
    ]) {
      expect(parse(input)).toStrictEqual(repoPage);
    }
  });

  it('drop a user name and password, and say so only when there was a password', () => {
    expect(parse('https://user:pw@github.com/o/r')).toStrictEqual(
      request({ kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' }, [
        {
          code: 'credentials-dropped',
          message: 'The URL contained a user name and password; they were removed and not used.',
        },
      ]),
    );
    expect(parse('https://user@github.com/o/r')).toStrictEqual(repoPage);
  });

  it('refuse plain http for an https-only host, even on port 80', () => {
    expect(parse('http://github.com:80/o/r')).toStrictEqual(
      failure(
        'insecure-scheme',
        'github.com is served over https only, and this link uses plain http. Use the https:// address instead.',
      ),
    );
  });

  it('tell a missing host, a word that is no host and an unknown host apart', () => {
    expect(parse('https:///o/r')).toStrictEqual(
      failure(
        'malformed-url',
        "'https:///o/r' has no host. Paste the full URL, like https://github.com/owner/repo.",
      ),
    );
    expect(parse('https://nohost/o/r')).toStrictEqual(
      failure(
        'malformed-url',
        "'https://nohost/o/r' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.",
      ),
    );
    const long = `${'x'.repeat(100)}`;
    expect(parse(long)).toStrictEqual(
      failure(
        'malformed-url',
        `'${'x'.repeat(77)}…' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.`,
      ),
    );
    for (const host of ['localhost', 'gitlab.example.com', 'git.example:8443']) {
      expect(parse(`https://${host}/o/r`)).toStrictEqual(
        failure(
          'unknown-host',
          `${host} is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).`,
        ),
      );
    }
  });

  it('refuse blank input as nothing to open', () => {
    for (const input of ['', '   ', '#', '/#/']) {
      expect(parse(input)).toStrictEqual(
        failure(
          'empty',
          'Nothing to open. Paste the URL of a repository, branch, file, pull request or issue, like https://github.com/owner/repo.',
        ),
      );
    }
  });
});

describe('clone URLs', () => {
  const created = createHostRegistry([
    { hostname: 'ghe.example', family: 'github', basePath: '/gh' },
    { hostname: 'lab.example:8443', family: 'gitlab' },
    { hostname: 'bbs.example', family: 'bitbucket-server', basePath: '/bitbucket' },
  ]);
  if (!created.ok) throw new Error(created.error);
  const registry = created.value;
  const clone = (host: string, path: string, owner: string, name: string) => {
    const entry = registry.lookup(host, path);
    if (entry === undefined) throw new Error(`no entry for ${host}`);
    return registry.family(entry).cloneUrl({ host, family: entry.family, owner, name }, entry);
  };

  it('are the https .git URL of every family, under its base path', () => {
    expect(clone('github.com', '/', 'o', 'r')).toBe('https://github.com/o/r.git');
    expect(clone('ghe.example', '/gh/o/r', 'o', 'r')).toBe('https://ghe.example/gh/o/r.git');
    expect(clone('gitlab.com', '/', 'g/sub', 'p')).toBe('https://gitlab.com/g/sub/p.git');
    expect(clone('lab.example:8443', '/', 'g', 'p')).toBe('https://lab.example:8443/g/p.git');
    expect(clone('bitbucket.org', '/', 'w', 'r')).toBe('https://bitbucket.org/w/r.git');
  });

  it('put Bitbucket Server projects under /scm, lower-cased, and personal repositories as written', () => {
    expect(clone('bbs.example', '/bitbucket/x', 'PLAT', 'api')).toBe(
      'https://bbs.example/bitbucket/scm/plat/api.git',
    );
    expect(clone('bbs.example', '/bitbucket/x', '~Alice', 'dots')).toBe(
      'https://bbs.example/bitbucket/scm/~Alice/dots.git',
    );
  });
});

describe('schemes', () => {
  const unsupported = (shown: string) =>
    failure(
      'unsupported-scheme',
      `${shown} links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.`,
    );

  it('open https, http, ssh, git+ssh and git, in any case', () => {
    for (const input of [
      'HTTPS://github.com/o/r',
      'git+ssh://git@github.com/o/r.git',
      'git://github.com/o/r.git',
      'github.com:443/o/r',
    ]) {
      expect(parse(input)).toStrictEqual(repoPage);
    }
  });

  it('refuse any other scheme by name, letters, digits, +, . and - included', () => {
    expect(parse('ftp://github.com/o/r')).toStrictEqual(unsupported('ftp:'));
    expect(parse('svn+ssh://github.com/o/r')).toStrictEqual(unsupported('svn+ssh:'));
    expect(parse('a1.b-c://x/o/r')).toStrictEqual(unsupported('a1.b-c:'));
    expect(parse('mailto:x@y')).toStrictEqual(unsupported("'mailto:'"));
    expect(parse('javascript:alert(1)')).toStrictEqual(unsupported("'javascript:'"));
  });
});

describe('query and fragment', () => {
  it('read a ? after the # as part of the fragment', () => {
    expect(parse('https://github.com/o/r#a?b')).toStrictEqual(repoPage);
    expect(parse('https://github.com/o/r/blob/main/x.ts#L2?x')).toMatchObject({
      ok: true,
      value: { context: { page: 'blob', path: { path: 'x.ts', kind: 'file' } } },
    });
  });

  it('refuse a dot segment that arrives in the query, encoded or not', () => {
    for (const at of ['..', '%2E%2E']) {
      expect(parse(`https://bitbucket.org/w/r/src/abc1234/x?at=${at}`)).toMatchObject({
        ok: false,
        error: { code: 'dot-segment' },
      });
    }
  });

  it('look for a dot segment in every decoded query value, not in the names', () => {
    for (const query of ['x=1&at=..', 'at=..&x=1', 'x=1&at=%2E%2E%2Fy', 'x=a.b&at=.']) {
      expect(parse(`https://bitbucket.org/w/r/src/abc1234/x?${query}`)).toMatchObject({
        ok: false,
        error: { code: 'dot-segment' },
      });
    }
    for (const query of ['a.b=1&at=main', '..=1', 'at=a..b', 'at=v1.0%2Fx']) {
      expect(parse(`https://bitbucket.org/w/r/src/abc1234/x?${query}`)).toMatchObject({ ok: true });
    }
  });

  it('quote up to 80 characters of what was pasted, shortening longer text to 77 and an ellipsis', () => {
    const notAUrl = (shown: string) =>
      failure(
        'malformed-url',
        `'${shown}' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.`,
      );
    expect(parse('x'.repeat(80))).toStrictEqual(notAUrl('x'.repeat(80)));
    expect(parse('x'.repeat(81))).toStrictEqual(notAUrl(`${'x'.repeat(77)}…`));
  });
});

describe('ssh and scp-like forms', () => {
  const unknownHost = (host: string) =>
    failure(
      'unknown-host',
      `${host} is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).`,
    );

  it('read any user, any case of host, a query and a fragment', () => {
    for (const input of [
      'first.last-1@github.com:o/r.git',
      'git@GitHub.COM:o/r.git',
      'git@github.com:o/r.git?x=1#L3',
      'git@github.com:/o/r.git',
      'ssh://github.com/o/r.git',
      'SSH://git@github.com:2222/o/r.git',
      'git://github.com:9418/o/r',
    ]) {
      expect(parse(input)).toStrictEqual(repoPage);
    }
  });

  it('take digits after the colon as a port, never as an owner', () => {
    expect(parse('git@github.com:22/o/r')).toStrictEqual(unknownHost('github.com:22'));
    expect(parse('git@github.com:22')).toStrictEqual(unknownHost('github.com:22'));
    expect(parse('git@github.com:22o/r')).toStrictEqual(
      request({
        kind: 'repository',
        repo: { ...repo, owner: '22o' },
        revision: { type: 'default' },
        page: 'repo',
      }),
    );
  });

  it('are not read where a / or a : comes before the @', () => {
    expect(parse('a/b@github.com:o/r')).toStrictEqual(
      failure(
        'malformed-url',
        "'a/b@github.com:o/r' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.",
      ),
    );
    expect(parse('x:y@github.com:o/r')).toStrictEqual(
      failure(
        'unsupported-scheme',
        "'x:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.",
      ),
    );
  });

  it('match the ssh host without its port or the web base path', () => {
    const created = createHostRegistry([
      { hostname: 'git.example:8443', family: 'gitlab' },
      { hostname: 'bbs.example', family: 'bitbucket-server', basePath: '/bitbucket' },
    ]);
    if (!created.ok) throw new Error(created.error);
    const project = { host: 'git.example:8443', family: 'gitlab', owner: 'g', name: 'p' };
    expect(parseLaunchInput('git@git.example:g/p.git', created.value)).toStrictEqual(
      request({ kind: 'repository', repo: project, revision: { type: 'default' }, page: 'repo' }),
    );
    expect(parseLaunchInput('ssh://git@git.example:2222/g/p.git', created.value)).toStrictEqual(
      request({ kind: 'repository', repo: project, revision: { type: 'default' }, page: 'repo' }),
    );
    expect(parseLaunchInput('ssh://git@bbs.example:7999/plat/api.git', created.value)).toStrictEqual(
      request({
        kind: 'repository',
        repo: { host: 'bbs.example', family: 'bitbucket-server', owner: 'PLAT', name: 'api' },
        revision: { type: 'default' },
        page: 'repo',
      }),
    );
  });
});

describe('ports', () => {
  const created = createHostRegistry([
    { hostname: 'plain.example', family: 'gitlab', allowHttp: true },
    { hostname: 'localhost:3000', family: 'gitea', allowHttp: true },
  ]);
  if (!created.ok) throw new Error(created.error);
  const local = (input: string) => parseLaunchInput(input, created.value);
  const project = { host: 'plain.example', family: 'gitlab', owner: 'g', name: 'p' };
  const home = request({ kind: 'repository', repo: project, revision: { type: 'default' }, page: 'repo' });
  const unknown = (host: string) =>
    failure(
      'unknown-host',
      `${host} is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).`,
    );

  it('drop 80 from http and 443 from https, and keep any other', () => {
    expect(local('http://plain.example:80/g/p')).toStrictEqual(home);
    expect(local('https://plain.example:443/g/p')).toStrictEqual(home);
    expect(local('http://plain.example/g/p')).toStrictEqual(home);
    expect(local('https://plain.example:80/g/p')).toStrictEqual(unknown('plain.example:80'));
    expect(local('http://plain.example:443/g/p')).toStrictEqual(unknown('plain.example:443'));
    expect(parse('https://GitHub.com:8443/o/r')).toStrictEqual(unknown('github.com:8443'));
  });

  it('read host:port without a scheme as https, and a host with a port but no dot as a host', () => {
    const gitea = { host: 'localhost:3000', family: 'gitea', owner: 'o', name: 'r' };
    const giteaHome = request({
      kind: 'repository',
      repo: gitea,
      revision: { type: 'default' },
      page: 'repo',
    });
    expect(local('localhost:3000/o/r')).toStrictEqual(giteaHome);
    expect(local('http://localhost:3000/o/r')).toStrictEqual(giteaHome);
    expect(parse('https://nohost:8080/o/r')).toStrictEqual(unknown('nohost:8080'));
  });

  // As browsers and the URL standard read them: `new URL('https:github.com/o/r').href` is https://github.com/o/r.
  it('read a web scheme written without its slashes as with them, and refuse any other', () => {
    for (const input of ['https:github.com/o/r', 'HTTPS:github.com/o/r', 'https:/github.com/o/r'])
      expect(parse(input), input).toStrictEqual(repoPage);
    expect(parse('http:github.com/o/r')).toStrictEqual(
      failure(
        'insecure-scheme',
        'github.com is served over https only, and this link uses plain http. Use the https:// address instead.',
      ),
    );
    expect(parse('ftp:github.com/o/r')).toStrictEqual(
      failure(
        'unsupported-scheme',
        "'ftp:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.",
      ),
    );
    expect(parse('httpss:github.com/o/r')).toStrictEqual(
      failure(
        'unsupported-scheme',
        "'httpss:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.",
      ),
    );
  });
});

describe('instances under a base path', () => {
  const created = createHostRegistry([
    { hostname: 'code.example', family: 'gitlab', basePath: '/gitlab/' },
    { hostname: 'multi.example', family: 'github' },
    { hostname: 'multi.example', family: 'gitlab', basePath: '/lab' },
    { hostname: 'multi.example', family: 'gitea', basePath: '/lab/tea' },
  ]);
  if (!created.ok) throw new Error(created.error);
  const based = (input: string) => parseLaunchInput(input, created.value);
  const home = (host: string, family: string, owner: string, name: string) =>
    request({
      kind: 'repository',
      repo: { host, family, owner, name },
      revision: { type: 'default' },
      page: 'repo',
    });

  it('serve only the paths under the base path', () => {
    expect(based('https://code.example/gitlab/g/p')).toStrictEqual(home('code.example', 'gitlab', 'g', 'p'));
    expect(based('https://CODE.example/gitlab/g/p/')).toStrictEqual(home('code.example', 'gitlab', 'g', 'p'));
    for (const input of [
      'https://code.example/g/p',
      'https://code.example/gitlabx/g/p',
      'https://code.example',
    ]) {
      expect(based(input)).toStrictEqual(
        failure(
          'unknown-host',
          "code.example is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).",
        ),
      );
    }
    expect(based('https://code.example/gitlab')).toStrictEqual(
      failure(
        'not-a-repository',
        'https://code.example/gitlab is GitLab itself, not a project. Paste a project URL like https://code.example/gitlab/group/project.',
      ),
    );
  });

  it('give a path to the instance with the longest base path that holds it', () => {
    expect(based('https://multi.example/lab/tea/o/r')).toStrictEqual(
      home('multi.example', 'gitea', 'o', 'r'),
    );
    expect(based('https://multi.example/lab/g/p')).toStrictEqual(home('multi.example', 'gitlab', 'g', 'p'));
    expect(based('https://multi.example/labx/o')).toStrictEqual(home('multi.example', 'github', 'labx', 'o'));
    expect(based('https://multi.example/o/r')).toStrictEqual(home('multi.example', 'github', 'o', 'r'));
  });
});

describe('credentials and fragments', () => {
  it('take the host after the last @, and warn only about a password', () => {
    expect(parse('https://a@b@github.com/o/r')).toStrictEqual(repoPage);
    expect(parse('https://user@github.com:443/o/r')).toStrictEqual(repoPage);
    expect(parse('https://user:pw@github.com:443/o/r')).toStrictEqual(
      request({ kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' }, [
        {
          code: 'credentials-dropped',
          message: 'The URL contained a user name and password; they were removed and not used.',
        },
      ]),
    );
    expect(parse('https://github.com:443@evil.example/o/r')).toStrictEqual(
      failure(
        'unknown-host',
        "evil.example is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).",
      ),
    );
  });

  it('read an @ in the path or the query as part of it', () => {
    expect(parse('https://github.com/o/r?x=a@b:c')).toStrictEqual(repoPage);
    expect(parse('https://github.com/o/r/tree/v1@2')).toStrictEqual(
      request({
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'v1@2', refType: 'any' },
        page: 'tree',
      }),
    );
  });

  it('decode the fragment before reading a line anchor', () => {
    expect(parse('https://github.com/o/r/blob/main/a.ts#%4C5-%4C6')).toStrictEqual(
      request({
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'blob',
        path: { path: 'a.ts', kind: 'file' },
        lines: { start: 5, end: 6 },
      }),
    );
  });

  it('skip blanks and control characters after the launcher’s # and /', () => {
    for (const input of [
      '# https://github.com/o/r',
      '#/\u0001https://github.com/o/r',
      '\u001f//github.com/o/r',
    ]) {
      expect(parse(input)).toStrictEqual(repoPage);
    }
  });

  it('decode each path segment on its own, so %2F stays inside a name', () => {
    expect(parse('https://github.com/o/r/tree/a%2Fb')).toStrictEqual(
      request({
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'a/b', refType: 'any' },
        page: 'tree',
      }),
    );
    expect(parse('https://github.com/o/r/tree/50%25off/x%20y')).toStrictEqual(
      request({
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: '50%off', path: 'x y' },
            { ref: '50%off/x y', path: '' },
          ],
        },
        page: 'tree',
      }),
    );
  });

  it('decode the segments that hold a `%`, wherever in the segment, and only those', () => {
    // A plain segment between encoded ones, two escapes in one segment, one not at its start, and escapes in the
    // query and fragment: each segment is decoded from its own first `%`, and none from a later one's.
    expect(parse('https://github.com/o/r/tree/x%20y/plain/c%41d%42?x=%41#%42')).toStrictEqual(
      request({
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'x y', path: 'plain/cAdB' },
            { ref: 'x y/plain', path: 'cAdB' },
            { ref: 'x y/plain/cAdB', path: '' },
          ],
        },
        page: 'tree',
      }),
    );
    expect(parse('https://github.com/o/r/tree/plain/50%off?at=%41')).toStrictEqual(
      request({
        kind: 'repository',
        repo,
        revision: {
          type: 'ambiguous',
          candidates: [
            { ref: 'plain', path: '50%off' },
            { ref: 'plain/50%off', path: '' },
          ],
        },
        page: 'tree',
      }),
    );
  });
});

describe('where the scheme, the host and the path end', () => {
  const unsupported = (shown: string) =>
    failure(
      'unsupported-scheme',
      `${shown} links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.`,
    );
  const unknownHost = (host: string) =>
    failure(
      'unknown-host',
      `${host} is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).`,
    );

  it('say which text is broken, in words', () => {
    expect(parse('https://github.com/o/\ud800')).toStrictEqual(
      failure(
        'malformed-url',
        'That text holds a broken character (half of a UTF-16 pair), so it cannot be a URL. Copy the URL from the page again.',
      ),
    );
  });

  it('read a scheme of letters first, then letters, digits, +, . and -, in either case', () => {
    expect(parse('Az09://github.com/o/r')).toStrictEqual(unsupported('az09:'));
    expect(parse('zZ+.-://github.com/o/r')).toStrictEqual(unsupported('zz+.-:'));
    expect(parse('a://github.com/o/r')).toStrictEqual(unsupported('a:'));
  });

  it('read a : after a / as part of the path, not a scheme', () => {
    expect(parse('github.com/o/r/blob/main/a:b.ts')).toStrictEqual(
      request({
        kind: 'repository',
        repo,
        revision: { type: 'ref', name: 'main', refType: 'any' },
        page: 'blob',
        path: { path: 'a:b.ts', kind: 'file' },
      }),
    );
  });

  it('read an scp-like URL without a / after the colon', () => {
    expect(parse('git@github.com:o')).toStrictEqual(
      failure(
        'not-a-repository',
        'https://github.com/o is a user or organisation, not a repository. Open one of its repositories and try again.',
      ),
    );
  });

  it('end the host at the query when no / comes before it', () => {
    expect(parse('https://github.com?tab=a/b')).toStrictEqual(
      failure(
        'not-a-repository',
        'https://github.com is GitHub itself, not a repository. Paste a repository URL like https://github.com/owner/repo.',
      ),
    );
  });

  it('look for the user name only before the path', () => {
    expect(parse('https://user@github.com/@o/r')).toStrictEqual(
      failure(
        'unsupported-page',
        'https://github.com/@o is a GitHub page, not a repository. Open a repository (https://github.com/owner/repo) and try again.',
      ),
    );
  });

  it('take only a whole port off the end of the host', () => {
    expect(parse('ssh://git@github.com:22x/o/r')).toStrictEqual(unknownHost('github.com:22x'));
    expect(parse('https://github.com:4431/o/r')).toStrictEqual(unknownHost('github.com:4431'));
  });

  it('read a path segment holding & and = as a name, not as a query', () => {
    const sha = 'abcdef1';
    expect(parse(`https://bitbucket.org/w/r/src/${sha}/x&at=main`)).toStrictEqual(
      request({
        kind: 'repository',
        repo: { host: 'bitbucket.org', family: 'bitbucket-cloud', owner: 'w', name: 'r' },
        revision: { type: 'commit', sha },
        page: 'tree',
        path: { path: 'x&at=main', kind: 'unknown' },
      }),
    );
  });
});

describe('the request, with and without modifiers', () => {
  it('carries only the fields a modifier set: no referrer or open-prebuild key when none was given', () => {
    expect(parse('FOO=bar/https://github.com/o/r')).toStrictEqual({
      ok: true,
      value: {
        context: { kind: 'repository', repo, revision: { type: 'default' }, page: 'repo' },
        alternatives: [],
        env: [{ name: 'FOO', value: 'bar' }],
        rejectedEnv: [],
        imageBuild: false,
        warnings: [],
      },
    });
    expect(parse('imagebuild/https://github.com/o/r')).toStrictEqual({
      ok: true,
      value: { ...repoPage.value, imageBuild: true },
    });
  });

  it('reads a URL with blanks around it, ASCII or not (a no-break space, a tab, a newline), as the URL alone', () => {
    for (const input of [
      '\u00a0https://github.com/o/r',
      'https://github.com/o/r\u00a0',
      ' https://github.com/o/r',
      'https://github.com/o/r ',
      '\thttps://github.com/o/r\n',
    ])
      expect(parse(input), JSON.stringify(input)).toStrictEqual(repoPage);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, parseLaunchInput } from './context-url.ts';
import { createHostRegistry, defaultHostRegistry } from './host-registry.ts';
import type { RequestExtras } from './launch-request.fixtures.ts';
import {
  anyRef,
  at,
  file,
  gh,
  issue,
  lines,
  pull,
  repoPage,
  request,
  splits,
} from './launch-request.fixtures.ts';
import type { ParseError, RejectedEnvVar } from './launch-request.ts';
import { propertyRuns } from './property-runs.ts';

const parse = (input: string) => parseLaunchInput(input, defaultHostRegistry);
const hello = gh('octocat', 'Hello-World');
const rejected = (item: string, reason: RejectedEnvVar['reason'], message: string): RejectedEnvVar => ({
  item,
  reason,
  message,
});
const envWarning = (r: RejectedEnvVar) => ({
  code: 'env-rejected' as const,
  message: `${r.item} was not set: ${r.message}`,
});
const PATH_REFUSED = rejected(
  'PATH=x',
  'blocked-name',
  "PATH changes how the workspace's shell or tools start, so it cannot be set from a link.",
);

const MY_VAR_REFUSED = rejected(
  'my-var=x',
  'invalid-name',
  "'my-var' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like my_var).",
);

describe('launcher entry forms', () => {
  it.each([
    'https://github.com/octocat/Hello-World',
    '#https://github.com/octocat/Hello-World',
    '/https://github.com/octocat/Hello-World',
    '#/https://github.com/octocat/Hello-World',
    '  https://github.com/octocat/Hello-World \n',
    'https:/github.com/octocat/Hello-World',
    'HTTPS://github.com/octocat/Hello-World',
    'github.com/octocat/Hello-World',
    '/github.com/octocat/Hello-World',
    'git@github.com:octocat/Hello-World.git',
    'ssh://git@github.com/octocat/Hello-World.git',
    'ssh://git@github.com:22/octocat/Hello-World.git',
    'github.dev/octocat/Hello-World',
    'https://github.com/octocat/Hello-World.git/',
    'https://github.com//octocat//Hello-World//',
  ])('%s opens the repository', (input) => {
    expect(parse(input)).toEqual({ ok: true, value: request(repoPage(hello)) });
  });

  it('drops credentials in the URL and says so', () => {
    expect(parse('https://octocat:ghp_secret@github.com/octocat/Hello-World/issues/3')).toEqual({
      ok: true,
      value: request(issue(hello, 3), {
        warnings: [
          {
            code: 'credentials-dropped',
            message: 'The URL contained a user name and password; they were removed and not used.',
          },
        ],
      }),
    });
  });

  it('reads a line range from the hash form, where the blob fragment follows the launcher fragment', () => {
    expect(parse('#https://github.com/octocat/Hello-World/blob/master/README#L2-L4')).toEqual({
      ok: true,
      value: request(at(hello, anyRef('master'), 'blob', file('README'), lines(2, 4))),
    });
  });

  it('allows http for a self-hosted instance the deployer marked so, and only there', () => {
    const lab = createHostRegistry([{ hostname: 'localhost:3001', family: 'gitlab', allowHttp: true }]);
    if (!lab.ok) throw new Error(lab.error);
    expect(parseLaunchInput('http://localhost:3001/team/app/-/merge_requests/2', lab.value)).toEqual({
      ok: true,
      value: request(pull({ host: 'localhost:3001', family: 'gitlab', owner: 'team', name: 'app' }, 2)),
    });
    expect(parseLaunchInput('localhost:3001/team/app', lab.value).ok).toBe(true);
  });
});

describe('prefix modifiers', () => {
  const target = 'https://github.com/octocat/Hello-World/pull/7';
  const cases: [string, RequestExtras][] = [
    ['FOO=bar/', { env: [{ name: 'FOO', value: 'bar' }] }],
    [
      'FOO=bar,BAZ=1.2.3/',
      {
        env: [
          { name: 'FOO', value: 'bar' },
          { name: 'BAZ', value: '1.2.3' },
        ],
      },
    ],
    ['FOO=a,FOO=b/', { env: [{ name: 'FOO', value: 'b' }] }],
    ['FOO=a/FOO=b/', { env: [{ name: 'FOO', value: 'b' }] }],
    ['my_var_2=x%3Dy/', { env: [{ name: 'my_var_2', value: 'x=y' }] }],
    // Gitpod's grammar reads `my-var=x` as an item, but no shell can set that name: refused, saying why.
    [
      'my-var=x,OK=1/',
      {
        env: [{ name: 'OK', value: '1' }],
        rejectedEnv: [MY_VAR_REFUSED],
        warnings: [envWarning(MY_VAR_REFUSED)],
      },
    ],
    ['Q=what%3F/', { env: [{ name: 'Q', value: 'what?' }] }],
    [
      'FOO=bar,PATH=x/',
      {
        env: [{ name: 'FOO', value: 'bar' }],
        rejectedEnv: [PATH_REFUSED],
        warnings: [envWarning(PATH_REFUSED)],
      },
    ],
    ['referrer:jetbrains-gateway/', { referrer: { name: 'jetbrains-gateway' } }],
    ['referrer:jetbrains-gateway:intellij/', { referrer: { name: 'jetbrains-gateway', ide: 'intellij' } }],
    ['imagebuild/', { imageBuild: true }],
    [
      'open-prebuild/5d9a1c7e-0b1f-4a8e-9a63-2f7d0c1e4b55/',
      { openPrebuild: '5d9a1c7e-0b1f-4a8e-9a63-2f7d0c1e4b55' },
    ],
    [
      'imagebuild/A=1/referrer:vscode/open-prebuild/p1/',
      {
        imageBuild: true,
        env: [{ name: 'A', value: '1' }],
        referrer: { name: 'vscode' },
        openPrebuild: 'p1',
      },
    ],
    [
      'referrer:vscode/imagebuild/open-prebuild/p1/A=1/',
      {
        imageBuild: true,
        env: [{ name: 'A', value: '1' }],
        referrer: { name: 'vscode' },
        openPrebuild: 'p1',
      },
    ],
    [
      'referrer:a/referrer:b/',
      {
        referrer: { name: 'b' },
        warnings: [
          { code: 'duplicate-modifier', message: 'The referrer was given twice; the last one is used.' },
        ],
      },
    ],
  ];
  it.each(cases)('%s before a pull request URL', (prefix, extras) => {
    expect(parse(`#${prefix}${target}`)).toEqual({ ok: true, value: request(pull(hello, 7), extras) });
  });

  it('reports every refused environment item with its reason instead of dropping it silently', () => {
    const refused = [
      PATH_REFUSED,
      rejected(
        'LD_PRELOAD=evil.so',
        'blocked-name',
        'LD_PRELOAD looks like a variable that changes how programs load code or configuration (LD_*, PYTHON*, GIT_*, *_PATH, *_HOME…), so it cannot be set from a link.',
      ),
      rejected(
        'CMD=$(curl x)',
        'unsafe-value',
        'The value of CMD may only hold letters, digits and _ - . ? = — set it in the workspace instead.',
      ),
      rejected(
        'A=b=c',
        'malformed',
        "'A=b=c' is not NAME=value (one '=', a name of letters, digits, '_' or '-', and a value).",
      ),
      rejected(
        'EMPTY=',
        'malformed',
        "'EMPTY=' is not NAME=value (one '=', a name of letters, digits, '_' or '-', and a value).",
      ),
      rejected(
        'bad name=x',
        'malformed',
        "'bad name=x' is not NAME=value (one '=', a name of letters, digits, '_' or '-', and a value).",
      ),
    ];
    expect(
      parse(`OK=1,PATH=x,LD_PRELOAD=evil.so,CMD=$(curl%20x),A=b=c,EMPTY=,bad%20name=x/${target}`),
    ).toEqual({
      ok: true,
      value: request(pull(hello, 7), {
        env: [{ name: 'OK', value: '1' }],
        rejectedEnv: refused,
        warnings: refused.map(envWarning),
      }),
    });
  });

  it('opens a snapshot as a context of its own', () => {
    expect(parse('#snapshot/8c6f6a04-7c1d-4b0e-bc53-0c3b6a1f2e9d')).toEqual({
      ok: true,
      value: request({ kind: 'snapshot', id: '8c6f6a04-7c1d-4b0e-bc53-0c3b6a1f2e9d' }),
    });
    expect(parse('FOO=1/snapshot/s1/')).toEqual({
      ok: true,
      value: request({ kind: 'snapshot', id: 's1' }, { env: [{ name: 'FOO', value: '1' }] }),
    });
  });

  it('keeps a ref with slashes ambiguous behind modifiers too', () => {
    expect(parse('A=1/https://github.com/octocat/Hello-World/tree/feature/x/y')).toEqual({
      ok: true,
      value: request(at(hello, splits('feature/x/y'), 'tree'), { env: [{ name: 'A', value: '1' }] }),
    });
  });
});

describe('input that cannot be opened', () => {
  const errors: [string, ParseError][] = [
    [
      '',
      {
        code: 'empty',
        message:
          'Nothing to open. Paste the URL of a repository, branch, file, pull request or issue, like https://github.com/owner/repo.',
      },
    ],
    [
      '#/',
      {
        code: 'empty',
        message:
          'Nothing to open. Paste the URL of a repository, branch, file, pull request or issue, like https://github.com/owner/repo.',
      },
    ],
    [
      'FOO=bar/',
      {
        code: 'empty',
        message:
          'The modifiers are not followed by a repository URL. Add one after the last /, like FOO=bar/https://github.com/owner/repo.',
      },
    ],
    [
      'FOO=bar',
      {
        code: 'empty',
        message:
          'The modifiers are not followed by a repository URL. Add one after the last /, like FOO=bar/https://github.com/owner/repo.',
      },
    ],
    [
      'a=b=c/https://github.com/o/r',
      {
        code: 'invalid-modifier',
        message:
          "'a=b=c/' looks like environment variables, but none is NAME=value. Write them as NAME=value,OTHER=value/ before the repository URL.",
      },
    ],
    [
      'referrer:/https://github.com/o/r',
      {
        code: 'invalid-modifier',
        message:
          "'referrer:/' is not a valid referrer: write referrer:<name>/ or referrer:<name>:<editor>/, letters, digits, '.', '_' and '-' only.",
      },
    ],
    [
      'referrer:a:b:c/https://github.com/o/r',
      {
        code: 'invalid-modifier',
        message:
          "'referrer:a:b:c/' is not a valid referrer: write referrer:<name>/ or referrer:<name>:<editor>/, letters, digits, '.', '_' and '-' only.",
      },
    ],
    [
      'open-prebuild/https://github.com/o/r',
      {
        code: 'invalid-modifier',
        message:
          "'open-prebuild/https:' needs a prebuild id and then the repository URL: open-prebuild/<id>/https://github.com/owner/repo.",
      },
    ],
    [
      'open-prebuild/abc',
      {
        code: 'invalid-modifier',
        message:
          "'open-prebuild/abc' needs a prebuild id and then the repository URL: open-prebuild/<id>/https://github.com/owner/repo.",
      },
    ],
    [
      'snapshot/abc/https://github.com/o/r',
      {
        code: 'invalid-modifier',
        message:
          "'snapshot/abc/https://github.com/o/r' is not a snapshot link: it is snapshot/<id> with nothing after the id.",
      },
    ],
    [
      'snapshot/',
      {
        code: 'invalid-modifier',
        message: "'snapshot/' is not a snapshot link: it is snapshot/<id> with nothing after the id.",
      },
    ],
    [
      'javascript:alert(1)',
      {
        code: 'unsupported-scheme',
        message:
          "'javascript:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.",
      },
    ],
    [
      // Not a scheme by its letters, but `://` says it is meant as one: never read as a host named `git_ssh:`.
      'git_ssh://github.com/o/r',
      {
        code: 'unsupported-scheme',
        message:
          "'git_ssh:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.",
      },
    ],
    [
      '9p://github.com/o/r',
      {
        code: 'unsupported-scheme',
        message:
          "'9p:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.",
      },
    ],
    [
      'data:text/html,<script>alert(1)</script>',
      {
        code: 'unsupported-scheme',
        message:
          "'data:' links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.",
      },
    ],
    [
      'ftp://github.com/o/r',
      {
        code: 'unsupported-scheme',
        message:
          'ftp: links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.',
      },
    ],
    [
      'file:///etc/passwd',
      {
        code: 'unsupported-scheme',
        message:
          'file: links cannot be opened. Paste an https:// URL of a repository, branch, file, pull request or issue.',
      },
    ],
    [
      'http://gitlab.com/o/r',
      {
        code: 'insecure-scheme',
        message:
          'gitlab.com is served over https only, and this link uses plain http. Use the https:// address instead.',
      },
    ],
    [
      'https://git.unknown.example/o/r',
      {
        code: 'unknown-host',
        message:
          "git.unknown.example is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).",
      },
    ],
    [
      'https://evil.example@github.com.evil.example/o/r',
      {
        code: 'unknown-host',
        message:
          "github.com.evil.example is not a git host this launcher knows. If it is a GitHub Enterprise, GitLab, Bitbucket, Gitea/Forgejo or Azure DevOps server, ask the launcher's operator to add it to the host list (hostname, family and API URL).",
      },
    ],
    [
      'octocat/Hello-World',
      {
        code: 'malformed-url',
        message:
          "'octocat/Hello-World' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.",
      },
    ],
    [
      'just some words',
      {
        code: 'malformed-url',
        message:
          "'just some words' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.",
      },
    ],
    [
      'https:///o/r',
      {
        code: 'malformed-url',
        message: "'https:///o/r' has no host. Paste the full URL, like https://github.com/owner/repo.",
      },
    ],
    [
      '<script>alert(1)</script>',
      {
        code: 'malformed-url',
        message:
          "'<script>alert(1)</script>' is not a URL. Paste the full address of a repository, like https://github.com/owner/repo.",
      },
    ],
  ];
  it.each(errors)('%j is refused with a way out', (input, error) => {
    expect(parse(input)).toEqual({ ok: false, error });
  });

  it('refuses oversized input before reading it', () => {
    const input = `https://github.com/o/r/tree/${'a/'.repeat(MAX_INPUT_LENGTH)}`;
    expect(parse(input)).toEqual({
      ok: false,
      error: {
        code: 'too-long',
        message: `That is ${input.length} characters long; a repository URL is at most 8192. Paste just the URL of the repository, branch, file, pull request or issue.`,
      },
    });
  });

  it('bounds the candidate splits of an absurdly deep ref', () => {
    const result = parse(`https://github.com/o/r/tree/${'a/'.repeat(100)}`);
    expect(
      result.ok && result.value.context.kind === 'repository' && result.value.context.revision,
    ).toMatchObject({
      type: 'ambiguous',
    });
    const revision =
      result.ok && result.value.context.kind === 'repository' ? result.value.context.revision : undefined;
    expect(revision?.type === 'ambiguous' && revision.candidates.length).toBe(32);
  });
});

describe('dot segments, which would fold a host API path into another repository', () => {
  const server = createHostRegistry([
    { hostname: 'bitbucket.corp.example', family: 'bitbucket-server' },
    { hostname: 'gitlab.corp.example', family: 'gitlab' },
  ]);
  if (!server.ok) throw new Error(server.error);
  it.each([
    'https://github.com/o/r/blob/main/..%2F..%2Fsecret-repo%2Fblob%2Fmain%2Fkeys.txt',
    'https://github.com/o/r/blob/main/%2e%2e/%2E%2E/secret-repo/keys.txt',
    'https://github.com/o/r/tree/feature/../../x',
    'https://github.com/o/r/tree/..',
    'https://github.com/o/r/blob/./a.txt',
    'https://github.com/o/r/commits/..%2Fx',
    'https://gitlab.com/g/p/-/blob/main/..%2F..%2Fprivate%2Fproject/x',
    'https://gitlab.com/g/%2e%2e/p/-/tree/main',
    'https://gitlab.corp.example/g/p/tree/main/../x',
    'https://bitbucket.org/w/r/src/main/..%2F..%2Fprivate%2Fsrc%2Fmain%2Fx',
    'https://bitbucket.org/w/r/src/0123456789abcdef0123456789abcdef01234567/a?at=..%2Fx',
    'https://bitbucket.org/w/r/branch/a/../b',
    'https://bitbucket.corp.example/projects/P/repos/r/browse/..%2F..%2F..%2FPRIV%2Frepos%2Fp%2Fbrowse%2Fx',
    'https://bitbucket.corp.example/projects/P/repos/r/browse?at=refs%2Fheads%2F..%2F..%2Fx',
    'https://bitbucket.corp.example/projects/P/repos/r/browse/a?at=.',
  ])('refuses %s', (input) => {
    expect(parseLaunchInput(input, server.value)).toMatchObject({
      ok: false,
      error: { code: 'dot-segment' },
    });
  });

  it.each([
    'https://github.com/o/r/blob/main/.github/workflows/ci.yml',
    'https://github.com/o/r/tree/release/v1.0..v1.1-notes',
    'https://github.com/o/.github',
    'https://bitbucket.org/w/r/src/main/a/.../b',
  ])('still opens %s', (input) => {
    expect(parseLaunchInput(input, server.value).ok).toBe(true);
  });
});

describe('properties', () => {
  const hosts = ['github.com', 'gitlab.com', 'bitbucket.org', 'git.example.com', ''];
  const urlish = fc
    .tuple(
      fc.constantFrom('', 'https://', 'http://', 'ssh://git@', 'git@', '#', '/', 'FOO=bar/', 'referrer:x/'),
      fc.constantFrom(...hosts),
      fc.array(
        fc.oneof(
          fc.constantFrom(
            'tree',
            'blob',
            '-',
            'pull',
            'issues',
            'src',
            'projects',
            'repos',
            'browse',
            'commits',
            'commit',
            'scm',
            'users',
          ),
          fc.string(),
          fc.stringMatching(/^[0-9a-f]{1,40}$/),
          fc.integer().map(String),
        ),
        { maxLength: 8 },
      ),
      fc.string(),
    )
    .map(([prefix, host, segments, tail]) => `${prefix}${host}/${segments.join('/')}${tail}`);

  it('refuses text holding half of a UTF-16 pair, which no URL can carry', () => {
    for (const input of ['\ud800', 'https://github.com/o/r/tree/\ud800', 'X=\udc00/https://github.com/o/r']) {
      expect(parse(input)).toMatchObject({ ok: false, error: { code: 'malformed-url' } });
    }
    expect(parse('https://github.com/o/r/tree/\ud83d\ude00').ok).toBe(true);
  });

  it('never throws: any string gives a request or a typed error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), urlish), (input) => {
        const result = parse(input);
        if (result.ok) expect(result.value.context).toBeDefined();
        else expect(result.error.message.length).toBeGreaterThan(10);
      }),
      { numRuns: propertyRuns(3000) },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  type ConfigError,
  DEFAULT_GITHUB_PREBUILDS,
  type GitpodConfig,
  MAX_CONFIG_BYTES,
  needsPrebuild,
  parseGitpodConfig,
  prebuildFingerprint,
  prebuildTasks,
} from './gitpod-config.ts';
import { propertyRuns } from './property-runs.ts';

/** One string per line, so a test reads like the file and line numbers are easy to count. */
const yml = (...lines: string[]): string => `${lines.join('\n')}\n`;

function config(text: string): GitpodConfig {
  const result = parseGitpodConfig(text);
  if (!result.ok)
    throw new Error(`expected a valid config, got:\n${result.error.map((e) => e.message).join('\n')}`);
  return result.value;
}

function errors(text: string): ConfigError[] {
  const result = parseGitpodConfig(text);
  if (result.ok) throw new Error('expected errors, got a valid config');
  return result.error;
}

const DEFAULTS = {
  image: { kind: 'default' },
  tasks: [],
  ports: [],
  env: {},
  additionalRepositories: [],
  gitConfig: {},
  github: { prebuilds: DEFAULT_GITHUB_PREBUILDS, prebuildsInFile: false },
};

describe('parseGitpodConfig: realistic files', () => {
  it.each([
    {
      name: 'a Node project',
      text: yml(
        '# Gitpod config for the web app',
        'image: gitpod/workspace-node-lts',
        'tasks:',
        '  - name: dev server',
        '    init: |',
        '      npm ci',
        '      npm run build',
        '    command: npm run dev',
        '    openMode: split-right',
        '    env:',
        '      NODE_ENV: development',
        '      WORKERS: 4',
        'ports:',
        '  - port: 3000',
        '    onOpen: open-preview',
        '    name: web',
        '  - port: 9229',
        '    onOpen: ignore',
        'vscode:',
        '  extensions:',
        '    - dbaeumer.vscode-eslint',
      ),
      expected: {
        image: { kind: 'image', name: 'gitpod/workspace-node-lts' },
        tasks: [
          {
            name: 'dev server',
            init: 'npm ci\nnpm run build\n',
            command: 'npm run dev',
            openMode: 'split-right',
            env: { NODE_ENV: 'development', WORKERS: '4' },
          },
        ],
        ports: [
          { port: 3000, onOpen: 'open-preview', visibility: 'private', protocol: 'http', name: 'web' },
          { port: 9229, onOpen: 'ignore', visibility: 'private', protocol: 'http' },
        ],
      },
    },
    {
      name: 'a Dockerfile image',
      text: yml(
        'image:',
        '  file: .gitpod.Dockerfile',
        '  context: docker',
        'tasks:',
        '  - command: make run',
      ),
      expected: {
        image: { kind: 'dockerfile', file: '.gitpod.Dockerfile', context: 'docker' },
        tasks: [{ command: 'make run' }],
      },
    },
    {
      name: 'port ranges in both spellings',
      text: yml(
        'ports:',
        '  - port: 3000-3010',
        '    visibility: public',
        '    protocol: https',
        '    description: preview servers',
        '  - port: "5000:5005"',
        '    onOpen: notify',
      ),
      expected: {
        ports: [
          {
            range: [3000, 3010],
            onOpen: 'notify',
            visibility: 'public',
            protocol: 'https',
            description: 'preview servers',
          },
          { range: [5000, 5005], onOpen: 'notify', visibility: 'private', protocol: 'http' },
        ],
      },
    },
    {
      name: 'a github prebuilds block',
      text: yml(
        'github:',
        '  prebuilds:',
        '    master: true',
        '    branches: true',
        '    pullRequestsFromForks: true',
        '    addCheck: prevent-merge-on-error',
        '    addBadge: true',
        '    addLabel: true',
      ),
      expected: {
        github: {
          prebuildsInFile: true,
          prebuilds: {
            master: true,
            branches: true,
            pullRequests: true,
            pullRequestsFromForks: true,
            addCheck: 'prevent-merge-on-error',
            addBadge: true,
            addComment: false,
            addLabel: 'prebuilt-in-gitpod',
          },
        },
      },
    },
    {
      name: 'prebuilds switched off',
      text: yml('github:', '  prebuilds: false'),
      expected: {
        github: {
          prebuildsInFile: true,
          prebuilds: {
            master: false,
            branches: false,
            pullRequests: false,
            pullRequestsFromForks: false,
            addCheck: false,
            addBadge: false,
            addComment: false,
            addLabel: false,
          },
        },
      },
    },
    {
      name: 'the deprecated prebuild key',
      text: yml(
        'tasks:',
        '  - before: sdk env',
        '    prebuild: ./gradlew build',
        '    command: ./gradlew run',
      ),
      expected: { tasks: [{ before: 'sdk env', prebuild: './gradlew build', command: './gradlew run' }] },
    },
    {
      name: 'workspace settings, env and extra repositories',
      text: yml(
        'checkoutLocation: backend',
        'workspaceLocation: backend/app.code-workspace',
        'env:',
        '  DATABASE_URL: postgres://localhost/dev',
        'gitConfig:',
        '  core.autocrlf: input',
        'additionalRepositories:',
        '  - url: https://github.com/acme/frontend',
        '    checkoutLocation: frontend',
      ),
      expected: {
        checkoutLocation: 'backend',
        workspaceLocation: 'backend/app.code-workspace',
        env: { DATABASE_URL: 'postgres://localhost/dev' },
        gitConfig: { 'core.autocrlf': 'input' },
        additionalRepositories: [{ url: 'https://github.com/acme/frontend', checkoutLocation: 'frontend' }],
      },
    },
    {
      name: 'anchors and merge keys',
      text: yml(
        'tasks:',
        '  - &build',
        '    init: make deps',
        '    command: make serve',
        '  - <<: *build',
        '    command: make watch',
      ),
      expected: {
        tasks: [
          { init: 'make deps', command: 'make serve' },
          { init: 'make deps', command: 'make watch' },
        ],
      },
    },
    {
      name: 'YAML 1.1 tags, which stay plain text',
      text: yml('%YAML 1.1', '---', 'tasks:', '  - init: !!binary aGVsbG8=', '    command: on'),
      expected: { tasks: [{ init: 'aGVsbG8=', command: 'on' }] },
    },
  ])('reads $name', ({ text, expected }) => {
    expect(config(text)).toMatchObject({ ...DEFAULTS, ...expected });
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# TODO: configure Gitpod\n# later\n'],
    ['a null document', 'null\n'],
    ['a bare document marker', '---\n'],
  ])('treats %s as all defaults', (_name, text) => {
    expect(config(text)).toEqual({ ...DEFAULTS, raw: {} });
  });

  it('keeps the plain document as raw data for keys it does not model', () => {
    const parsed = config(yml('jetbrains:', '  intellij:', '    vmoptions: -Xmx4g'));
    expect(parsed.raw).toEqual({ jetbrains: { intellij: { vmoptions: '-Xmx4g' } } });
  });

  it('keeps a __proto__ env key as a key without touching prototypes', () => {
    const parsed = config(yml('env:', '  __proto__: polluted'));
    expect(Object.hasOwn(parsed.env, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(parsed.env, '__proto__')?.value).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseGitpodConfig: schema errors say where and what to change', () => {
  it('explains a port that is not a number or range, exactly', () => {
    const text = yml('ports:', '  - port: 3000', '  - port: http');
    expect(errors(text)).toEqual([
      {
        code: 'schema',
        path: 'ports[1].port',
        line: 3,
        column: 11,
        message: "ports[1].port: expected a number or a range like 3000-3010, got 'http'",
      },
    ]);
  });

  it.each([
    {
      name: 'an unknown onOpen value',
      text: yml('ports:', '  - port: 8080', '    onOpen: popup'),
      path: 'ports[0].onOpen',
      at: [3, 13],
      message:
        'ports[0].onOpen: expected one of open-browser, open-preview, notify, ignore, ignore-completely, ' +
        "got 'popup'",
    },
    {
      name: 'a near-miss enum value',
      text: yml('ports:', '  - port: 8080', '    onOpen: open-browse'),
      path: 'ports[0].onOpen',
      at: [3, 13],
      message:
        'ports[0].onOpen: expected one of open-browser, open-preview, notify, ignore, ignore-completely, ' +
        "got 'open-browse' — did you mean 'open-browser'?",
    },
    {
      name: 'a port entry without a port',
      text: yml('ports:', '  - onOpen: notify'),
      path: 'ports[0]',
      at: [2, 5],
      message: "ports[0]: missing 'port' — add the port to expose, e.g. 'port: 3000'",
    },
    {
      name: 'a misspelt top-level key, pointing at the key',
      text: yml('image: gitpod/workspace-full', 'prots:', '  - port: 3000'),
      path: 'prots',
      at: [2, 1],
      message: "prots: unknown key 'prots' — did you mean 'ports'?",
    },
    {
      name: 'a misspelt task key',
      text: yml('tasks:', '  - init: npm ci', '    commnd: npm start'),
      path: 'tasks[0].commnd',
      at: [3, 5],
      message: "tasks[0].commnd: unknown key 'commnd' — did you mean 'command'?",
    },
    {
      name: 'an unknown key with no close match',
      text: yml('tasks:', '  - shell: bash'),
      path: 'tasks[0].shell',
      at: [2, 5],
      message:
        "tasks[0].shell: unknown key 'shell' — remove it or use one of " +
        'name, before, init, prebuild, command, env, openIn, openMode',
    },
    {
      name: 'an unknown key under a $ref (jetbrains product)',
      text: yml('jetbrains:', '  goland:', '    vmoption: -Xmx2g'),
      path: 'jetbrains.goland.vmoption',
      at: [3, 5],
      message: "jetbrains.goland.vmoption: unknown key 'vmoption' — did you mean 'vmoptions'?",
    },
    {
      name: 'a list where a command string belongs',
      text: yml('tasks:', '  - init:', '      - npm ci', '      - npm test'),
      path: 'tasks[0].init',
      at: [3, 7],
      message:
        "tasks[0].init: expected a string, got a list — write the commands as one string; use a '|' block for " +
        'several lines',
    },
    {
      name: 'a number where text belongs',
      text: yml('tasks:', '  - name: 2024', '    command: make'),
      path: 'tasks[0].name',
      at: [2, 11],
      message: 'tasks[0].name: expected a string, got 2024 — put it in quotes: "2024"',
    },
    {
      name: 'an empty value, pointing at its key',
      text: yml('tasks:', '  - before:', '    command: make'),
      path: 'tasks[0].before',
      at: [2, 5],
      message:
        'tasks[0].before: expected a string, got an empty value — write a value after the colon, or remove the key',
    },
    {
      name: 'a single port where a list belongs',
      text: yml('ports: 3000'),
      path: 'ports',
      at: [1, 8],
      message: "ports: expected a list, got 3000 — write one '- ' entry per line below the key",
    },
    {
      name: 'a string where a list belongs',
      text: yml('tasks: npm start'),
      path: 'tasks',
      at: [1, 8],
      message: "tasks: expected a list, got 'npm start' — write one '- ' entry per line below the key",
    },
    {
      name: 'a Dockerfile mapping without file',
      text: yml('image:', '  context: docker'),
      path: 'image',
      at: [2, 3],
      message:
        "image: missing 'file' — add 'file: .gitpod.Dockerfile', or name an image directly, like " +
        "'image: gitpod/workspace-full'",
    },
    {
      name: 'an image that is neither a name nor a mapping',
      text: yml('image: 42'),
      path: 'image',
      at: [1, 8],
      message: "image: expected an image name like 'gitpod/workspace-full' or a mapping with 'file:', got 42",
    },
    {
      name: 'a blank image name',
      text: yml('image: ""'),
      path: 'image',
      at: [1, 8],
      message:
        "image: expected an image name like 'gitpod/workspace-full', got '' — name an image or remove 'image:'",
    },
    {
      name: 'a quoted port number',
      text: yml('ports:', '  - port: "8080"'),
      path: 'ports[0].port',
      at: [2, 11],
      message:
        "ports[0].port: expected a number or a range like 3000-3010, got '8080' — remove the quotes so it is " +
        'read as a number',
    },
    {
      name: 'a port range written backwards',
      text: yml('ports:', '  - port: 3010-3000'),
      path: 'ports[0].port',
      at: [2, 11],
      message:
        "ports[0].port: the range '3010-3000' starts after it ends — write the lower port first, like 3000-3010",
    },
    {
      name: 'a port range past 65535',
      text: yml('ports:', '  - port: 65000:70000'),
      path: 'ports[0].port',
      at: [2, 11],
      message: "ports[0].port: the range '65000:70000' goes outside 1-65535 — ports run from 1 to 65535",
    },
    {
      name: 'a port number past 65535',
      text: yml('ports:', '  - port: 70000'),
      path: 'ports[0].port',
      at: [2, 11],
      message: 'ports[0].port: expected a port number from 1 to 65535, got 70000',
    },
    {
      name: 'a prebuild flag that is not a boolean',
      text: yml('github:', '  prebuilds:', '    branches: sometimes'),
      path: 'github.prebuilds.branches',
      at: [3, 15],
      message: "github.prebuilds.branches: expected true or false, got 'sometimes'",
    },
    {
      name: 'an unknown addCheck mode',
      text: yml('github:', '  prebuilds:', '    addCheck: fail-on-error'),
      path: 'github.prebuilds.addCheck',
      at: [3, 15],
      message:
        "github.prebuilds.addCheck: expected one of true, false, prevent-merge-on-error, got 'fail-on-error'",
    },
    {
      name: 'prebuilds given as text',
      text: yml('github:', '  prebuilds: always'),
      path: 'github.prebuilds',
      at: [2, 14],
      message: "github.prebuilds: expected true, false or a mapping of prebuild settings, got 'always'",
    },
    {
      name: 'an env value that YAML reads as a number',
      text: yml('env:', '  PORT: 8080'),
      path: 'env.PORT',
      at: [2, 9],
      message: 'env.PORT: expected a string, got 8080 — put it in quotes: "8080"',
    },
    {
      name: 'a task env name no shell can set (the cluster would refuse the start)',
      text: yml('tasks:', '  - init: npm ci', '    env:', '      MY-VAR: x'),
      path: 'tasks[0].env.MY-VAR',
      at: [4, 7],
      message:
        "tasks[0].env.MY-VAR: 'MY-VAR' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like MY_VAR)",
    },
    {
      name: 'a script with a NUL character',
      text: yml('tasks:', '  - init: "npm ci\\0"'),
      path: 'tasks[0].init',
      at: [2, 11],
      message: 'tasks[0].init: this script contains a NUL character (\\0), which no shell can run',
    },
    {
      name: 'a git config key with dots',
      text: yml('gitConfig:', '  core.autocrlf: true'),
      path: 'gitConfig["core.autocrlf"]',
      at: [2, 18],
      message: 'gitConfig["core.autocrlf"]: expected a string, got true — put it in quotes: "true"',
    },
  ])('explains $name', ({ text, path, at, message }) => {
    expect(errors(text)).toEqual([{ code: 'schema', path, line: at[0], column: at[1], message }]);
  });

  it('rejects a file whose top level is a list', () => {
    expect(errors(yml('- init: npm ci', '- command: npm start'))).toEqual([
      {
        code: 'schema',
        path: '',
        line: 1,
        column: 1,
        message:
          "The file must be a mapping of keys like 'tasks:' and 'ports:', but it is a list — start each top-level " +
          "setting at the beginning of a line, e.g. 'tasks:'.",
      },
    ]);
  });

  it('rejects a file that is a single scalar, at line 1', () => {
    const [error] = errors('npm start\n');
    expect(error).toMatchObject({ code: 'schema', path: '', line: 1, column: 1 });
    expect(error?.message).toContain(
      "must be a mapping of keys like 'tasks:' and 'ports:', but it is 'npm start'",
    );
  });

  it('reports every problem once, sorted by line', () => {
    const text = yml(
      'ports:',
      '  - port: true',
      '    onOpen: 5',
      '  - prot: 3000',
      'tasks:',
      '  - init: 1',
      'imag: node',
    );
    expect(errors(text).map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [2, 11, 'ports[0].port', 'ports[0].port: expected a number or a range like 3000-3010, got true'],
      [
        3,
        13,
        'ports[0].onOpen',
        'ports[0].onOpen: expected one of open-browser, open-preview, notify, ignore, ignore-completely, got 5',
      ],
      [4, 5, 'ports[1]', "ports[1]: missing 'port' — add the port to expose, e.g. 'port: 3000'"],
      [4, 5, 'ports[1].prot', "ports[1].prot: unknown key 'prot' — did you mean 'port'?"],
      [6, 11, 'tasks[0].init', 'tasks[0].init: expected a string, got 1 — put it in quotes: "1"'],
      [7, 1, 'imag', "imag: unknown key 'imag' — did you mean 'image'?"],
    ]);
  });

  it('points at the nearest enclosing node when the value came from a merge key', () => {
    expect(errors(yml('tasks:', '  - <<: {init: 5}', '    command: make'))).toMatchObject([
      { path: 'tasks[0].init', line: 2, column: 5 },
    ]);
  });

  it('finds positions in flow style too', () => {
    expect(errors('ports: [{port: 3000}, {port: web}]\n')).toMatchObject([
      { path: 'ports[1].port', line: 1, column: 30 },
    ]);
  });
});

describe('parseGitpodConfig: YAML syntax errors carry their position', () => {
  it('rejects a duplicate key, naming it and its first line', () => {
    expect(errors(yml('tasks:', '  - init: npm ci', '    init: npm install'))).toEqual([
      {
        code: 'yaml-syntax',
        path: 'tasks[0].init',
        line: 3,
        column: 5,
        message:
          "tasks[0].init: the key 'init' appears a second time in the same mapping (first on line 2) — merge the " +
          'two entries into one or remove one of them',
      },
    ]);
  });

  it('rejects tabs used as indentation', () => {
    expect(errors(yml('tasks:', '\t- init: make'))).toContainEqual({
      code: 'yaml-syntax',
      path: '',
      line: 2,
      column: 1,
      message:
        'A tab is used for indentation, but YAML allows only spaces there — replace the tab with spaces.',
    });
  });

  it('rejects an unclosed bracket', () => {
    const found = errors(yml('ports: [3000, 3001', 'tasks: []'));
    expect(found.every((e) => e.code === 'yaml-syntax')).toBe(true);
    expect(found[0]).toMatchObject({ line: 2, column: 1 });
    expect(found[0]?.message).toMatch(
      /^Invalid YAML: .*\. Check the indentation, colons, quotes and brackets here\.$/,
    );
  });

  it('rejects a second document', () => {
    expect(errors(yml('tasks: []', '---', 'ports: []'))).toEqual([
      {
        code: 'yaml-syntax',
        path: '',
        line: 2,
        column: 1,
        message:
          "The file contains a second YAML document (after a '---' line) — keep a single document; Gitpod reads " +
          'only one.',
      },
    ]);
  });

  it('rejects an alias without an anchor', () => {
    expect(errors(yml('tasks:', '  - *build'))).toEqual([
      {
        code: 'yaml-syntax',
        path: '',
        line: 2,
        column: 5,
        message:
          "The alias *build refers to no anchor — define '&build' on a value above it, or write the value out.",
      },
    ]);
  });

  it('rejects a key with an unpaired surrogate escape instead of throwing', () => {
    expect(errors(yml('env:', '  "\\uD800": x'))).toMatchObject([
      { code: 'yaml-syntax', line: 2, column: 3 },
    ]);
  });
});

describe('parseGitpodConfig: hostile input fails fast', () => {
  it('rejects input over the size limit before parsing', () => {
    const [error] = errors(`# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(error).toMatchObject({ code: 'too-large', path: '', line: 1, column: 1 });
    expect(error?.message).toContain('larger than 65536 bytes, the limit for a .gitpod.yml');
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    expect(errors(`# ${'é'.repeat(MAX_CONFIG_BYTES / 2)}\n`)[0]?.code).toBe('too-large');
    expect(parseGitpodConfig(`#${'x'.repeat(MAX_CONFIG_BYTES - 2)}\n`).ok).toBe(true);
  });

  it('rejects a billion-laughs alias bomb', () => {
    const text = yml(
      'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
      'g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
      'h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]',
      'i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]',
    );
    const [error] = errors(text);
    expect(error).toMatchObject({ code: 'too-complex', line: 2, column: 8 });
    expect(error?.message).toContain('looks like an alias bomb');
  });

  it('rejects an alias bomb built from merge keys', () => {
    const lines = ['l0: &l0 {a: 1, b: 2}'];
    for (let i = 1; i < 12; i++) lines.push(`l${i}: &l${i} {x: {<<: *l${i - 1}}, y: {<<: *l${i - 1}}}`);
    expect(errors(yml(...lines))[0]?.code).toBe('too-complex');
  });

  it('rejects an alias used inside its own anchor', () => {
    expect(errors(yml('tasks: &loop', '  - *loop'))).toMatchObject([
      { code: 'too-complex', line: 2, column: 5 },
    ]);
  });

  it('rejects more aliases than any real file uses', () => {
    const text = yml('x: &x 1', `tasks: [${Array.from({ length: 1001 }, () => '*x').join(', ')}]`);
    expect(errors(text)[0]?.code).toBe('too-complex');
  });

  it('rejects 200 levels of nested mappings, at the level that is too deep', () => {
    const text = Array.from({ length: 200 }, (_, depth) => `${' '.repeat(depth)}a:`).join('\n');
    expect(errors(text)).toEqual([
      {
        code: 'too-complex',
        path: '',
        line: 65,
        column: 65,
        message:
          'The file nests lists and mappings more than 64 levels deep — flatten it; a .gitpod.yml needs only a ' +
          'few levels.',
      },
    ]);
  });

  it('rejects 200 levels of nested flow lists', () => {
    expect(errors(`tasks: ${'['.repeat(200)}${']'.repeat(200)}\n`)).toMatchObject([
      { code: 'too-complex', line: 1 },
    ]);
  });

  it('rejects a file that is nothing but opening brackets', () => {
    expect(errors('['.repeat(MAX_CONFIG_BYTES))[0]?.code).toBe('too-complex');
  });

  it('accepts nesting up to the limit, leaving it to the schema', () => {
    const text = `tasks: ${'['.repeat(63)}${']'.repeat(63)}\n`;
    expect(errors(text)[0]?.code).toBe('schema');
  });

  it('does not let a __proto__ key reach the prototype', () => {
    expect(errors(yml('__proto__:', '  polluted: true'))[0]).toMatchObject({ path: '__proto__', line: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('prebuildTasks and needsPrebuild', () => {
  const parsed = config(
    yml(
      'tasks:',
      '  - name: deps',
      '    before: nvm use',
      '    init: npm ci',
      '    prebuild: npm run build',
      '    command: npm start',
      '  - name: watcher',
      '    command: npm run watch',
      '  - name: legacy',
      '    prebuild: make',
      '  - before: export A=1',
      '  - init: "   "',
    ),
  );

  it('lists what a prebuild runs, with the deprecated prebuild after init', () => {
    expect(prebuildTasks(parsed)).toEqual([
      { name: 'deps', before: 'nvm use', init: 'npm ci\nnpm run build' },
      { name: 'legacy', init: 'make' },
      { before: 'export A=1' },
    ]);
  });

  it.each([
    ['a task with init', yml('tasks:', '  - init: npm ci'), true],
    ['a task with only before', yml('tasks:', '  - before: nvm use'), true],
    ['a task with only the deprecated prebuild', yml('tasks:', '  - prebuild: make'), true],
    ['only commands', yml('tasks:', '  - command: npm start'), false],
    ['a blank init', yml('tasks:', '  - init: ""'), false],
    ['no tasks', yml('image: gitpod/workspace-full'), false],
  ])('decides whether %s needs a prebuild', (_name, text, expected) => {
    expect(needsPrebuild(config(text))).toBe(expected);
  });
});

describe('prebuildFingerprint', () => {
  const base = yml(
    'image: gitpod/workspace-node',
    'tasks:',
    '  - name: setup',
    '    before: nvm use',
    '    init: npm ci',
    '    command: npm start',
    'ports:',
    '  - port: 3000',
  );
  const fingerprint = (text: string): string => prebuildFingerprint(config(text));

  it('is a versioned hex sha256', () => {
    expect(fingerprint(base)).toMatch(/^v1:[0-9a-f]{64}$/);
  });

  it.each([
    [
      'reformatted in flow style',
      '{image: gitpod/workspace-node, tasks: [{init: npm ci, before: nvm use}]}\n',
    ],
    [
      'keys reordered, comments added',
      yml(
        '# ports first now',
        'ports:',
        '  - port: 3000',
        'tasks:',
        '  - command: npm start # start',
        '    init: "npm ci"',
        '    before: nvm use',
        '    name: setup',
        'image: gitpod/workspace-node',
      ),
    ],
    [
      'init written as a block',
      yml('image: gitpod/workspace-node', 'tasks:', '  - before: nvm use', '    init: |', '      npm ci'),
    ],
    [
      'command, name and ports changed',
      yml(
        'image: gitpod/workspace-node',
        'tasks:',
        '  - name: other',
        '    before: nvm use',
        '    init: npm ci',
        '    command: npm run dev',
        'ports:',
        '  - port: 8080-8090',
      ),
    ],
    [
      'github settings and a command-only task added',
      yml(
        'image: gitpod/workspace-node',
        'tasks:',
        '  - before: nvm use',
        '    init: npm ci',
        '  - command: npm run watch',
        'github:',
        '  prebuilds:',
        '    branches: true',
      ),
    ],
  ])('stays the same when %s', (_name, text) => {
    expect(fingerprint(text)).toBe(fingerprint(base));
  });

  it.each([
    ['init changes', base.replace('npm ci', 'npm install')],
    ['before changes', base.replace('nvm use', 'nvm use 20')],
    ['the image changes', base.replace('workspace-node', 'workspace-full')],
    ['the image becomes the default', base.replace('image: gitpod/workspace-node\n', '')],
    [
      'the image becomes a Dockerfile',
      base.replace('image: gitpod/workspace-node', 'image: {file: Dockerfile}'),
    ],
    ['a deprecated prebuild is added', base.replace('    command:', '    prebuild: make\n    command:')],
    ['a task with init is added', `${base.replace('ports:\n  - port: 3000\n', '')}  - init: make\n`],
    [
      'init moves to before',
      base.replace('before: nvm use', 'before: npm ci').replace('init: npm ci', 'init: nvm use'),
    ],
  ])('changes when %s', (_name, text) => {
    expect(fingerprint(text)).not.toBe(fingerprint(base));
  });

  it('changes when the Dockerfile context changes', () => {
    expect(fingerprint(yml('image:', '  file: Dockerfile', '  context: a'))).not.toBe(
      fingerprint(yml('image:', '  file: Dockerfile', '  context: b')),
    );
  });

  it('changes when tasks with prebuild work are reordered', () => {
    const ab = yml('tasks:', '  - init: a', '  - init: b');
    const ba = yml('tasks:', '  - init: b', '  - init: a');
    expect(fingerprint(ab)).not.toBe(fingerprint(ba));
  });

  it('ignores key order, style and command for any generated config', () => {
    const script = fc.oneof(
      fc.constantFrom('npm ci', 'make', 'go mod download', './setup.sh\n'),
      fc.string(),
    );
    const task = fc.record(
      { name: fc.string(), before: script, init: script, prebuild: script, command: script },
      { requiredKeys: [] },
    );
    const gitpod = fc.record({
      image: fc.constantFrom('gitpod/workspace-full', 'node:20', 'rust:1.80'),
      tasks: fc.array(task, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(gitpod, fc.string(), (value, otherCommand) => {
        const block = stringify(value);
        const reversed = {
          tasks: value.tasks.map((t) =>
            Object.fromEntries(Object.entries({ ...t, command: otherCommand }).reverse()),
          ),
          image: value.image,
        };
        const flow = stringify(reversed, { collectionStyle: 'flow' });
        expect(fingerprint(flow)).toBe(fingerprint(block));
      }),
    );
  });
});

describe('parseGitpodConfig never throws', () => {
  const CODES = new Set(['too-large', 'yaml-syntax', 'too-complex', 'schema']);

  function checkResult(text: string): void {
    const result = parseGitpodConfig(text);
    if (result.ok) {
      expect(prebuildFingerprint(result.value)).toMatch(/^v1:[0-9a-f]{64}$/);
      expect(prebuildTasks(result.value).length).toBeLessThanOrEqual(result.value.tasks.length);
      return;
    }
    expect(result.error.length).toBeGreaterThan(0);
    for (const error of result.error) {
      expect(CODES.has(error.code)).toBe(true);
      expect(error.line).toBeGreaterThanOrEqual(1);
      expect(error.column).toBeGreaterThanOrEqual(1);
      expect(error.message.length).toBeGreaterThan(0);
    }
    const lines = result.error.map((e) => e.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  }

  // Every UTF-16 unit, lone surrogates included, which fast-check's own string units leave out.
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
  const yamlish = fc
    .array(
      fc.constantFrom(
        'tasks',
        'ports',
        'port',
        'init',
        'image',
        'github',
        'prebuilds',
        '3000-3010',
        'x',
        ':',
        ': ',
        '- ',
        '\n',
        '  ',
        '\t',
        '[',
        ']',
        '{',
        '}',
        ',',
        '&a',
        '*a',
        '<<',
        '"',
        "'",
        '#',
        '|',
        '>',
        '? ',
        '!!str',
        '!!set',
        '%YAML 1.1\n',
        '---\n',
        '...\n',
        '\\uD800',
        'null',
      ),
      { maxLength: 80 },
    )
    .map((parts) => parts.join(''));

  it('returns a Result for arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: anyUnit }), yamlish),
        (text) => checkResult(text),
      ),
      { numRuns: propertyRuns(300) },
    );
  });

  it('returns a Result for arbitrary data written as YAML', () => {
    const gitpodKeys = fc.constantFrom(
      'tasks',
      'ports',
      'image',
      'github',
      'env',
      'jetbrains',
      'vscode',
      'imag',
    );
    const shaped = fc.dictionary(gitpodKeys, fc.jsonValue({ maxDepth: 4 }));
    const ports = fc.record({
      ports: fc.array(
        fc.record({ port: fc.oneof(fc.integer(), fc.string(), fc.jsonValue()), onOpen: fc.jsonValue() }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped, ports), (value) => checkResult(stringify(value))),
      { numRuns: propertyRuns(300) },
    );
  });
});

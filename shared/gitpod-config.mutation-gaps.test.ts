// Behaviour the mutation run (docs/mutation-testing.md) found unasserted in .gitpod.yml checks: the size limit at
// its edge for 1- to 4-byte characters, and port numbers and ranges at theirs, each with its exact message.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ConfigError,
  DEFAULT_GITHUB_PREBUILDS,
  type GitpodConfig,
  MAX_CONFIG_BYTES,
  parseGitpodConfig,
  prebuildFingerprint,
  prebuildTasks,
} from './gitpod-config.ts';

const tooLarge: ConfigError = {
  code: 'too-large',
  path: '',
  line: 1,
  column: 1,
  message:
    'The file is larger than 65536 bytes, the limit for a .gitpod.yml — move long scripts into a file in the repository and run that file from the task.',
};
// A YAML comment line: `#`, the body, a newline — 2 bytes plus the body's UTF-8 bytes.
const comment = (body: string) => `#${body}\n`;

describe('the size limit', () => {
  it('is 64 KiB of UTF-8', () => {
    expect(MAX_CONFIG_BYTES).toBe(65536);
  });

  it.each([
    ['1-byte', 'x', 1],
    ['2-byte', 'é', 2],
    ['3-byte', '€', 3],
    ['4-byte', '😀', 4],
  ])('takes a file of exactly 65,536 bytes of %s characters and refuses one byte more', (_, char, bytes) => {
    const count = Math.floor((MAX_CONFIG_BYTES - 2) / bytes);
    const body = char.repeat(count) + 'x'.repeat(MAX_CONFIG_BYTES - 2 - count * bytes);
    expect(parseGitpodConfig(comment(body)).ok).toBe(true);
    expect(parseGitpodConfig(comment(`${body}x`))).toStrictEqual({ ok: false, error: [tooLarge] });
  });

  it('counts half a surrogate pair as the 3 bytes of U+FFFD', () => {
    const fits = comment(`${'\ud800'.repeat(21844)}xx`);
    expect(parseGitpodConfig(fits)).not.toStrictEqual({ ok: false, error: [tooLarge] });
    expect(parseGitpodConfig(comment(`${'\ud800'.repeat(21844)}xxx`))).toStrictEqual({
      ok: false,
      error: [tooLarge],
    });
    // A high surrogate before something that is not a low one: 3 bytes, then the other character.
    expect(parseGitpodConfig(comment(`${'\ud800x'.repeat(16383)}xx`))).not.toStrictEqual({
      ok: false,
      error: [tooLarge],
    });
    expect(parseGitpodConfig(comment(`${'\ud800x'.repeat(16383)}xxx`))).toStrictEqual({
      ok: false,
      error: [tooLarge],
    });
  });

  it('refuses 65,536 characters that are more than 65,536 bytes', () => {
    const text = comment(`${'x'.repeat(MAX_CONFIG_BYTES - 3)}é`);
    expect(text.length).toBe(MAX_CONFIG_BYTES);
    expect(parseGitpodConfig(text)).toStrictEqual({ ok: false, error: [tooLarge] });
  });
});

describe('ports', () => {
  const problems = (port: string) => {
    const result = parseGitpodConfig(`ports:\n  - port: ${port}\n`);
    return result.ok ? [] : result.error.map((e) => e.message);
  };

  it.each(['1', '65535', '1-65535', '10-10', '3000:3010'])('takes %s', (port) => {
    expect(problems(port)).toStrictEqual([]);
  });

  it.each([
    ['0', 'ports[0].port: expected a port number from 1 to 65535, got 0'],
    ['65536', 'ports[0].port: expected a port number from 1 to 65535, got 65536'],
    ['1.5', 'ports[0].port: expected a port number from 1 to 65535, got 1.5'],
    ['0-10', "ports[0].port: the range '0-10' goes outside 1-65535 — ports run from 1 to 65535"],
    ['10-0', "ports[0].port: the range '10-0' goes outside 1-65535 — ports run from 1 to 65535"],
    [
      '65536-65537',
      "ports[0].port: the range '65536-65537' goes outside 1-65535 — ports run from 1 to 65535",
    ],
    ['1-65536', "ports[0].port: the range '1-65536' goes outside 1-65535 — ports run from 1 to 65535"],
    [
      '11-10',
      "ports[0].port: the range '11-10' starts after it ends — write the lower port first, like 10-11",
    ],
  ])('refuses %s, saying why', (port, message) => {
    expect(problems(port)).toStrictEqual([message]);
  });
});

describe('flow nesting, refused before YAML reads it', () => {
  const tooComplex = (line: number, column: number) => ({
    ok: false,
    error: [
      {
        code: 'too-complex',
        path: '',
        line,
        column,
        message:
          'The file nests lists and mappings more than 64 levels deep — flatten it; a .gitpod.yml needs only a few levels.',
      },
    ],
  });
  const refusedAsTooComplex = (text: string) => {
    const result = parseGitpodConfig(text);
    return !result.ok && result.error.some((e) => e.code === 'too-complex');
  };

  it('stops at the first bracket past 64 levels, on its line and column', () => {
    expect(refusedAsTooComplex(`${'['.repeat(64)}${']'.repeat(64)}\n`)).toBe(false);
    expect(parseGitpodConfig(`${'['.repeat(65)}\n`)).toStrictEqual(tooComplex(1, 65));
    expect(parseGitpodConfig(`a: 1\n${'{'.repeat(65)}\n`)).toStrictEqual(tooComplex(2, 65));
    // Closing brackets with nothing open do not make room for more.
    expect(parseGitpodConfig(`x: ]]]${'['.repeat(65)}\n`)).toStrictEqual(tooComplex(1, 71));
  });

  it('skips brackets in quoted strings (a \\" inside double quotes does not end them) and in comments', () => {
    const deep = '['.repeat(70);
    expect(refusedAsTooComplex(`x: "${deep}"\n`)).toBe(false);
    expect(refusedAsTooComplex(`x: '${deep}'\n`)).toBe(false);
    expect(refusedAsTooComplex(`x: "\\"${deep}"\n`)).toBe(false);
    expect(refusedAsTooComplex(`x: 1 # ${deep}\n`)).toBe(false);
    expect(refusedAsTooComplex(`# ${deep}\n`)).toBe(false);
    expect(refusedAsTooComplex(`x: 1 # ${deep}`)).toBe(false);
  });

  it('counts brackets after a backslash in single quotes, and after a # inside a word', () => {
    // In single quotes a backslash is a plain character: `'\'` is a complete string.
    expect(parseGitpodConfig(`x: '\\' ${'['.repeat(65)}\n`)).toStrictEqual(tooComplex(1, 72));
    expect(parseGitpodConfig(`x: a#${'['.repeat(65)}\n`)).toStrictEqual(tooComplex(1, 70));
  });
});

describe('unknown keys', () => {
  const message = (key: string) => {
    const result = parseGitpodConfig(`${key}: 1\n`);
    return result.ok ? undefined : result.error[0]?.message;
  };
  const didYouMean = (key: string, known: string) =>
    `${key}: unknown key '${key}' — did you mean '${known}'?`;

  it('suggest a key one swap of neighbours away, even for a three-letter name', () => {
    // Plain Levenshtein counts a swap as 2, more than a three-letter name tolerates.
    expect(message('nev')).toBe(didYouMean('nev', 'env'));
    expect(message('evn')).toBe(didYouMean('evn', 'env'));
    expect(message('prots')).toBe(didYouMean('prots', 'ports'));
  });

  it('tolerate 1 edit up to 3 letters, 2 up to 6, 3 beyond, ignoring case', () => {
    expect(message('por')).toMatch(/^por: unknown key 'por' — remove it or use one of ports, tasks, image, /);
    expect(message('pxxts')).toBe(didYouMean('pxxts', 'ports'));
    expect(message('pxxxs')).toMatch(/remove it or use one of/);
    expect(message('txsksx')).toBe(didYouMean('txsksx', 'tasks'));
    expect(message('imagexxx')).toBe(didYouMean('imagexxx', 'image'));
    expect(message('gitcxxfig')).toBe(didYouMean('gitcxxfig', 'gitConfig'));
    expect(message('gixxxxfig')).toMatch(/remove it or use one of/);
    expect(message('PORTS')).toBe(didYouMean('PORTS', 'ports'));
  });
});

describe('limits a start request shares', () => {
  const messages = (text: string) => {
    const result = parseGitpodConfig(text);
    return result.ok ? [] : result.error.map((e) => e.message);
  };
  const tasks = (n: number) => `tasks:\n${'  - command: x\n'.repeat(n)}`;
  const task = (lines: string) => `tasks:\n  - command: x\n${lines}`;

  it('allow 32 tasks, names of 200 characters and env values of 4,096, and no more', () => {
    expect(messages(tasks(32))).toStrictEqual([]);
    expect(messages(tasks(33))).toStrictEqual(['tasks: a workspace runs at most 32 tasks, this file has 33']);
    expect(messages(task(`    name: ${'n'.repeat(200)}\n`))).toStrictEqual([]);
    expect(messages(task(`    name: ${'n'.repeat(201)}\n`))).toStrictEqual([
      'tasks[0].name: a task name is at most 200 characters',
    ]);
    expect(messages(task(`    env:\n      A: ${'v'.repeat(4096)}\n`))).toStrictEqual([]);
    expect(messages(task(`    env:\n      A: ${'v'.repeat(4097)}\n`))).toStrictEqual([
      'tasks[0].env.A: a value is at most 4096 characters',
    ]);
  });

  it('refuse a NUL character in a task env value, and read other values as text', () => {
    expect(messages(task('    env:\n      A: "a\\0b"\n'))).toStrictEqual([
      'tasks[0].env.A: this value contains a NUL character (\\0)',
    ]);
    expect(messages(task('    env:\n      B: 12\n'))).toStrictEqual([]);
  });
});

const DEFAULTS: Omit<GitpodConfig, 'raw'> = {
  image: { kind: 'default' },
  tasks: [],
  ports: [],
  env: {},
  additionalRepositories: [],
  gitConfig: {},
  github: { prebuilds: DEFAULT_GITHUB_PREBUILDS, prebuildsInFile: false },
};
// The normalised config a file gives, `raw` aside (it is the file's own data).
const normalised = (text: string): Omit<GitpodConfig, 'raw'> => {
  const result = parseGitpodConfig(text);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const { raw: _, ...config } = result.value;
  return config;
};
const refused = (...error: ConfigError[]) => ({ ok: false, error });
const schemaError = (path: string, line: number, column: number, message: string): ConfigError => ({
  code: 'schema',
  path,
  line,
  column,
  message,
});
const TOP_LEVEL_KEYS =
  'ports, tasks, image, additionalRepositories, mainConfiguration, checkoutLocation, workspaceLocation, gitConfig, github, vscode, jetbrains, experimentalNetwork, coreDump, env';
const unknownTopLevel = (key: string, line: number) =>
  schemaError(key, line, 1, `${key}: unknown key '${key}' — remove it or use one of ${TOP_LEVEL_KEYS}`);

describe('anchors, aliases and merge keys', () => {
  it('points at the anchored value when an alias brings in the mistake', () => {
    expect(parseGitpodConfig('x-task: &t\n  init: 5\ntasks:\n  - *t\n')).toStrictEqual(
      refused(
        unknownTopLevel('x-task', 1),
        schemaError('tasks[0].init', 2, 9, 'tasks[0].init: expected a string, got 5 — put it in quotes: "5"'),
      ),
    );
    expect(parseGitpodConfig('x: &x\n  - a\nports: *x\n')).toStrictEqual(
      refused(
        unknownTopLevel('x', 1),
        schemaError(
          'ports[0]',
          2,
          5,
          "ports[0]: expected a mapping, got 'a' — write 'key: value' lines indented below the key",
        ),
      ),
    );
  });

  it('points at the merge key when the mistake came in through it', () => {
    expect(parseGitpodConfig('x: &a {init: 1}\ny: &b {before: 2}\ntasks:\n  - <<: [*a, *b]\n')).toStrictEqual(
      refused(
        unknownTopLevel('x', 1),
        unknownTopLevel('y', 2),
        schemaError(
          'tasks[0].before',
          4,
          5,
          'tasks[0].before: expected a string, got 2 — put it in quotes: "2"',
        ),
        schemaError('tasks[0].init', 4, 5, 'tasks[0].init: expected a string, got 1 — put it in quotes: "1"'),
      ),
    );
  });

  it('takes several merge keys in one mapping, the first to name a key winning', () => {
    expect(
      normalised('tasks:\n  - <<: {init: a}\n    <<: {init: b, before: c}\n    command: d\n').tasks,
    ).toStrictEqual([{ before: 'c', init: 'a', command: 'd' }]);
  });

  it('treats a quoted "<<" as an ordinary key, which may not repeat', () => {
    expect(parseGitpodConfig('tasks:\n  - "<<": {init: a}\n    "<<": {before: b}\n')).toStrictEqual(
      refused({
        code: 'yaml-syntax',
        path: 'tasks[0]["<<"]',
        line: 3,
        column: 5,
        message:
          'tasks[0]["<<"]: the key \'<<\' appears a second time in the same mapping (first on line 2) — merge the two entries into one or remove one of them',
      }),
    );
  });

  it('reads an alias as the last anchor of that name above it', () => {
    expect(normalised('gitConfig:\n  a: &v x\n  b: &v y\n  c: *v\n').gitConfig).toStrictEqual({
      a: 'x',
      b: 'y',
      c: 'y',
    });
  });

  it('refuses an alias to no anchor, or inside its own anchor, saying which', () => {
    expect(parseGitpodConfig('x: &x 1\ntasks: [*y]\n')).toStrictEqual(
      refused({
        code: 'yaml-syntax',
        path: '',
        line: 2,
        column: 9,
        message:
          "The alias *y refers to no anchor — define '&y' on a value above it, or write the value out.",
      }),
    );
    expect(parseGitpodConfig('tasks: &loop\n  - init: a\n  - *loop\n')).toStrictEqual(
      refused({
        code: 'too-complex',
        path: '',
        line: 3,
        column: 5,
        message:
          'The alias *loop is used inside the value it refers to, which would make an endless value — point it at a different anchor.',
      }),
    );
  });

  it('takes 1,000 aliases and refuses the 1,001st, where it is', () => {
    // 20 anchors, each used 50 times (fewer than one anchor may be expanded), and one more alias to a 21st.
    const anchors = Array.from({ length: 21 }, (_, i) => `  a${i}: &a${i} v`).join('\n');
    const aliases = (extra: number) =>
      [...Array.from({ length: 1000 }, (_, k) => `*a${k % 20}`), ...Array(extra).fill('*a20')].join(', ');
    const many = parseGitpodConfig(`gitConfig:\n${anchors}\ntasks: [${aliases(0)}]\n`);
    expect(many.ok ? [] : many.error.filter((e) => e.code !== 'schema')).toStrictEqual([]);
    const last = `tasks: [${aliases(1)}]`;
    expect(parseGitpodConfig(`gitConfig:\n${anchors}\n${last}\n`)).toStrictEqual(
      refused({
        code: 'too-complex',
        path: '',
        line: 23,
        column: last.indexOf('*a20') + 1,
        message: 'The file uses more than 1000 YAML aliases (*name) — write the values out instead.',
      }),
    );
  });

  it('refuses an alias bomb at its first alias', () => {
    const lines = ['a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]'];
    for (const [name, from] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
    ])
      lines.push(`${name}: &${name} [${Array(10).fill(`*${from}`).join(', ')}]`);
    expect(parseGitpodConfig(`${lines.join('\n')}\n`)).toStrictEqual(
      refused({
        code: 'too-complex',
        path: '',
        line: 2,
        column: 8,
        message:
          'The file expands YAML aliases (*name) more than 100 times, which looks like an alias bomb — write the values out or use fewer aliases.',
      }),
    );
  });
});

describe('duplicate keys', () => {
  const duplicate = (
    path: string,
    key: string,
    line: number,
    column: number,
    first: number,
  ): ConfigError => ({
    code: 'yaml-syntax',
    path,
    line,
    column,
    message: `${path}: the key '${key}' appears a second time in the same mapping (first on line ${first}) — merge the two entries into one or remove one of them`,
  });

  it('names every repeat, each against the first, in any list item', () => {
    expect(
      parseGitpodConfig('tasks:\n  - init: a\n  - init: b\n    name: x\n    name: y\n    name: z\n'),
    ).toStrictEqual(
      refused(duplicate('tasks[1].name', 'name', 5, 5, 4), duplicate('tasks[1].name', 'name', 6, 5, 4)),
    );
  });
});

describe('schema mistakes, in words', () => {
  it.each([
    [
      'tasks:\n  - name: [a, b]\n',
      schemaError(
        'tasks[0].name',
        2,
        11,
        'tasks[0].name: expected a string, got a list — write a single value',
      ),
    ],
    [
      'tasks:\n  - command: {b: 1}\n',
      schemaError(
        'tasks[0].command',
        2,
        14,
        "tasks[0].command: expected a string, got a mapping — write the commands as one string; use a '|' block for several lines",
      ),
    ],
    [
      'tasks:\n  - prebuild: [d]\n',
      schemaError(
        'tasks[0].prebuild',
        2,
        15,
        "tasks[0].prebuild: expected a string, got a list — write the commands as one string; use a '|' block for several lines",
      ),
    ],
    [
      'tasks:\n  - env: [a]\n',
      schemaError(
        'tasks[0].env',
        2,
        10,
        "tasks[0].env: expected a mapping, got a list — write 'key: value' lines indented below the key",
      ),
    ],
    [
      'ports:\n  - port: [1]\n',
      schemaError(
        'ports[0].port',
        2,
        11,
        'ports[0].port: expected a number or a range like 3000-3010, got a list — write a single value',
      ),
    ],
    [
      'ports:\n  - port: " 3000 "\n',
      schemaError(
        'ports[0].port',
        2,
        11,
        "ports[0].port: expected a number or a range like 3000-3010, got ' 3000 ' — remove the quotes so it is read as a number",
      ),
    ],
    [
      'ports:\n  - port: 30a\n',
      schemaError(
        'ports[0].port',
        2,
        11,
        "ports[0].port: expected a number or a range like 3000-3010, got '30a'",
      ),
    ],
    [
      'image: [a]\n',
      schemaError(
        'image',
        1,
        8,
        "image: expected an image name like 'gitpod/workspace-full' or a mapping with 'file:', got a list",
      ),
    ],
    [
      'github:\n  prebuilds: [a]\n',
      schemaError(
        'github.prebuilds',
        2,
        14,
        'github.prebuilds: expected true, false or a mapping of prebuild settings, got a list',
      ),
    ],
    [
      'github:\n  prebuilds:\n    addLabel: 5\n',
      schemaError(
        'github.prebuilds.addLabel',
        3,
        15,
        'github.prebuilds.addLabel: expected true, false or a label name, got 5',
      ),
    ],
    [
      'github:\n  prebuilds:\n    addCheck: 5\n',
      schemaError(
        'github.prebuilds.addCheck',
        3,
        15,
        'github.prebuilds.addCheck: expected one of true, false, prevent-merge-on-error, got 5',
      ),
    ],
    [
      'ports:\n  - port: 3000\n    onOpen: "a\\nb\\tc\\u0001"\n',
      schemaError(
        'ports[0].onOpen',
        3,
        13,
        "ports[0].onOpen: expected one of open-browser, open-preview, notify, ignore, ignore-completely, got 'a\\nb\\tc\\u0001'",
      ),
    ],
    [
      `ports:\n  - port: 3000\n    onOpen: ${'a'.repeat(41)}\n`,
      schemaError(
        'ports[0].onOpen',
        3,
        13,
        `ports[0].onOpen: expected one of open-browser, open-preview, notify, ignore, ignore-completely, got '${'a'.repeat(40)}…'`,
      ),
    ],
    [
      'additionalRepositories:\n  - checkoutLocation: x\n',
      schemaError(
        'additionalRepositories[0]',
        2,
        5,
        "additionalRepositories[0]: missing 'url' — add the repository URL, e.g. 'url: https://github.com/o/r'",
      ),
    ],
    [
      'tasks:\n  - init: a\n  - 5\n',
      schemaError(
        'tasks[1]',
        3,
        5,
        "tasks[1]: expected a mapping, got 5 — write 'key: value' lines indented below the key",
      ),
    ],
    [
      'jetbrains:\n  goland:\n    prebuilds:\n      version: latst\n',
      schemaError(
        'jetbrains.goland.prebuilds.version',
        4,
        16,
        "jetbrains.goland.prebuilds.version: expected one of stable, latest, both, got 'latst' — did you mean 'latest'?",
      ),
    ],
    [
      'image:\n  file: "  "\n',
      schemaError(
        'image.file',
        2,
        9,
        "image.file: expected a path to a Dockerfile like '.gitpod.Dockerfile', got ''",
      ),
    ],
  ])('%j', (text, error) => {
    expect(parseGitpodConfig(text)).toStrictEqual(refused(error));
  });
});

describe('the config a .gitpod.yml gives', () => {
  it('is the defaults for an empty file or one with only comments', () => {
    expect(normalised('')).toStrictEqual(DEFAULTS);
    expect(normalised('# only a comment\n')).toStrictEqual(DEFAULTS);
    expect(normalised('%YAML 1.1\n---\ntasks: []\n')).toStrictEqual(DEFAULTS);
  });

  it('reads every prebuild setting, and true, false or nothing as a whole', () => {
    const prebuilds = (text: string) => normalised(text).github;
    expect(prebuilds('github:\n  prebuilds: true\n')).toStrictEqual({
      prebuilds: DEFAULT_GITHUB_PREBUILDS,
      prebuildsInFile: true,
    });
    expect(prebuilds('github:\n  prebuilds: false\n')).toStrictEqual({
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
      prebuildsInFile: true,
    });
    expect(
      prebuilds(
        'github:\n  prebuilds:\n    master: false\n    branches: true\n    pullRequests: false\n    pullRequestsFromForks: true\n    addBadge: true\n    addComment: true\n    addCheck: prevent-merge-on-error\n    addLabel: true\n',
      ),
    ).toStrictEqual({
      prebuilds: {
        master: false,
        branches: true,
        pullRequests: false,
        pullRequestsFromForks: true,
        addCheck: 'prevent-merge-on-error',
        addBadge: true,
        addComment: true,
        addLabel: 'prebuilt-in-gitpod',
      },
      prebuildsInFile: true,
    });
    expect(prebuilds('github:\n  prebuilds:\n    addLabel: ready\n    addCheck: false\n')).toStrictEqual({
      prebuilds: { ...DEFAULT_GITHUB_PREBUILDS, addLabel: 'ready', addCheck: false },
      prebuildsInFile: true,
    });
    expect(prebuilds('github:\n  prebuilds:\n    addLabel: false\n    addComment: "yes"\n')).toStrictEqual({
      prebuilds: DEFAULT_GITHUB_PREBUILDS,
      prebuildsInFile: true,
    });
  });

  it('gives task env values as text, JSON for anything else', () => {
    expect(
      normalised(
        'tasks:\n  - env:\n      A: 1\n      B: [1, 2]\n      C: {x: 1}\n      D: null\n      E: true\n      F: x\n',
      ).tasks,
    ).toStrictEqual([{ env: { A: '1', B: '[1,2]', C: '{"x":1}', D: 'null', E: 'true', F: 'x' } }]);
  });

  it('trims the Dockerfile and its context, leaving out a blank context', () => {
    expect(normalised('image:\n  file: " x "\n  context: "  "\n').image).toStrictEqual({
      kind: 'dockerfile',
      file: 'x',
    });
    expect(normalised('image:\n  file: x\n  context: " ctx "\n').image).toStrictEqual({
      kind: 'dockerfile',
      file: 'x',
      context: 'ctx',
    });
    expect(normalised('image: " node:20 "\n').image).toStrictEqual({ kind: 'image', name: 'node:20' });
  });

  it('fills in port defaults and keeps what the file says', () => {
    expect(
      normalised(
        'ports:\n  - port: 3000\n    visibility: public\n    protocol: https\n    name: web\n    description: d\n    onOpen: open-browser\n  - port: 3000-3010\n  - port: 4000:4001\n',
      ).ports,
    ).toStrictEqual([
      {
        port: 3000,
        onOpen: 'open-browser',
        visibility: 'public',
        protocol: 'https',
        name: 'web',
        description: 'd',
      },
      { range: [3000, 3010], onOpen: 'notify', visibility: 'private', protocol: 'http' },
      { range: [4000, 4001], onOpen: 'notify', visibility: 'private', protocol: 'http' },
    ]);
  });

  it('keeps locations and additional repositories as given', () => {
    expect(
      normalised(
        'checkoutLocation: a\nworkspaceLocation: b\nmainConfiguration: c\nadditionalRepositories:\n  - url: https://github.com/o/r\n    checkoutLocation: r\n  - url: https://github.com/o/s\nenv:\n  X: "1"\n',
      ),
    ).toStrictEqual({
      ...DEFAULTS,
      env: { X: '1' },
      checkoutLocation: 'a',
      workspaceLocation: 'b',
      mainConfiguration: 'c',
      additionalRepositories: [
        { url: 'https://github.com/o/r', checkoutLocation: 'r' },
        { url: 'https://github.com/o/s' },
      ],
    });
  });
});

describe('YAML syntax errors, in words', () => {
  const CHECK = ' Check the indentation, colons, quotes and brackets here.';
  it.each([
    [
      'tasks:\n  - init: a\n   command: b\n',
      3,
      1,
      `Invalid YAML: Sequence item without - indicator.${CHECK}`,
    ],
    ['tasks:\n  - init: "a\n', 3, 1, `Invalid YAML: Missing closing "quote.${CHECK}`],
    [
      'key: value: other\n',
      1,
      6,
      `Invalid YAML: Nested mappings are not allowed in compact mappings.${CHECK}`,
    ],
    ['a:\n  b: 1\n c: 2\n', 3, 1, `Invalid YAML: All mapping items must start at the same column.${CHECK}`],
    [
      'tasks: [a\n',
      2,
      1,
      `Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ].${CHECK}`,
    ],
    ['"a\nb": 1\n', 1, 1, `Invalid YAML: Implicit keys need to be on a single line.${CHECK}`],
    ['a: @x\n', 1, 4, 'Invalid YAML: Plain value cannot start with reserved character @.'],
    ['a: &x &y 1\n', 1, 7, 'Invalid YAML: A node can have at most one anchor.'],
    [
      'a: 1\n...\nb: 2\n',
      3,
      1,
      "The file contains a second YAML document (after a '---' line) — keep a single document; Gitpod reads only one.",
    ],
  ])('%j', (text, line, column, message) => {
    expect(parseGitpodConfig(text)).toStrictEqual(
      refused({ code: 'yaml-syntax', path: '', line, column, message }),
    );
  });

  it('reports an unexpected token with the same advice, each spot once, in order', () => {
    const result = parseGitpodConfig('- a\nb: 1\n');
    expect(
      result.ok ? [] : result.error.map((e) => [e.line, e.column, e.message.endsWith(CHECK)]),
    ).toStrictEqual([
      [2, 1, true],
      [2, 2, true],
      [2, 4, true],
    ]);
  });
});

describe('keys with half a surrogate pair', () => {
  const unpaired = (path: string, line: number, column: number): ConfigError => ({
    code: 'yaml-syntax',
    path,
    line,
    column,
    message: `${path}: this key contains an unpaired UTF-16 surrogate escape (like "\\uD800") — use a valid character`,
  });

  it('are refused at any depth, high or low half; a whole pair is a character like any other', () => {
    expect(parseGitpodConfig('env:\n  "\\uD800": x\n')).toStrictEqual(
      refused(unpaired('env["\\ud800"]', 2, 3)),
    );
    expect(parseGitpodConfig('tasks:\n  - init: a\n  - env:\n      "a\\uDC00": 1\n')).toStrictEqual(
      refused(unpaired('tasks[1].env["a\\udc00"]', 4, 7)),
    );
    expect(normalised('env:\n  "\\uD83D\\uDE00": x\n').env).toStrictEqual({ '😀': 'x' });
  });
});

describe('more of the size limit', () => {
  // Fills a comment line to exactly 64 KiB with `unit` (of `bytes` UTF-8 bytes) and `x`s, then one byte more.
  const atTheLimit = (unit: string, bytes: number) => {
    const count = Math.floor((MAX_CONFIG_BYTES - 2) / bytes);
    return comment(unit.repeat(count) + 'x'.repeat(MAX_CONFIG_BYTES - 2 - count * bytes));
  };
  const fits = (text: string) => {
    const result = parseGitpodConfig(text);
    return result.ok || result.error[0]?.code !== 'too-large';
  };

  it.each([
    ['U+0080, the first 2-byte character', '\u0080', 2],
    ['U+07FF, the last 2-byte character', '\u07ff', 2],
    ['U+0800, the first 3-byte character', '\u0800', 3],
    ['a pair from the first surrogates', '\ud800\udc00', 4],
    ['a pair from the last surrogates', '\udbff\udfff', 4],
    ['a low surrogate alone', '\udc00', 3],
    ['a private-use character before a low surrogate', '\ue000\udc00', 6],
  ])('counts %s', (_, unit, bytes) => {
    const text = atTheLimit(unit, bytes);
    expect(fits(text)).toBe(true);
    expect(fits(text.replace('\n', 'x\n'))).toBe(false);
  });
});

describe('more of nesting', () => {
  const tooComplex = (line: number, column: number) =>
    refused({
      code: 'too-complex',
      path: '',
      line,
      column,
      message:
        'The file nests lists and mappings more than 64 levels deep — flatten it; a .gitpod.yml needs only a few levels.',
    });
  const deepPlain = `b${'['.repeat(65)}`;

  it('counts brackets in plain text after a closed quote, after a comment, and after a # that starts no comment', () => {
    expect(parseGitpodConfig(`x: 'a'\ny: ${deepPlain}\n`)).toStrictEqual(tooComplex(2, 69));
    expect(parseGitpodConfig(`# c\ny: ${deepPlain}\n`)).toStrictEqual(tooComplex(2, 69));
    expect(parseGitpodConfig(`x: 1 #${'['.repeat(70)}\ny: 1\n`)).toStrictEqual(
      refused(unknownTopLevel('x', 1), unknownTopLevel('y', 2)),
    );
  });

  it('lets closed brackets of either kind in plain text make room again', () => {
    const text = `x: a${'['.repeat(40)}${']'.repeat(40)}${'['.repeat(40)}${'{'.repeat(20)}${'}'.repeat(20)}${'{'.repeat(20)}\n`;
    expect(parseGitpodConfig(text)).toStrictEqual(refused(unknownTopLevel('x', 1)));
  });

  it('counts block lists, and the keys of a mapping too', () => {
    const mappingError = (found: string) =>
      `The file must be a mapping of keys like 'tasks:' and 'ports:', but it is ${found} — start each top-level setting at the beginning of a line, e.g. 'tasks:'.`;
    expect(parseGitpodConfig(`${'- '.repeat(64)}a\n`)).toStrictEqual(
      refused(schemaError('', 1, 1, mappingError('a list'))),
    );
    expect(parseGitpodConfig(`${'- '.repeat(65)}a\n`)).toStrictEqual(tooComplex(1, 129));
    expect(parseGitpodConfig(`? ${'- '.repeat(65)}a\n: 1\n`)).toStrictEqual(tooComplex(1, 129));
  });
});

describe('more YAML mistakes', () => {
  it('lists a duplicate key and a syntax error in the order they appear', () => {
    expect(parseGitpodConfig('a: 1\na: 2\nb: [\n')).toStrictEqual(
      refused(
        {
          code: 'yaml-syntax',
          path: 'a',
          line: 2,
          column: 1,
          message:
            "a: the key 'a' appears a second time in the same mapping (first on line 1) — merge the two entries into one or remove one of them",
        },
        {
          code: 'yaml-syntax',
          path: '',
          line: 4,
          column: 1,
          message:
            'Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Check the indentation, colons, quotes and brackets here.',
        },
      ),
    );
  });

  it('says a problem YAML reports several times at one spot once', () => {
    expect(parseGitpodConfig('tasks: [[[a\n')).toStrictEqual(
      refused({
        code: 'yaml-syntax',
        path: '',
        line: 2,
        column: 1,
        message:
          'Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Check the indentation, colons, quotes and brackets here.',
      }),
    );
  });

  it('compares only plain keys for duplicates: two list keys differ, two empty keys do not', () => {
    const result = parseGitpodConfig('? [a]\n: 1\n? [b]\n: 2\n');
    expect(result.ok ? [] : result.error.map((e) => e.code)).toStrictEqual(['schema', 'schema']);
    expect(parseGitpodConfig('? \n: 1\n? \n: 2\n')).toStrictEqual(
      refused({
        code: 'yaml-syntax',
        path: '[""]',
        line: 3,
        column: 3,
        message:
          '[""]: the key \'\' appears a second time in the same mapping (first on line 1) — merge the two entries into one or remove one of them',
      }),
    );
    expect(parseGitpodConfig('? [a]\n: {x: 1, x: 2}\n')).toStrictEqual(
      refused({
        code: 'yaml-syntax',
        path: '["?"].x',
        line: 2,
        column: 10,
        message:
          '["?"].x: the key \'x\' appears a second time in the same mapping (first on line 2) — merge the two entries into one or remove one of them',
      }),
    );
  });

  it('refuses a key with a high surrogate before an ordinary character', () => {
    expect(parseGitpodConfig('env:\n  "\\uD800x": y\n')).toStrictEqual(
      refused({
        code: 'yaml-syntax',
        path: 'env["\\ud800x"]',
        line: 2,
        column: 3,
        message:
          'env["\\ud800x"]: this key contains an unpaired UTF-16 surrogate escape (like "\\uD800") — use a valid character',
      }),
    );
  });
});

describe('more schema mistakes', () => {
  it.each([
    [
      'ports: [{port: x}, {port: y}]\n',
      schemaError(
        'ports[0].port',
        1,
        16,
        "ports[0].port: expected a number or a range like 3000-3010, got 'x'",
      ),
      schemaError(
        'ports[1].port',
        1,
        27,
        "ports[1].port: expected a number or a range like 3000-3010, got 'y'",
      ),
    ],
    [
      'tasks:\n  - before: ~\n',
      schemaError(
        'tasks[0].before',
        2,
        13,
        'tasks[0].before: expected a string, got an empty value — write a value after the colon, or remove the key',
      ),
    ],
    [
      'tasks:\n  -\n',
      schemaError(
        'tasks[0]',
        2,
        4,
        'tasks[0]: expected a mapping, got an empty value — write a value after the colon, or remove the key',
      ),
    ],
    [
      'gitConfig:\n  "3000": 1\n',
      schemaError(
        'gitConfig["3000"]',
        2,
        11,
        'gitConfig["3000"]: expected a string, got 1 — put it in quotes: "1"',
      ),
    ],
    [
      'gitConfig:\n  "a/b~c": 1\n',
      schemaError(
        'gitConfig["a/b~c"]',
        2,
        12,
        'gitConfig["a/b~c"]: expected a string, got 1 — put it in quotes: "1"',
      ),
    ],
    [
      'image: "  "\n',
      schemaError(
        'image',
        1,
        8,
        "image: expected an image name like 'gitpod/workspace-full', got '' — name an image or remove 'image:'",
      ),
    ],
    [
      'tasks:\n  - init: a\n    env:\n      MY.VAR: x\n',
      schemaError(
        'tasks[0].env["MY.VAR"]',
        4,
        7,
        `tasks[0].env["MY.VAR"]: 'MY.VAR' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like MY_VAR)`,
      ),
    ],
    [
      `ports:\n  - port: 3000\n    onOpen: ${'a'.repeat(40)}\n`,
      schemaError(
        'ports[0].onOpen',
        3,
        13,
        `ports[0].onOpen: expected one of open-browser, open-preview, notify, ignore, ignore-completely, got '${'a'.repeat(40)}'`,
      ),
    ],
    [
      'ports:\n  - port: a3000\n',
      schemaError(
        'ports[0].port',
        2,
        11,
        "ports[0].port: expected a number or a range like 3000-3010, got 'a3000'",
      ),
    ],
  ])('%j', (text, ...error) => {
    expect(parseGitpodConfig(text)).toStrictEqual(refused(...(error as ConfigError[])));
  });

  it.each(['1-1', '65535-65535'])('takes the range %s', (port) => {
    expect(normalised(`ports:\n  - port: ${port}\n`).ports).toHaveLength(1);
  });

  it.each([
    ['imaxxx', undefined],
    ['exx', undefined],
    ['nve', undefined],
    ['pasks', 'tasks'],
  ])('suggests for %j only a key close enough: %s', (key, known) => {
    expect(parseGitpodConfig(`${key}: 1\n`)).toStrictEqual(
      refused(
        known === undefined
          ? unknownTopLevel(key, 1)
          : schemaError(key, 1, 1, `${key}: unknown key '${key}' — did you mean '${known}'?`),
      ),
    );
  });
});

describe('prebuilds', () => {
  const config = (text: string): GitpodConfig => {
    const result = parseGitpodConfig(text);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value;
  };

  it('list each task with prebuild work, leaving out what it does not have', () => {
    expect(
      prebuildTasks(config('tasks:\n  - init: a\n  - name: b\n    before: c\n    command: d\n')),
    ).toStrictEqual([{ init: 'a' }, { name: 'b', before: 'c' }]);
  });

  // Fingerprints name prebuilds already made: a change to how they are computed orphans every one of them. They are
  // `v1:` and the SHA-256 of the image and each prebuild task's trimmed before/init/prebuild (null when blank).
  const digest = (canonical: unknown) =>
    `v1:${createHash('sha256').update(JSON.stringify(canonical)).digest('hex')}`;
  it.each([
    ['', { image: ['default'], tasks: [] }],
    ['image: node:20\n', { image: ['image', 'node:20'], tasks: [] }],
    [
      'image:\n  file: .gitpod.Dockerfile\n',
      { image: ['dockerfile', '.gitpod.Dockerfile', null], tasks: [] },
    ],
    [
      'image:\n  file: .gitpod.Dockerfile\n  context: docker\n',
      { image: ['dockerfile', '.gitpod.Dockerfile', 'docker'], tasks: [] },
    ],
    [
      'tasks:\n  - command: x\n  - before: " a "\n    init: "  "\n    prebuild: c\n',
      { image: ['default'], tasks: [['a', null, 'c']] },
    ],
  ])('are stable for %j', (text, canonical) => {
    expect(prebuildFingerprint(config(text))).toBe(digest(canonical));
  });
});

describe('the last gaps', () => {
  it('keeps Gitpod defaults for the prebuild settings a mapping leaves out', () => {
    expect(normalised('github:\n  prebuilds:\n    branches: true\n').github).toStrictEqual({
      prebuilds: { ...DEFAULT_GITHUB_PREBUILDS, branches: true },
      prebuildsInFile: true,
    });
  });

  it('asks for a number where the schema wants one', () => {
    expect(parseGitpodConfig('coreDump:\n  softLimit: x\n')).toStrictEqual(
      refused(schemaError('coreDump.softLimit', 2, 14, "coreDump.softLimit: expected a number, got 'x'")),
    );
  });

  it('says every problem with one value, not only the last', () => {
    expect(
      parseGitpodConfig(`tasks:\n  - command: x\n    env:\n      A: "${'v'.repeat(4097)}\\0"\n`),
    ).toStrictEqual(
      refused(
        schemaError('tasks[0].env.A', 4, 10, 'tasks[0].env.A: a value is at most 4096 characters'),
        schemaError('tasks[0].env.A', 4, 10, 'tasks[0].env.A: this value contains a NUL character (\\0)'),
      ),
    );
  });
});

it('suggests, of two keys equally close, the one the schema lists first', () => {
  expect(parseGitpodConfig('tarts: 1\n')).toStrictEqual(
    refused(schemaError('tarts', 1, 1, "tarts: unknown key 'tarts' — did you mean 'ports'?")),
  );
  expect(parseGitpodConfig('tasks:\n  - nait: x\n')).toStrictEqual(
    refused(schemaError('tasks[0].nait', 2, 5, "tasks[0].nait: unknown key 'nait' — did you mean 'name'?")),
  );
});

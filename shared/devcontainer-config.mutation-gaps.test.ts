// Behaviour the mutation run (docs/mutation-testing.md) found unasserted in devcontainer.json reading: the limits at
// their edges, each kind of mistake with its exact message and position, and the launch config a file gives, whole.
import { describe, expect, it } from 'vitest';
import {
  commandScript,
  type DevcontainerConfig,
  type DevcontainerError,
  namedDevcontainerPath,
  parseDevcontainerConfig,
} from './devcontainer-config.ts';
import { DEFAULT_GITHUB_PREBUILDS, type GitpodConfig, MAX_CONFIG_BYTES } from './gitpod-config.ts';
import { START_LIMITS } from './start-request.ts';

const PATH = '.devcontainer/devcontainer.json';
const parse = (text: string, path = PATH) => parseDevcontainerConfig(text, path);
const refused = (...error: DevcontainerError[]) => ({ ok: false, error });
const schema = (path: string, line: number, column: number, message: string): DevcontainerError => ({
  code: 'schema',
  path,
  line,
  column,
  message,
});
const messages = (text: string): string[] => {
  const result = parse(text);
  return result.ok ? [] : result.error.map((e) => e.message);
};
const value = (text: string, path = PATH): DevcontainerConfig => {
  const result = parse(text, path);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
};
// The launch config a file gives, `raw` aside (it is the file's own data).
const launch = (text: string, path = PATH): Omit<GitpodConfig, 'raw'> => {
  const { raw: _, ...config } = value(text, path).config;
  return config;
};
const nothing: Omit<GitpodConfig, 'raw' | 'image'> = {
  tasks: [],
  ports: [],
  env: {},
  additionalRepositories: [],
  gitConfig: {},
  github: { prebuilds: DEFAULT_GITHUB_PREBUILDS, prebuildsInFile: false },
};
const BUILD_NOTE = (file: string) =>
  `The image is built from ${file}: Launchpod's reference cluster does not build images, so the operator must build it and map it, or the start fails saying so.`;

it('names a configuration folder below .devcontainer/', () => {
  expect(namedDevcontainerPath('python')).toBe('.devcontainer/python/devcontainer.json');
});

describe('the size and nesting limits', () => {
  // `{"image":"x","name":"…"}` padded to a given length.
  const sized = (length: number) => {
    const shell = '{"image":"x","name":""}';
    return `{"image":"x","name":"${'a'.repeat(length - shell.length)}"}`;
  };

  it('takes a file of exactly 64 KiB and refuses one character more, naming the file', () => {
    expect(sized(MAX_CONFIG_BYTES)).toHaveLength(MAX_CONFIG_BYTES);
    expect(parse(sized(MAX_CONFIG_BYTES)).ok).toBe(true);
    expect(parse(sized(MAX_CONFIG_BYTES + 1), '.devcontainer.json')).toStrictEqual(
      refused({
        code: 'too-large',
        path: '',
        line: 1,
        column: 1,
        message:
          '.devcontainer.json is larger than 65536 bytes — move long scripts into a file in the repository.',
      }),
    );
  });

  const tooDeep = (line: number, column: number) =>
    refused({
      code: 'too-complex',
      path: '',
      line,
      column,
      message: 'The file nests objects and arrays more than 64 levels deep — flatten it.',
    });

  it('takes 64 levels of nesting and refuses the 65th bracket, at its line and column', () => {
    const nested = (levels: number) =>
      `{"image":"x",\n"customizations":{"a":${'['.repeat(levels - 2)}${']'.repeat(levels - 2)}}}`;
    expect(parse(nested(64)).ok).toBe(true);
    expect(parse(nested(65))).toStrictEqual(tooDeep(2, 85));
  });

  it('counts only open brackets: closed ones, of either kind, and brackets in strings or comments do not add up', () => {
    const arrays = `[${'['.repeat(40)}${']'.repeat(40)}]`;
    const objects = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    const text = `{"image":"x","customizations":{"a":${arrays},"b":${arrays},"c":${objects},"d":${objects},
      "e":"${'['.repeat(70)}" /* ${'{'.repeat(70)} */}}`;
    expect(parse(text).ok).toBe(true);
  });

  it('does not let stray closing brackets make room for deeper nesting', () => {
    expect(parse(`]]]]]${'['.repeat(65)}`)).toStrictEqual(tooDeep(1, 70));
    expect(parse(`}}}}}${'['.repeat(65)}`)).toStrictEqual(tooDeep(1, 70));
  });
});

describe('JSON mistakes', () => {
  it('reports the first five syntax errors, each at its own spot, for the whole file', () => {
    const text = '{"a" 1, "b" 2, "c" 3, "d" 4, "e" 5, "f" 6, "g" 7}';
    const syntax = (column: number): DevcontainerError => ({
      code: 'json-syntax',
      path: '',
      line: 1,
      column,
      message: "Invalid JSON: a ':' was expected after the property name here.",
    });
    expect(parse(text)).toStrictEqual(refused(syntax(6), syntax(13), syntax(20), syntax(27), syntax(34)));
  });

  it.each([
    ['', 1, 1],
    ['  \n  ', 2, 3],
    ['// only a comment', 1, 18],
  ])('asks for a value in %j', (text, line, column) => {
    expect(parse(text)).toStrictEqual(
      refused({
        code: 'json-syntax',
        path: '',
        line,
        column,
        message: 'Invalid JSON: a value was expected here.',
      }),
    );
  });

  it.each([
    ['[1]', 'an array'],
    ['"node:20"', '"node:20"'],
    [`"${'a'.repeat(40)}"`, `"${'a'.repeat(40)}"`],
    [`"${'a'.repeat(41)}"`, `"${'a'.repeat(40)}…"`],
    ['42', '42'],
    ['null', 'null'],
    ['true', 'true'],
  ])('wants one object, not %s', (text, found) => {
    expect(parse(` ${text}`)).toStrictEqual(
      refused(
        schema('', 1, 2, `The file must be one JSON object like { "image": "…" }, but it is ${found}.`),
      ),
    );
  });

  it('refuses a duplicate key at any depth, in objects and in arrays, at the second one', () => {
    const duplicate = (path: string, line: number, column: number, first: number): DevcontainerError => ({
      code: 'json-syntax',
      path,
      line,
      column,
      message: `${path}: this key appears a second time in the same object (first on line ${first}) — keep one`,
    });
    expect(parse('{\n"image":"a",\n"image":"b"\n}')).toStrictEqual(refused(duplicate('image', 3, 1, 2)));
    expect(parse('{"image":"x","customizations":{"vscode":{\n"a":1,\n"a":2}}}')).toStrictEqual(
      refused(duplicate('customizations.vscode.a', 3, 1, 2)),
    );
    expect(parse('{"image":"x","customizations":{"x":[1,\n{"a":1,\n  "a":2}]}}')).toStrictEqual(
      refused(duplicate('customizations.x[1].a', 3, 3, 2)),
    );
  });

  it('does not take the same key in two objects of a list for a duplicate', () => {
    expect(parse('{"image":"x","customizations":{"x":[{"a":1},{"a":2}],"y":[[{"a":1}],[{"a":1}]]}}').ok).toBe(
      true,
    );
  });
});

describe('schema mistakes, in words', () => {
  it.each([
    ['"name": 42', 'name: expected string, got 42'],
    ['"runArgs": "--privileged"', 'runArgs: expected array, got "--privileged"'],
    ['"customizations": []', 'customizations: expected object, got an array'],
    [
      '"postStartCommand": true',
      'postStartCommand: expected a command string, an array of arguments or an object of commands, got true',
    ],
    ['"shutdownAction": "nope"', 'shutdownAction: got "nope", expected one of ["none","stopContainer"]'],
    ['"build": { "dockerfile": "D", "foo": {} }', 'build.foo: unknown property "foo" — remove it'],
  ])('%s → %s', (entry, message) => {
    expect(messages(`{ "image": "x", ${entry} }`)).toContain(message);
  });

  it('asks for a command only where the key holds one (overrideCommand is a flag)', () => {
    expect(
      messages(
        '{ "image": "x", "overrideCommand": "yes", "initializeCommand": 1, "waitFor": "postStartCommand" }',
      ),
    ).toStrictEqual([
      'overrideCommand: expected boolean, got "yes"',
      'initializeCommand: expected a command string, an array of arguments or an object of commands, got 1',
    ]);
  });

  it('reads the file a legacy dockerFile names against the Dockerfile part of the schema', () => {
    expect(parse('{ "dockerFile": "D", "name": 42 }')).toStrictEqual(
      refused(schema('name', 1, 30, 'name: expected string, got 42')),
    );
  });

  it('passes on what the schema says when no message of its own fits', () => {
    expect(parse('{ "image": "x", "$schema": "not a uri" }')).toStrictEqual(
      refused(schema('$schema', 1, 28, '$schema: String does not match format "uri"')),
    );
  });

  it('names every expected type, and an object as an object', () => {
    expect(parse('{ "image": "x", "appPort": true }')).toStrictEqual(
      refused(schema('appPort', 1, 28, 'appPort: expected integer or string or array, got true')),
    );
    expect(parse('{ "image": "x", "name": {} }')).toStrictEqual(
      refused(schema('name', 1, 25, 'name: expected string, got an object')),
    );
  });

  it('points at the value that is missing a key or has the wrong form, not at its key', () => {
    const missing = parse('{ "build": { "context": "." } }');
    expect(missing.ok ? [] : missing.error).toContainEqual(
      schema('build', 1, 12, 'build: missing "dockerfile"'),
    );
    const form = parse('{ "image": "x", "hostRequirements": { "memory": "lots" } }');
    expect(form.ok ? [] : form.error).toContainEqual(
      schema(
        'hostRequirements.memory',
        1,
        49,
        'hostRequirements.memory: "lots" does not have the expected form',
      ),
    );
  });

  it('asks for the missing keys of a nested object in its own words', () => {
    expect(messages('{ "image": "x", "mounts": [{ "source": "a" }] }')).toStrictEqual([
      'mounts[0]: missing "type"',
      'mounts[0]: missing "target"',
    ]);
    expect(
      messages('{ "image": "x", "mounts": [{ "type": "bind", "target": "/t", "a": 1 }] }'),
    ).toStrictEqual(['mounts[0].a: unknown property "a" — remove it']);
  });

  // A mount is an object or a string: a value that is one of them is not also told it should be the other.
  it('reports a choice of forms as the form the value takes, or as the choice when it takes none', () => {
    expect(
      messages('{ "image": "x", "mounts": [{ "source": "a", "type": "bind" }, 42, "type=bind"] }'),
    ).toStrictEqual(['mounts[0]: missing "target"', 'mounts[1]: expected object or string, got 42']);
    expect(
      messages('{ "image": "x", "mounts": [{ "source": "a", "target": "/t", "type": "nfs" }] }'),
    ).toStrictEqual(['mounts[0].type: got "nfs", expected one of ["bind","volume"]']);
    expect(messages('{ "image": "x", "mounts": [true] }')).toStrictEqual([
      'mounts[0]: expected object or string, got true',
    ]);
    // A plain type problem, with no choice of forms, reads as before.
    expect(messages('{ "image": "x", "name": {} }')).toStrictEqual(['name: expected string, got an object']);
  });

  it('calls a nested key unknown even when a top-level key has its name', () => {
    expect(messages('{ "image": "x", "build": { "dockerfile": "D", "name": 1 } }')).toContain(
      'build.name: unknown property "name" — remove it',
    );
  });

  it('says a port below 0 is out of range', () => {
    expect(messages('{ "image": "x", "forwardPorts": [-1] }')).toContain(
      'forwardPorts[0]: -1 is out of range (-1 is less than 0.)',
    );
  });

  it('says what is wrong with a port in the list, at that port', () => {
    const found = parse('{ "image": "x",\n  "forwardPorts": [3000, "bad port!", 70000] }');
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.error).toContainEqual(
      schema(
        'forwardPorts[1]',
        2,
        26,
        'forwardPorts[1]: expected a port number or "service:port", got "bad port!"',
      ),
    );
    expect(found.error).toContainEqual(
      schema(
        'forwardPorts[2]',
        2,
        39,
        'forwardPorts[2]: 70000 is out of range (70000 is greater than 65535.)',
      ),
    );
  });

  it('says a value does not have the form the schema asks for', () => {
    expect(messages('{ "image": "x", "hostRequirements": { "memory": "lots" } }')).toContain(
      'hostRequirements.memory: "lots" does not have the expected form',
    );
  });

  it.each([
    ['imag', 'image'],
    ['forwardPort', 'forwardPorts'],
    ['appPrt', 'appPort'],
    ['servce', 'service'],
    ['buld', 'build'],
    ['dockerFil', 'dockerFile'],
    ['contxt', 'context'],
    ['RUNARG', 'runArgs'],
  ])('suggests a known key for %j', (key, known) => {
    expect(messages(`{ "image": "x", "${key}": 1 }`)).toContain(
      `${key}: unknown property "${key}" — did you mean "${known}"?`,
    );
  });

  it('suggests a key only at the top level, where the known keys live', () => {
    expect(messages('{ "image": "x", "build": { "dockerfile": "D", "imag": 1 } }')).toContain(
      'build.imag: unknown property "imag" — remove it',
    );
    expect(messages('{ "image": "x", "mounts": [{ "type": "bind", "target": "/t", "a": 1 }] }')).toContain(
      'mounts[0].a: unknown property "a" — remove it',
    );
  });

  it.each([
    ['nmae', undefined],
    ['imgae', 'image'],
    ['capAddss', 'capAdd'],
    ['cpAddsss', undefined],
    ['capAddsss', 'capAdd'],
  ])('tolerates 1 edit up to 4 letters, 2 up to 8, 3 beyond: %j', (key, known) => {
    expect(messages(`{ "image": "x", "${key}": 1 }`)).toStrictEqual([
      `${key}: unknown property "${key}" — ${known === undefined ? 'remove it' : `did you mean "${known}"?`}`,
    ]);
  });

  it.each(['abcd', 'xyzzy12', 'xapAddss', 'Port', 'postStart', 'additionalProperties'])(
    'suggests nothing for %j, which is too far from every key',
    (key) => {
      expect(messages(`{ "image": "x", "${key}": 1 }`)).toContain(
        `${key}: unknown property "${key}" — remove it`,
      );
    },
  );

  it('names keys that are not plain words in brackets, with JSON pointer escapes undone', () => {
    expect(parse('{ "image": "x", "a/b~c": 1 }')).toStrictEqual(
      refused(schema('["a/b~c"]', 1, 17, '["a/b~c"]: unknown property "a/b~c" — remove it')),
    );
  });

  it('asks for the missing key of the configuration the file means', () => {
    expect(messages('{ "build": { "context": "." } }')).toContain('build: missing "dockerfile"');
    expect(messages('{ "dockerComposeFile": "compose.yml" }')).toStrictEqual([
      'missing "service"',
      'missing "workspaceFolder"',
      'dockerComposeFile: Docker Compose configurations cannot run on a Launchpod cluster — name an image or a Dockerfile, or open this repository on a backend that runs Compose (Codespaces, DevPod)',
    ]);
  });

  it('asks for an image or a Dockerfile when the file names neither, at the top', () => {
    expect(parse('{ "name": "x" }')).toStrictEqual(
      refused(
        schema(
          '',
          1,
          1,
          'no "image" and no "build" — name an image (like "mcr.microsoft.com/devcontainers/base:debian") or a Dockerfile ("build": { "dockerfile": "Dockerfile" })',
        ),
      ),
    );
  });

  it('says what the schema needs when the file mixes two kinds of configuration', () => {
    const needs =
      'the file does not match the Dev Container schema — it needs "image", "build" with "dockerfile", or "dockerComposeFile" with "service" and "workspaceFolder"';
    expect(parse('{ "image": "x", "build": { "dockerfile": "D" } }')).toStrictEqual(
      refused(schema('', 1, 1, needs)),
    );
    expect(parse('{ "image": "x", "service": "app" }')).toStrictEqual(refused(schema('', 1, 1, needs)));
  });

  it('sorts errors by line, then column', () => {
    const found = parse('{ "image": "x", "b": 1, "a": 2,\n "c": 3 }');
    expect(found.ok ? [] : found.error.map(({ path, line, column }) => [path, line, column])).toStrictEqual([
      ['b', 1, 17],
      ['a', 1, 25],
      ['c', 2, 2],
    ]);
  });
});

describe('what Launchpod needs beyond the schema', () => {
  it.each([
    [
      '{ "image": " " }',
      schema(
        'image',
        1,
        12,
        'image: expected an image name like "mcr.microsoft.com/devcontainers/base:debian", got ""',
      ),
    ],
    [
      '{ "build": { "dockerfile": " " } }',
      schema('build.dockerfile', 1, 28, 'build.dockerfile: expected a path to a Dockerfile, got ""'),
    ],
    [
      '{ "dockerFile": "" }',
      schema('dockerFile', 1, 17, 'dockerFile: expected a path to a Dockerfile, got ""'),
    ],
    [
      '{ "dockerFile": "../../Dockerfile" }',
      schema('dockerFile', 1, 17, 'dockerFile: "../../Dockerfile" points outside the repository'),
    ],
    [
      '{ "build": { "dockerfile": "D", "context": "../.." } }',
      schema('build.context', 1, 44, 'build.context: the build context points outside the repository'),
    ],
    [
      '{ "dockerFile": "D", "context": "../.." }',
      schema('context', 1, 33, 'context: the build context points outside the repository'),
    ],
    [
      '{ "image": "x", "customizations": { "launchpod": true } }',
      schema(
        'customizations.launchpod',
        1,
        50,
        'customizations.launchpod: expected an object like { "preferred": true }',
      ),
    ],
    [
      '{ "image": "x", "customizations": { "launchpod": null } }',
      schema(
        'customizations.launchpod',
        1,
        50,
        'customizations.launchpod: expected an object like { "preferred": true }',
      ),
    ],
    [
      '{ "image": "x", "customizations": { "launchpod": { "preferred": "yes" } } }',
      schema(
        'customizations.launchpod.preferred',
        1,
        65,
        'customizations.launchpod.preferred: expected true or false, got "yes"',
      ),
    ],
    [
      '{ "image": "x", "customizations": { "launchpod": { "prefered": true } } }',
      schema(
        'customizations.launchpod.prefered',
        1,
        52,
        'customizations.launchpod.prefered: unknown property "prefered" — the one setting is "preferred"',
      ),
    ],
    [
      '{ "image": "x", "containerEnv": { "1A": "v", "MY.VAR": "v" } }',
      schema(
        'containerEnv["1A"]',
        1,
        35,
        `containerEnv["1A"]: '1A' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like _1A)`,
      ),
      schema(
        'containerEnv["MY.VAR"]',
        1,
        46,
        `containerEnv["MY.VAR"]: 'MY.VAR' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like MY_VAR)`,
      ),
    ],
    [
      '{ "image": "x", "remoteEnv": { "A": "a\\u0000b" } }',
      schema('remoteEnv.A', 1, 37, 'remoteEnv.A: this value contains a NUL character'),
    ],
    [
      '{ "image": "x", "postStartCommand": ["echo", "a\\u0000"] }',
      schema(
        'postStartCommand',
        1,
        37,
        'postStartCommand: this command contains a NUL character (\\0), which no shell can run',
      ),
    ],
  ])('%s', (text, ...error) => {
    expect(parse(text)).toStrictEqual(refused(...(error as DevcontainerError[])));
  });

  it('takes an env value of 4,096 characters and refuses one more, in either env', () => {
    const env = (key: string, length: number) =>
      `{ "image": "x", "${key}": { "A": "${'v'.repeat(length)}" } }`;
    expect(parse(env('containerEnv', START_LIMITS.envValue)).ok).toBe(true);
    expect(parse(env('remoteEnv', START_LIMITS.envValue + 1))).toStrictEqual(
      refused(schema('remoteEnv.A', 1, 37, 'remoteEnv.A: a value is at most 4096 characters')),
    );
  });

  it('takes a command of 64 KiB as the shell runs it and refuses one character more', () => {
    // Each `'` argument is quoted as `''\''` (6 characters) and followed by a space: 9,362 of them and `xx` make 65,536.
    const command = (plain: string) =>
      `{ "image": "x", "postCreateCommand": [${'"\'",'.repeat(9362)} "${plain}"] }`;
    expect(parse(command('xx')).ok).toBe(true);
    expect(parse(command('xxx'))).toStrictEqual(
      refused(
        schema(
          'postCreateCommand',
          1,
          38,
          'postCreateCommand: a command is at most 65536 characters — run a file instead',
        ),
      ),
    );
  });
});

describe('the launch config a devcontainer.json gives', () => {
  it('is the image alone when the file names nothing else, with the name trimmed', () => {
    const dc = value('{ "image": "  node:20  ", "name": "  Node  " }');
    expect(dc).toStrictEqual({
      path: PATH,
      name: 'Node',
      config: { image: { kind: 'image', name: 'node:20' }, ...nothing, raw: expect.any(Object) },
      preferred: false,
      notes: [],
    });
    expect(value('{ "image": "x", "name": "  " }')).not.toHaveProperty('name');
  });

  it('opens an empty object on the default image', () => {
    expect(launch('{}')).toStrictEqual({ image: { kind: 'default' }, ...nothing });
  });

  it('resolves Dockerfile and context paths against the file, from the root when they start with /', () => {
    expect(
      launch('{ "build": { "dockerfile": "/docker/./Dockerfile", "context": "/" } }').image,
    ).toStrictEqual({
      kind: 'dockerfile',
      file: 'docker/Dockerfile',
    });
    expect(launch('{ "build": { "dockerfile": "Dockerfile", "context": "sub//dir" } }').image).toStrictEqual({
      kind: 'dockerfile',
      file: '.devcontainer/Dockerfile',
      context: '.devcontainer/sub/dir',
    });
    expect(launch('{ "build": { "dockerfile": "Dockerfile" } }').image).toStrictEqual({
      kind: 'dockerfile',
      file: '.devcontainer/Dockerfile',
      context: '.devcontainer',
    });
    expect(launch('{ "dockerFile": "Dockerfile", "context": "docker" }', '.devcontainer.json')).toStrictEqual(
      {
        image: { kind: 'dockerfile', file: 'Dockerfile', context: 'docker' },
        ...nothing,
      },
    );
    const root = value('{ "dockerFile": "Dockerfile" }', '.devcontainer.json');
    expect(root.config.image).toStrictEqual({ kind: 'dockerfile', file: 'Dockerfile' });
    expect(root.notes).toStrictEqual([BUILD_NOTE('Dockerfile')]);
  });

  it('merges both envs, remoteEnv last, into one task named devcontainer', () => {
    const env = { B: '2', A: '3' };
    expect(
      launch('{ "image": "x", "containerEnv": { "A": "1", "B": "2" }, "remoteEnv": { "A": "3" } }'),
    ).toStrictEqual({
      image: { kind: 'image', name: 'x' },
      ...nothing,
      tasks: [{ name: 'devcontainer', env }],
      env,
    });
  });

  it('skips commands that are empty, and runs a one-command object as that command', () => {
    expect(
      launch(
        '{ "image": "x", "name": " ", "onCreateCommand": {}, "updateContentCommand": "  ", "postAttachCommand": { "only": "echo one" } }',
      ).tasks,
    ).toStrictEqual([{ name: 'devcontainer', command: '# postAttachCommand\n(\necho one\n)' }]);
    expect(commandScript({ a: 'echo a', b: ['echo', 'b'], c: 'echo c' })).toBe(
      [
        '(\necho a\n) &',
        'launchpod_0=$!',
        '(\necho b\n) &',
        'launchpod_1=$!',
        '(\necho c\n) &',
        'launchpod_2=$!',
        'launchpod_failed=0',
        'wait "$launchpod_0" || launchpod_failed=1',
        'wait "$launchpod_1" || launchpod_failed=1',
        'wait "$launchpod_2" || launchpod_failed=1',
        '[ "$launchpod_failed" = 0 ]',
      ].join('\n'),
    );
    expect(launch('{ "image": "x", "postCreateCommand": ["echo", "a b"] }').tasks).toStrictEqual([
      { name: 'devcontainer', init: "# postCreateCommand\n(\necho 'a b'\n)" },
    ]);
  });

  it('forwards port 1, and a range that starts at a forwarded port', () => {
    const http = { onOpen: 'notify', visibility: 'private', protocol: 'http' } as const;
    expect(
      launch('{ "image": "x", "forwardPorts": [1, 3000], "portsAttributes": { "3000-3010": {} } }').ports,
    ).toStrictEqual([
      { port: 1, ...http },
      { port: 3000, ...http },
      { range: [3000, 3010], ...http },
    ]);
  });

  it('forwards each port once, with its attributes, and ranges from portsAttributes', () => {
    const dc = value(`{ "image": "x", "forwardPorts": [0, 3000, 3000, 8080],
      "portsAttributes": {
        "3000": { "protocol": "https", "label": "App", "onAutoForward": "openBrowser" },
        "0": {}, "70000": {}, "10-5": {}, "9000-9000": { "onAutoForward": "notify" },
        "1-65535": { "onAutoForward": "openBrowserOnce" }, "a3000": {}, "3000x": {}
      } }`);
    expect(dc.config.ports).toStrictEqual([
      { port: 3000, onOpen: 'open-browser', visibility: 'private', protocol: 'https', name: 'App' },
      { port: 8080, onOpen: 'notify', visibility: 'private', protocol: 'http' },
      { port: 9000, onOpen: 'notify', visibility: 'private', protocol: 'http' },
      { range: [1, 65535], onOpen: 'open-browser', visibility: 'private', protocol: 'http' },
    ]);
    expect(dc.notes).toStrictEqual([
      'portsAttributes "0" is not a port from 1 to 65535 or a range of them.',
      'portsAttributes "70000" is not a port from 1 to 65535 or a range of them.',
      'portsAttributes "10-5" is not a port from 1 to 65535 or a range of them.',
      'portsAttributes "a3000" matches ports by process command line, which Launchpod does not do.',
      'portsAttributes "3000x" matches ports by process command line, which Launchpod does not do.',
    ]);
  });

  it('notes each thing it does not apply, one sentence each', () => {
    expect(
      value(`{ "image": "x", "features": { "a": {}, "b": {} }, "mounts": [], "capAdd": [], "privileged": true,
        "securityOpt": [], "appPort": 1, "containerUser": "u" }`).notes,
    ).toStrictEqual([
      'features (a, b) are not installed: they come from a registry; put what they add in the image.',
      "mounts is not applied: the cluster decides how a workspace's sandbox is made.",
      "capAdd is not applied: the cluster decides how a workspace's sandbox is made.",
      "privileged is not applied: the cluster decides how a workspace's sandbox is made.",
      "securityOpt is not applied: the cluster decides how a workspace's sandbox is made.",
      "appPort is not applied: the cluster decides how a workspace's sandbox is made.",
      "containerUser is not applied: commands run as the workspace's own user.",
    ]);
    expect(value('{ "image": "x", "features": {} }').notes).toStrictEqual([]);
  });

  it('is preferred only when the file says true', () => {
    expect(
      value('{ "image": "x", "customizations": { "launchpod": { "preferred": false } } }').preferred,
    ).toBe(false);
    expect(value('{ "image": "x", "customizations": { "vscode": {} } }').preferred).toBe(false);
  });
});

describe('one problem per mistake', () => {
  it.each([
    // A known key below the top whose value fails its own check is not also "unknown".
    [
      '{ "image": "x", "hostRequirements": { "cpus": "two" } }',
      ['hostRequirements.cpus: expected integer, got "two"'],
    ],
    ['{ "build": { "dockerfile": 5 } }', ['build.dockerfile: expected string, got 5']],
    // An unknown key below the top still is.
    [
      '{ "image": "x", "hostRequirements": { "cpu": 2 } }',
      ['hostRequirements.cpu: unknown property "cpu" — remove it'],
    ],
    // A Dockerfile named one way is not missing the other way.
    ['{ "build": {} }', ['build: missing "dockerfile"']],
    ['{ "dockerFile": 5 }', ['dockerFile: expected string, got 5']],
    ['{ "dockerFile": "Dockerfile", "build": { "args": 5 } }', ['build.args: expected object, got 5']],
    [
      '{ "build": { "dockerfile": "D", "contxt": "." } }',
      ['build.contxt: unknown property "contxt" — remove it'],
    ],
    // Nor is a sound sibling of a key that fails, and an unknown sibling still is unknown.
    ['{ "build": { "dockerfile": "D", "context": 5 } }', ['build.context: expected string, got 5']],
    [
      '{ "image": "x", "hostRequirements": { "cpus": "two", "memory": "4gb", "cpu": 1 } }',
      [
        'hostRequirements.cpus: expected integer, got "two"',
        'hostRequirements.cpu: unknown property "cpu" — remove it',
      ],
    ],
    [
      '{ "image": "x", "portsAttributes": { "3000": { "label": 5, "onAutoForward": "notify" } } }',
      ['portsAttributes["3000"].label: expected string, got 5'],
    ],
    // Inside a list's items too.
    [
      '{ "image": "x", "mounts": [{ "source": "a", "target": "/x", "type": "bind", "extra": 1 }] }',
      ['mounts[0].extra: unknown property "extra" — remove it'],
    ],
  ])('%s', (text, expected) => {
    expect(messages(text)).toStrictEqual(expected);
  });

  it('still names what is missing elsewhere in a file that uses dockerFile', () => {
    expect(messages('{ "dockerFile": "D", "mounts": [{ "source": "a", "type": "bind" }] }')).toContain(
      'mounts[0]: missing "target"',
    );
  });

  it('still calls an unknown key unknown deeper down, below a declared one', () => {
    expect(messages('{ "image": "x", "hostRequirements": { "gpu": { "cores": 1, "extra": 1 } } }')).toContain(
      'hostRequirements.gpu.extra: unknown property "extra" — remove it',
    );
  });
});

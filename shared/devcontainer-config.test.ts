import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandScript, parseDevcontainerConfig } from './devcontainer-config.ts';
import { parseGitpodConfig, prebuildFingerprint } from './gitpod-config.ts';

const PATH = '.devcontainer/devcontainer.json';
const parse = (text: string, path = PATH) => parseDevcontainerConfig(text, path);
const okConfig = (text: string, path = PATH) => {
  const parsed = parse(text, path);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
};
const errors = (text: string) => {
  const parsed = parse(text);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.error;
};

describe('devcontainer.json → launch config', () => {
  it('maps image, lifecycle commands, ports and env the way a .gitpod.yml would say them', () => {
    const dc = okConfig(`{
      // The Node sample
      "name": "Node app",
      "image": "mcr.microsoft.com/devcontainers/javascript-node:20",
      "onCreateCommand": "npm ci",
      "postCreateCommand": ["node", "scripts/seed.js", "--name", "it's"],
      "postStartCommand": "npm run dev",
      "forwardPorts": [3000, 9229],
      "portsAttributes": {
        "3000": { "label": "App", "onAutoForward": "openPreview" },
        "9229": { "onAutoForward": "silent", "protocol": "http" },
        "40000-40010": { "onAutoForward": "ignore" }
      },
      "containerEnv": { "APP_MODE": "development" },
      "remoteEnv": { "GREETING": "hello", "UNSET": null },
    }`);
    expect(dc.name).toBe('Node app');
    expect(dc.config.image).toEqual({
      kind: 'image',
      name: 'mcr.microsoft.com/devcontainers/javascript-node:20',
    });
    expect(dc.config.tasks).toEqual([
      {
        name: 'Node app',
        init: "# onCreateCommand\n(\nnpm ci\n) &&\n# postCreateCommand\n(\nnode scripts/seed.js --name 'it'\\''s'\n)",
        command: '# postStartCommand\n(\nnpm run dev\n)',
        env: { APP_MODE: 'development', GREETING: 'hello' },
      },
    ]);
    expect(dc.config.ports).toEqual([
      { port: 3000, onOpen: 'open-preview', visibility: 'private', protocol: 'http', name: 'App' },
      { port: 9229, onOpen: 'ignore', visibility: 'private', protocol: 'http' },
      { range: [40000, 40010], onOpen: 'ignore-completely', visibility: 'private', protocol: 'http' },
    ]);
    expect(dc.notes).toEqual([]);
    expect(dc.preferred).toBe(false);
  });

  it('resolves a Dockerfile beside the file into a repository path; the cluster is told to build nothing', () => {
    const dc = okConfig('{ "build": { "dockerfile": "Dockerfile", "context": ".." } }');
    expect(dc.config.image).toEqual({ kind: 'dockerfile', file: '.devcontainer/Dockerfile' });
    expect(dc.notes.join(' ')).toContain('does not build images');
    const named = okConfig(
      '{ "dockerFile": "../base.Dockerfile" }',
      '.devcontainer/python/devcontainer.json',
    );
    expect(named.config.image).toEqual({
      kind: 'dockerfile',
      file: '.devcontainer/base.Dockerfile',
      context: '.devcontainer/python',
    });
  });

  it('sanitises env like a link: blocked names and unexpandable variables are dropped, each with a reason', () => {
    const dc = okConfig(`{
      "image": "debian",
      "containerEnv": { "PATH": "/x", "LD_PRELOAD": "/evil.so", "HOME_DIR": "/h", "JAVA_HOME": "/j" },
      "remoteEnv": { "PATH": "\${containerEnv:PATH}:/more", "LOCAL": "\${localEnv:USER}" }
    }`);
    expect(dc.config.tasks[0]?.env).toEqual({ HOME_DIR: '/h' });
    expect(dc.notes).toHaveLength(5);
    expect(dc.notes.find((n) => n.startsWith('containerEnv.LD_PRELOAD'))).toContain(
      'cannot be set by Launchpod',
    );
    expect(dc.notes.find((n) => n.startsWith('remoteEnv.LOCAL'))).toContain(
      'variable, which only the devcontainer tools expand',
    );
  });

  it('says what it does not apply: features, initializeCommand, Compose service ports, users, run arguments', () => {
    const dc = okConfig(`{
      "image": "debian",
      "features": { "ghcr.io/devcontainers/features/node:1": {} },
      "initializeCommand": "echo on the laptop",
      "forwardPorts": ["db:5432"],
      "remoteUser": "vscode",
      "runArgs": ["--cap-add=SYS_PTRACE"],
      "portsAttributes": { ".+/server.js": { "onAutoForward": "openPreview" } }
    }`);
    expect(dc.config.ports).toEqual([]);
    expect(dc.notes.map((n) => n.split(' ')[0])).toEqual([
      'forwardPorts',
      'portsAttributes',
      'features',
      'initializeCommand',
      'runArgs',
      'remoteUser',
    ]);
  });

  it('lets a repository prefer it over .gitpod.yml', () => {
    expect(
      okConfig('{ "image": "x", "customizations": { "launchpod": { "preferred": true } } }').preferred,
    ).toBe(true);
    expect(
      errors('{ "image": "x", "customizations": { "launchpod": { "prefered": true } } }')[0],
    ).toMatchObject({
      path: 'customizations.launchpod.prefered',
      line: 1,
      column: 52,
    });
  });

  it('fingerprints the image and what init runs, not ports, names or formatting', () => {
    const base = okConfig(
      '{ "image": "node:20", "postCreateCommand": "npm ci", "forwardPorts": [3000] }',
    ).config;
    const reformatted = okConfig(`{
      "name": "other", // a comment
      "image": "node:20",
      "postCreateCommand": "npm ci",
      "forwardPorts": [8080]
    }`).config;
    const changed = okConfig('{ "image": "node:20", "postCreateCommand": "npm ci && npm run build" }').config;
    const otherImage = okConfig('{ "image": "node:22", "postCreateCommand": "npm ci" }').config;
    expect(prebuildFingerprint(reformatted)).toBe(prebuildFingerprint(base));
    expect(prebuildFingerprint(changed)).not.toBe(prebuildFingerprint(base));
    expect(prebuildFingerprint(otherImage)).not.toBe(prebuildFingerprint(base));
  });
});

describe('devcontainer.json mistakes, with line and column', () => {
  it('names the line and column of a JSON syntax error', () => {
    const [first] = errors('{\n  "image": "node:20"\n  "forwardPorts": [3000]\n}');
    expect(first).toMatchObject({ code: 'json-syntax', line: 3, column: 3 });
    expect(first?.message).toContain("a ',' was expected");
  });

  it('checks against the official schema: unknown keys with a suggestion, wrong types, bad ports', () => {
    const found = errors(`{
  "image": "node:20",
  "forwardPort": [3000],
  "postCreateCommand": 42,
  "portsAttributes": { "3000": { "onAutoForward": "openbrowser" } }
}`);
    expect(found.map(({ path, line, column }) => ({ path, line, column }))).toEqual([
      { path: 'forwardPort', line: 3, column: 3 },
      { path: 'postCreateCommand', line: 4, column: 24 },
      { path: 'portsAttributes["3000"].onAutoForward', line: 5, column: 51 },
    ]);
    expect(found[0]?.message).toContain('did you mean "forwardPorts"?');
    expect(found[1]?.message).toContain('expected a command string');
    expect(found[2]?.message).toContain('expected one of');
  });

  it('asks for an image when there is none', () => {
    const [first] = errors('{ "name": "only a name" }');
    expect(first?.message).toContain('no "image" and no "build"');
  });

  it('refuses Compose on a Launchpod cluster, saying where it can run', () => {
    const [first] = errors(
      '{ "dockerComposeFile": "compose.yml", "service": "app", "workspaceFolder": "/w" }',
    );
    expect(first).toMatchObject({ code: 'unsupported', path: 'dockerComposeFile', line: 1, column: 3 });
    expect(first?.message).toContain('Codespaces');
  });

  it('refuses env names no shell can set and Dockerfiles outside the repository', () => {
    const found = errors('{ "build": { "dockerfile": "../../x" }, "containerEnv": { "MY-VAR": "1" } }');
    expect(found.map((e) => e.path)).toEqual(['build.dockerfile', 'containerEnv.MY-VAR']);
  });

  it('refuses duplicate keys, which JSON parsers silently merge', () => {
    const [first] = errors('{\n "image": "a",\n "image": "b"\n}');
    expect(first).toMatchObject({ path: 'image', line: 3, column: 2 });
    expect(first?.message).toContain('first on line 2');
  });

  it('refuses deep nesting before building a tree', () => {
    const [first] = errors(`{"image":"x","customizations":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(first?.code).toBe('too-complex');
  });

  it('never throws on any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const result = parse(text);
        if (!result.ok) for (const e of result.error) expect(e.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('lifecycle commands as shell scripts', () => {
  const run = (script: string) => {
    try {
      return { out: execFileSync('sh', ['-c', script], { encoding: 'utf8' }), code: 0 };
    } catch (error) {
      return { out: String((error as { stdout?: string }).stdout ?? ''), code: 1 };
    }
  };

  it('runs an object of commands in parallel and fails when one fails', () => {
    const both = run(commandScript({ a: 'echo a', b: ['echo', 'b c'] }));
    expect(both.code).toBe(0);
    expect(both.out.split('\n').sort().join(' ').trim()).toBe('a b c');
    expect(run(commandScript({ a: 'true', b: 'false' })).code).toBe(1);
  });

  it('stops the init sequence at the first failing command', () => {
    const dc = okConfig(
      '{ "image": "x", "onCreateCommand": "false # ends in a comment", "postCreateCommand": "echo ran" }',
    );
    const result = run(dc.config.tasks[0]?.init ?? '');
    expect(result).toEqual({ out: '', code: 1 });
  });
});

it('gives a devcontainer.json its own prebuild fingerprint, apart from a .gitpod.yml with the same command', () => {
  const yml = parseGitpodConfig('image: node:20\ntasks:\n  - init: npm ci\n');
  const dc = okConfig('{ "image": "node:20", "postCreateCommand": "npm ci" }');
  expect(yml.ok).toBe(true);
  // The devcontainer's init is wrapped (comments, subshells), so the two differ: a repository that switches
  // files gets a new prebuild rather than one made by the other file's scripts.
  if (yml.ok) expect(prebuildFingerprint(dc.config)).not.toBe(prebuildFingerprint(yml.value));
});

// Behaviour the mutation run (docs/mutation-testing.md) found unasserted in start requests: each check after the
// schema, with the exact message the cluster answers, and how schema failures are named.
import { describe, expect, it } from 'vitest';
import type { StartWorkspaceRequest } from './cluster-contract.ts';
import { parseStartRequest, START_LIMITS } from './start-request.ts';

const body: StartWorkspaceRequest = {
  contractVersion: 1,
  id: 'ws-1',
  type: 'regular',
  owner: { id: 'user:github.com:1001' },
  context: {
    repo: { host: 'github.com', family: 'github', owner: 'o', name: 'r' },
    cloneUrl: 'https://github.com/o/r.git',
    webUrl: 'https://github.com/o/r',
    defaultBranch: 'main',
    sha: 'a'.repeat(40),
  },
  initializer: { kind: 'git' },
  image: { kind: 'default' } as unknown as StartWorkspaceRequest['image'],
  tasks: [],
  ports: [],
  env: [],
  eventsUrl: 'https://launchpod.example/api/v1/cluster-events',
};
const refused = (error: string) => ({ ok: false, error });
const withContext = (context: Partial<StartWorkspaceRequest['context']>) => ({
  ...body,
  context: { ...body.context, ...context },
});

describe('start requests', () => {
  it('come back unchanged when valid', () => {
    expect(parseStartRequest(body)).toStrictEqual({ ok: true, value: body });
  });

  it('speak contract version 1 only', () => {
    expect(parseStartRequest({ ...body, contractVersion: 2 })).toStrictEqual(
      refused('Contract version 2 is not spoken here; this cluster speaks version 1.'),
    );
  });

  it('need a prebuildId for a prebuild', () => {
    expect(parseStartRequest({ ...body, type: 'prebuild' })).toStrictEqual(
      refused('A prebuild start request needs a prebuildId to store its snapshot under.'),
    );
    expect(parseStartRequest({ ...body, type: 'prebuild', prebuildId: 'pb-1' }).ok).toBe(true);
  });

  it.each([
    'https://github.com/o/r.git',
    'HTTPS://github.com/o/r.git',
    'http://git.example:8080/o/r.git',
    'ssh://git@github.com/o/r.git',
    'git://git.example/o/r.git',
  ])('clone from the network URL %s', (cloneUrl) => {
    expect(parseStartRequest(withContext({ cloneUrl })).ok).toBe(true);
  });

  it.each([
    'file:///srv/other-workspace',
    '/srv/other-workspace',
    'ftp://git.example/o/r.git',
    'https:///o/r.git',
    'https://git.example/o r.git',
    'https://git.example\\o/r.git',
    'https:git.example/o/r.git',
  ])('refuse to clone %s', (cloneUrl) => {
    expect(parseStartRequest(withContext({ cloneUrl }))).toStrictEqual(
      refused('context.cloneUrl must be an https, http, ssh or git URL with a host.'),
    );
  });

  it.each([
    'https://user:token@github.com/o/r.git',
    'https://user@github.com/o/r.git',
    'ssh://git:secret@github.com/o/r.git',
  ])('refuse credentials in the clone URL %s', (cloneUrl) => {
    expect(parseStartRequest(withContext({ cloneUrl }))).toStrictEqual(
      refused('context.cloneUrl must not carry credentials; send a credentialUrl instead.'),
    );
  });

  it.each(['eventsUrl', 'credentialUrl', 'gitCredentialsUrl'] as const)(
    'take only an http or https %s with a host',
    (field) => {
      for (const url of ['ssh://launchpod.example/x', 'https:///x', 'https://launchpod.example/a b']) {
        expect(parseStartRequest({ ...body, [field]: url })).toStrictEqual(
          refused(`${field} must be an http or https URL.`),
        );
      }
      expect(parseStartRequest({ ...body, [field]: 'http://launchpod.example/x' }).ok).toBe(true);
    },
  );

  it('refuse environment variables no link may set, and NUL characters anywhere a shell reads', () => {
    expect(parseStartRequest({ ...body, env: [{ name: 'PATH', value: '/x' }] })).toStrictEqual(
      refused("env: PATH changes how the workspace's shell or tools start, so it cannot be set from a link."),
    );
    expect(parseStartRequest({ ...body, env: [{ name: 'A', value: 'a\0b' }] })).toStrictEqual(
      refused('env: A contains a NUL character.'),
    );
    for (const task of [
      { before: 'a\0' },
      { init: 'a\0' },
      { prebuild: 'a\0' },
      { command: 'a\0' },
      { env: { A: 'a\0' } },
    ]) {
      expect(
        parseStartRequest({ ...body, tasks: [{ command: 'ok' }, task] }),
        JSON.stringify(task),
      ).toStrictEqual(refused('tasks[1] contains a NUL character.'));
    }
    expect(parseStartRequest({ ...body, tasks: [{ command: 'ok', env: { A: 'x' } }] }).ok).toBe(true);
  });

  it('name the field and the form expected when the schema refuses', () => {
    expect(parseStartRequest({ ...body, env: [{ name: '1X', value: '' }] })).toStrictEqual(
      refused(
        'The start request is not valid: env[0].name: must be letters, digits and _, not starting with a digit.',
      ),
    );
    expect(parseStartRequest({ ...body, tasks: [{ env: { 'MY-VAR': '1' } }] })).toStrictEqual(
      refused(
        'The start request is not valid: tasks[0].env.MY-VAR: must be letters, digits and _, not starting with a digit.',
      ),
    );
    expect(parseStartRequest(withContext({ sha: 'A'.repeat(40) }))).toStrictEqual(
      refused(
        'The start request is not valid: context.sha: must be a full 40-character lowercase hex commit id.',
      ),
    );
    expect(parseStartRequest({ ...body, id: '.hidden' })).toStrictEqual(
      refused(
        "The start request is not valid: id: must be 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit.",
      ),
    );
    expect(parseStartRequest(withContext({ defaultBranch: '-x' }))).toStrictEqual(
      refused(
        "The start request is not valid: context.defaultBranch: must be a git ref name without spaces or ~^:?*[\\ and not starting with '-'.",
      ),
    );
    expect(parseStartRequest('nope')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The start request is not valid: the body: /),
    });
  });

  it('keep within the limits a .gitpod.yml is checked against', () => {
    expect(START_LIMITS).toStrictEqual({
      tasks: 32,
      scriptChars: 65536,
      taskName: 200,
      envValue: 4096,
      env: 128,
    });
    const tasks = (n: number) => Array.from({ length: n }, () => ({ command: 'x' }));
    expect(parseStartRequest({ ...body, tasks: tasks(32) }).ok).toBe(true);
    expect(parseStartRequest({ ...body, tasks: tasks(33) }).ok).toBe(false);
    const env = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `V${i}`, value: '' }));
    expect(parseStartRequest({ ...body, env: env(128) }).ok).toBe(true);
    expect(parseStartRequest({ ...body, env: env(129) }).ok).toBe(false);
  });
});

describe('schema failures, named', () => {
  const invalid = (detail: string) => refused(`The start request is not valid: ${detail}.`);

  it('pass the validator’s sentence on whole when no meaning of its own fits', () => {
    expect(parseStartRequest({ ...body, id: 5 })).toStrictEqual(
      invalid('id: Instance type "number" is invalid. Expected "string"'),
    );
  });

  it('name the first three problems, in the request’s order, joined by semicolons', () => {
    const three =
      "id: must be 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit; context.sha: must be a full 40-character lowercase hex commit id; configFile: Instance type \"number\" is invalid. Expected \"string\"";
    expect(
      parseStartRequest({ ...withContext({ sha: 'b' }), id: '.x', configFile: 6, workspaceClass: 7 }),
    ).toStrictEqual(invalid(three));
  });

  it('write list items with brackets, at any index, and keys with dots, whatever they end or start with', () => {
    expect(parseStartRequest({ ...body, tasks: [...Array(10).fill({}), { name: 5 }] })).toStrictEqual(
      invalid('tasks[10].name: Instance type "number" is invalid. Expected "string"'),
    );
    expect(parseStartRequest({ ...body, tasks: [{ env: { A1: 'v'.repeat(4097) } }] })).toStrictEqual(
      invalid('tasks[0].env.A1: String is too long (4097 > 4096)'),
    );
    expect(parseStartRequest({ ...body, tasks: [{ env: { '1A': 'v' } }] })).toStrictEqual(
      invalid('tasks[0].env.1A: must be letters, digits and _, not starting with a digit'),
    );
  });
});

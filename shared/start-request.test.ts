// The start-request validation is the cluster's; these properties pin that whatever the launcher accepts — any
// `.gitpod.yml` that parses, any environment a link may set — makes a start request the cluster accepts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CLUSTER_CONTRACT_VERSION, type StartWorkspaceRequest } from './cluster-contract.ts';
import { parseLaunchInput } from './context-url.ts';
import { parseGitpodConfig } from './gitpod-config.ts';
import { defaultHostRegistry } from './host-registry.ts';
import type { EnvVar } from './launch-request.ts';
import { propertyRuns } from './property-runs.ts';
import { parseStartRequest } from './start-request.ts';

const context = {
  repo: { host: 'github.com', family: 'github', owner: 'o', name: 'r' },
  cloneUrl: 'https://github.com/o/r.git',
  webUrl: 'https://github.com/o/r',
  defaultBranch: 'main',
  ref: { name: 'main', type: 'branch' },
  sha: 'a'.repeat(40),
} as const;

function request(
  config: ReturnType<typeof parseGitpodConfig>,
  env: readonly EnvVar[],
): StartWorkspaceRequest {
  if (!config.ok) throw new Error('config did not parse');
  return {
    contractVersion: CLUSTER_CONTRACT_VERSION,
    id: 'ws-00000000-0000-4000-8000-000000000000',
    type: 'regular',
    owner: { id: 'user:github.com:1001' },
    context,
    initializer: { kind: 'git' },
    image: config.value.image,
    tasks: config.value.tasks,
    ports: config.value.ports,
    env,
    eventsUrl: 'https://launchpod.example/api/v1/cluster-events',
  };
}

// Names as people write them: shell-style, dashed, dotted, leading digits, unicode, empty.
const envName = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/),
  fc.string({ maxLength: 8 }),
);
const envValue = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant('\0'));
const script = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constant('echo a\0b'),
  fc.constant('x'.repeat(5000)),
);
const task = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('n'.repeat(300))),
    before: script,
    init: script,
    command: script,
    env: fc.dictionary(envName, envValue, { maxKeys: 4 }),
  },
  { requiredKeys: [] },
);

describe('what the launcher accepts, the cluster accepts (properties)', () => {
  it('any .gitpod.yml that parses makes a start request the cluster takes', () => {
    fc.assert(
      fc.property(
        fc.array(task, { maxLength: 40 }),
        fc.option(fc.string({ maxLength: 20 })),
        (tasks, image) => {
          const text = stringify({ ...(image !== null && image.trim() !== '' && { image }), tasks });
          const config = parseGitpodConfig(text);
          if (!config.ok) return;
          const checked = parseStartRequest(request(config, []));
          expect(checked.ok ? '' : checked.error).toBe('');
        },
      ),
      { numRuns: propertyRuns(600) },
    );
  });

  it('any environment a link may set makes a start request the cluster takes', () => {
    const item = fc
      .tuple(envName, fc.string({ maxLength: 12 }))
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (items) => {
        const parsed = parseLaunchInput(`${items.join(',')}/https://github.com/o/r`, defaultHostRegistry);
        if (!parsed.ok) return;
        const checked = parseStartRequest(request(parseGitpodConfig(''), parsed.value.env));
        expect(checked.ok ? '' : checked.error).toBe('');
      }),
      { numRuns: propertyRuns(2000) },
    );
  });
});

describe('parseStartRequest', () => {
  it('names a task environment name no shell can set', () => {
    const config = parseGitpodConfig('');
    if (!config.ok) throw new Error('defaults');
    const body = request(config, []);
    const refused = parseStartRequest({ ...body, tasks: [{ init: 'x', env: { 'MY-VAR': '1' } }] });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? '' : refused.error).toContain('tasks[0].env');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockedNameReason, isSafeValue, readEnvSegment } from './env-vars.ts';
import type { RejectedEnvVar } from './launch-request.ts';
import { propertyRuns } from './property-runs.ts';

const read = (segment: string) => {
  const env = new Map<string, string>();
  const rejected: RejectedEnvVar[] = [];
  readEnvSegment(segment, env, rejected);
  return { env, rejected };
};

describe('environment variable names', () => {
  it.each([
    'BASH_ENV',
    'ENV',
    'PROMPT_COMMAND',
    'PS0',
    'PS1',
    'PS4',
    'ZDOTDIR',
    'PYTHONSTARTUP',
    'PYTHONPATH',
    'PERL5LIB',
    'PERL5OPT',
    'NODE_OPTIONS',
    'PATH',
    'CDPATH',
    'SHELL',
    'IFS',
    'SUPERVISOR_DOTFILE_REPO',
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'PYTHONHOME',
    'PERLLIB',
    'JAVA_TOOL_OPTIONS',
    'NODE_PATH',
    'GIT_SSH_COMMAND',
    'GIT_DIR',
    'GITPOD_HOST',
    'SUPERVISOR_ADDR',
    'MANPATH_PATH',
    'CARGO_HOME',
    'KUBE_CONFIG',
    'MAVEN_OPTIONS',
    'X_STARTUP',
    'RC_INIT',
    'ld_preload',
    'Path',
  ])('%s is refused', (name) => {
    expect(blockedNameReason(name)).toBeTypeOf('string');
  });

  it.each([
    'FOO',
    'DEBUG',
    'NPM_TOKENLESS',
    'my-var',
    'APP_ENV',
    'GITHUB_REPO',
    'PATHFINDER',
    'HOMEPAGE',
    'PS5',
  ])('%s may be set', (name) => {
    expect(blockedNameReason(name)).toBeUndefined();
  });
});

describe('environment variable values', () => {
  it.each(['', 'abc', 'A-b_c.d', '1.2.3', 'a?b=c'])('%j is safe', (value) => {
    expect(isSafeValue(value)).toBe(true);
  });
  it.each(['$(id)', '`id`', 'a b', 'a;b', 'a/b', "a'b", 'a"b', 'a\nb', 'ü', 'a|b', 'a&b', '~'])(
    '%j is unsafe',
    (value) => {
      expect(isSafeValue(value)).toBe(false);
    },
  );
});

describe('sanitisation (property)', () => {
  const nameChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123456789abcdefLDPATHGITNODE'.split(''));
  const names = fc.oneof(
    fc.string({ unit: nameChars, minLength: 1, maxLength: 20 }),
    fc.constantFrom('PATH', 'LD_PRELOAD', 'GIT_DIR', 'NODE_OPTIONS', 'X_HOME', 'PYTHONPATH', 'IFS'),
  );
  const values = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.stringMatching(/^[A-Za-z0-9_.?=-]*$/),
  );
  const item = fc.tuple(names, values).map(([n, v]) => `${n}=${encodeURIComponent(v)}`);

  it('never lets a blocked name or an unsafe value through, and accounts for every item', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(item, fc.string()), { minLength: 1, maxLength: 8 }), (items) => {
        const segment = items.map((i) => i.replaceAll('/', '%2F').replaceAll(',', '%2C')).join(',');
        const { env, rejected } = read(segment);
        for (const [name, value] of env) {
          expect(blockedNameReason(name)).toBeUndefined();
          expect(isSafeValue(value)).toBe(true);
          expect(/^[\w-]+$/.test(name)).toBe(true);
        }
        const nonEmpty = segment.split(',').filter((i) => i !== '').length;
        expect(rejected.length).toBeLessThanOrEqual(nonEmpty);
        expect(rejected.length + env.size).toBeGreaterThanOrEqual(Math.min(1, nonEmpty));
      }),
      { numRuns: propertyRuns(2000) },
    );
  });
});

// Behaviour the mutation run (docs/mutation-testing.md) found unasserted: every blocked name, the exact messages a
// person reads on the start page, and the boundaries of NAME=value.
import { describe, expect, it } from 'vitest';
import { blockedNameReason, envNameProblem, envSegment, readEnvSegment } from './env-vars.ts';
import type { RejectedEnvVar } from './launch-request.ts';

const read = (segment: string) => {
  const env = new Map<string, string>();
  const rejected: RejectedEnvVar[] = [];
  const wellFormed = readEnvSegment(segment, env, rejected);
  return { env: [...env], rejected, wellFormed };
};

describe('blocked names', () => {
  it.each(['PS0', 'PS1', 'PS2', 'PS3', 'PS4', 'ps2', 'Ps3'])(
    '%s (a shell prompt, run as code) is refused',
    (name) => {
      expect(blockedNameReason(name)).toBe(
        `${name} changes how the workspace's shell or tools start, so it cannot be set from a link.`,
      );
    },
  );

  it.each([
    'LD_X',
    'PYTHONX',
    'PERLX',
    'JAVA_X',
    'NODE_X',
    'GIT_X',
    'GITPOD_X',
    'SUPERVISOR_X',
    'X_PATH',
    'X_HOME',
    'X_CONFIG',
    'X_OPTIONS',
    'X_STARTUP',
    'X_INIT',
  ])('%s matches a blocked prefix or suffix, and says so', (name) => {
    expect(blockedNameReason(name)).toBe(
      `${name} looks like a variable that changes how programs load code or configuration (LD_*, PYTHON*, GIT_*, *_PATH, *_HOME…), so it cannot be set from a link.`,
    );
  });

  it.each(['XLD_X', 'X_GIT_X', 'X_PATHS', 'JAVAX', 'NODEX', 'GITX', 'X_HOMES', 'MY_PS1'])(
    '%s only holds a blocked part elsewhere, and may be set',
    (name) => {
      expect(blockedNameReason(name)).toBeUndefined();
    },
  );
});

describe('names that cannot be environment variables', () => {
  it('says why, with a name that would work', () => {
    expect(envNameProblem('MY_VAR')).toBeUndefined();
    expect(envNameProblem('_x1')).toBeUndefined();
    expect(envNameProblem('my-var')).toBe(
      "'my-var' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like my_var).",
    );
    expect(envNameProblem('1X')).toBe(
      "'1X' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like _1X).",
    );
    expect(envNameProblem('A.B')).toBe(
      "'A.B' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like A_B).",
    );
    expect(envNameProblem('')).toBe(
      "'' cannot be an environment variable name: use letters, digits and _, not starting with a digit.",
    );
  });

  it('refuses a name that begins with any digit, 0 to 9, and takes one with a digit after its first character', () => {
    for (const name of ['0X', '5X', '9X', '0']) expect(envNameProblem(name), name).toBeDefined();
    for (const name of ['X0', 'X9', '_0', '_9']) expect(envNameProblem(name), name).toBeUndefined();
    // The characters just outside the digits are not word characters: refused for that, not as a digit.
    for (const name of ['/X', ':X'])
      expect(envNameProblem(name), name).toContain('use letters, digits and _');
  });

  it('shortens a name past 60 characters, and suggests a replacement only up to 60', () => {
    const sixty = `${'a'.repeat(59)}-`;
    expect(envNameProblem(sixty)).toBe(
      `'${sixty}' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like ${'a'.repeat(59)}_).`,
    );
    const sixtyOne = `${'a'.repeat(60)}-`;
    expect(envNameProblem(sixtyOne)).toBe(
      `'${'a'.repeat(57)}…' cannot be an environment variable name: use letters, digits and _, not starting with a digit.`,
    );
    // Sixty characters, starting with a digit: the suggestion would be 61 long.
    const digitFirst = `1${'a'.repeat(58)}-`;
    expect(envNameProblem(digitFirst)).toBe(
      `'${digitFirst}' cannot be an environment variable name: use letters, digits and _, not starting with a digit.`,
    );
  });
});

describe('reading NAME=value items', () => {
  it('refuses an item without exactly one = between a name and a value, quoting it decoded', () => {
    for (const item of ['=x', 'A=', 'A=b=c', 'A', 'A%20B=1', 'A.B=1']) {
      const message = `'${decodeURIComponent(item)}' is not NAME=value (one '=', a name of letters, digits, '_' or '-', and a value).`;
      expect(read(item)).toStrictEqual({
        env: [],
        rejected: [{ item: decodeURIComponent(item), reason: 'malformed', message }],
        wellFormed: 0,
      });
    }
  });

  it('accepts the shortest item, skips empty items, and counts every well-formed one, refused or not', () => {
    expect(read('A=1')).toStrictEqual({ env: [['A', '1']], rejected: [], wellFormed: 1 });
    expect(read(',,A=1,,')).toStrictEqual({ env: [['A', '1']], rejected: [], wellFormed: 1 });
    expect(read('PATH=x,A=1,b-c=2').wellFormed).toBe(3);
  });

  it('says which rule refused each item, the name rule before the blocklist', () => {
    expect(read('my-path=1,PATH=x,A=%24(id)').rejected).toStrictEqual([
      {
        item: 'my-path=1',
        reason: 'invalid-name',
        message:
          "'my-path' cannot be an environment variable name: use letters, digits and _, not starting with a digit (like my_path).",
      },
      {
        item: 'PATH=x',
        reason: 'blocked-name',
        message: "PATH changes how the workspace's shell or tools start, so it cannot be set from a link.",
      },
      {
        item: 'A=$(id)',
        reason: 'unsafe-value',
        message:
          'The value of A may only hold letters, digits and _ - . ? = — set it in the workspace instead.',
      },
    ]);
  });

  it('keeps the last of a repeated name, in the place it was last set', () => {
    expect(read('A=1,B=2,A=3').env).toStrictEqual([
      ['B', '2'],
      ['A', '3'],
    ]);
  });

  it('writes the prefix form back', () => {
    expect(envSegment([])).toBe('');
    expect(
      envSegment([
        { name: 'A', value: '1' },
        { name: 'B', value: 'x.y' },
      ]),
    ).toBe('A=1,B=x.y');
  });
});

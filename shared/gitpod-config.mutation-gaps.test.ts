// Behaviour the mutation run (docs/mutation-testing.md) found unasserted in .gitpod.yml checks: the size limit at
// its edge for 1- to 4-byte characters, and port numbers and ranges at theirs, each with its exact message.
import { describe, expect, it } from 'vitest';
import { type ConfigError, MAX_CONFIG_BYTES, parseGitpodConfig } from './gitpod-config.ts';

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

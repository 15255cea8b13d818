// Behaviour the mutation run (docs/mutation-testing.md) found unasserted in launch links: every modifier written
// back in its place (the referrer's editor included), each option and its limits, and the errors on the way.
import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from './context-url.ts';
import { defaultHostRegistry } from './host-registry.ts';
import { contextText, parseLaunchUrl, readOptions, toLaunchUrl } from './launch-url.ts';

describe('launch links', () => {
  it('write every modifier back in a fixed order, the referrer with its editor, and every option', () => {
    expect(
      toLaunchUrl(
        'https://l.example//',
        'referrer:jb:intellij/open-prebuild/p1/imagebuild/A=1/https://github.com/o/r',
        defaultHostRegistry,
        { autostart: false, quickstart: true, editor: 'code', workspaceClass: 'g1.large', region: 'eu' },
      ),
    ).toStrictEqual({
      ok: true,
      value:
        'https://l.example/?autostart=false&editor=code&class=g1.large&region=eu&quickstart=true#A=1/referrer:jb:intellij/imagebuild/open-prebuild/p1/https://github.com/o/r',
    });
    expect(
      toLaunchUrl('https://l.example', 'referrer:jb/https://github.com/o/r', defaultHostRegistry),
    ).toStrictEqual({
      ok: true,
      value: 'https://l.example/#referrer:jb/https://github.com/o/r',
    });
  });

  it('pass a parse error on, and refuse a request for a host the registry does not hold', () => {
    expect(
      toLaunchUrl('https://l.example', 'https://nowhere.example/o/r', defaultHostRegistry),
    ).toMatchObject({
      ok: false,
      error: { code: 'unknown-host' },
    });
    const parsed = parseLaunchInput('https://github.com/o/r', defaultHostRegistry);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const elsewhere = {
      ...parsed.value,
      context: {
        ...parsed.value.context,
        repo: { host: 'ghe.example', family: 'github', owner: 'o', name: 'r' },
      },
    } as typeof parsed.value;
    const error = {
      ok: false,
      error: { code: 'unknown-host', message: 'ghe.example is not a git host this launcher knows.' },
    };
    expect(contextText(elsewhere, defaultHostRegistry)).toStrictEqual(error);
    expect(toLaunchUrl('https://l.example', elsewhere, defaultHostRegistry)).toStrictEqual(error);
  });
});

describe('launch options', () => {
  it('take a value of 1–64 lower-case letters, digits, ., _ and -, starting with a letter or digit', () => {
    expect(readOptions(`region=${'a'.repeat(64)}&class=g1.x_y-z&editor=0`)).toStrictEqual({
      options: { region: 'a'.repeat(64), workspaceClass: 'g1.x_y-z', editor: '0' },
      ignored: [],
      contextQuery: '',
    });
    for (const value of [
      'a'.repeat(65),
      '',
      'A',
      '-a',
      '.a',
      'a b',
      'code"><script>',
      'code%22%3E%3Cscript%3E',
    ]) {
      const shown = decodeURIComponent(value);
      expect(readOptions(`editor=${value}`)).toStrictEqual({
        options: {},
        ignored: [`editor=${shown}`],
        contextQuery: '',
      });
    }
  });

  it('read flags in every spelling, and report the ones they cannot read', () => {
    for (const [text, flag] of [
      ['', true],
      ['true', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
    ] as const) {
      expect(readOptions(`autostart=${text}&quickstart=${text}`).options).toStrictEqual({
        autostart: flag,
        quickstart: flag,
      });
    }
    expect(readOptions('autostart').options).toStrictEqual({ autostart: true });
    expect(readOptions('autostart=maybe&quickstart=TRUE').ignored).toStrictEqual([
      'autostart=maybe',
      'quickstart=TRUE',
    ]);
  });

  it("never take an object's inherited names for options; the path form hands them to the context", () => {
    expect(readOptions('constructor=x&__proto__=y&toString=z&editor2=1&&x=1', true)).toStrictEqual({
      options: {},
      ignored: [],
      contextQuery: 'constructor=x&__proto__=y&toString=z&editor2=1&x=1',
    });
    expect(readOptions('constructor=x&x=1').contextQuery).toBe('');
  });
});

describe('reading a launch link', () => {
  it('needs the launcher address first', () => {
    expect(parseLaunchUrl('launcher.example/#https://github.com/o/r', defaultHostRegistry)).toStrictEqual({
      ok: false,
      error: {
        code: 'malformed-url',
        message:
          'A launch link starts with the launcher address, like https://launcher.example/#https://github.com/owner/repo.',
      },
    });
  });

  it('reads the path form with its options taken out of the query and its fragment kept', () => {
    expect(
      parseLaunchUrl(
        'https://l.example/github.com/o/r/blob/main/a.ts?autostart=0&plain=1#L3',
        defaultHostRegistry,
      ),
    ).toMatchObject({
      ok: true,
      value: {
        options: { autostart: false },
        form: 'path',
        ignoredOptions: [],
        request: { context: { kind: 'repository', lines: { start: 3, end: 3 } } },
      },
    });
    expect(parseLaunchUrl('http://l.example/#https://github.com/o/r', defaultHostRegistry)).toMatchObject({
      ok: true,
      value: { form: 'hash', options: {} },
    });
    expect(parseLaunchUrl('https://l.example/?editor=x#', defaultHostRegistry)).toMatchObject({
      ok: false,
      error: { code: 'empty' },
    });
  });
});

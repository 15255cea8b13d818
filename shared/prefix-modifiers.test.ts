import { describe, expect, it } from 'vitest';
import { readPrefixModifiers } from './prefix-modifiers.ts';

const plain = {
  env: new Map(),
  rejectedEnv: [],
  warnings: [],
  referrer: undefined,
  imageBuild: false,
  openPrebuild: undefined,
  snapshotId: undefined,
};
const invalid = (message: string) => ({ ok: false, error: { code: 'invalid-modifier', message } });
const referrerError = (segment: string) =>
  invalid(
    `'${segment}/' is not a valid referrer: write referrer:<name>/ or referrer:<name>:<editor>/, letters, digits, '.', '_' and '-' only.`,
  );

describe('prefix modifiers', () => {
  it('leave a URL without modifiers as it is', () => {
    for (const text of ['https://github.com/o/r', 'github.com/o/r', 'git@github.com:o/r.git', 'r/x', 'i/x']) {
      expect(readPrefixModifiers(text)).toStrictEqual({ ok: true, modifiers: plain, rest: text });
    }
  });

  it('read every modifier, in any order, up to the URL', () => {
    expect(
      readPrefixModifiers(
        'referrer:jetbrains-gateway:intellij/imagebuild/A=1/open-prebuild/p-1/https://x.example/o/r',
      ),
    ).toStrictEqual({
      ok: true,
      modifiers: {
        ...plain,
        env: new Map([['A', '1']]),
        referrer: { name: 'jetbrains-gateway', ide: 'intellij' },
        imageBuild: true,
        openPrebuild: 'p-1',
      },
      rest: 'https://x.example/o/r',
    });
    expect(readPrefixModifiers('referrer:vscode.insiders/https://x')).toStrictEqual({
      ok: true,
      modifiers: { ...plain, referrer: { name: 'vscode.insiders' } },
      rest: 'https://x',
    });
  });

  it('take only whole modifier names', () => {
    for (const text of [
      'imagebuilds/https://x',
      'imagebuil/https://x',
      'open-prebuilds/p/https://x',
      'snapshots/x',
    ]) {
      expect(readPrefixModifiers(text)).toStrictEqual({ ok: true, modifiers: plain, rest: text });
    }
    expect(readPrefixModifiers('imagebuild')).toStrictEqual({
      ok: false,
      error: {
        code: 'empty',
        message:
          'The modifiers are not followed by a repository URL. Add one after the last /, like FOO=bar/https://github.com/owner/repo.',
      },
    });
  });

  it('use the last of a repeated referrer or prebuild, and say so', () => {
    expect(
      readPrefixModifiers('open-prebuild/a/open-prebuild/b/referrer:x:y/referrer:z/https://x'),
    ).toStrictEqual({
      ok: true,
      modifiers: {
        ...plain,
        referrer: { name: 'z' },
        openPrebuild: 'b',
        warnings: [
          { code: 'duplicate-modifier', message: 'open-prebuild was given twice; the last one is used.' },
          { code: 'duplicate-modifier', message: 'The referrer was given twice; the last one is used.' },
        ],
      },
      rest: 'https://x',
    });
  });

  it('refuse a referrer name or editor outside 1–64 letters, digits, ., _ and -', () => {
    const ok64 = 'a'.repeat(64);
    expect(readPrefixModifiers(`referrer:${ok64}:${ok64}/https://x`)).toStrictEqual({
      ok: true,
      modifiers: { ...plain, referrer: { name: ok64, ide: ok64 } },
      rest: 'https://x',
    });
    for (const segment of [
      'referrer:',
      `referrer:${'a'.repeat(65)}`,
      `referrer:a:${'b'.repeat(65)}`,
      'referrer:a:',
      'referrer:a b',
      'referrer:a:code"><script>',
      'referrer:code"><script>',
      'referrer:a:b:c',
    ]) {
      expect(readPrefixModifiers(`${segment}/https://x`)).toStrictEqual(referrerError(segment));
    }
  });

  it('refuse a prebuild id outside 1–128 word characters and -, or without a URL after it', () => {
    const id128 = 'p'.repeat(128);
    expect(readPrefixModifiers(`open-prebuild/${id128}/https://x`)).toStrictEqual({
      ok: true,
      modifiers: { ...plain, openPrebuild: id128 },
      rest: 'https://x',
    });
    for (const id of ['', 'p'.repeat(129), 'a.b', 'a"<b']) {
      expect(readPrefixModifiers(`open-prebuild/${id}/https://x`)).toStrictEqual(
        invalid(
          `'open-prebuild/${id}' needs a prebuild id and then the repository URL: open-prebuild/<id>/https://github.com/owner/repo.`,
        ),
      );
    }
  });

  it('read a snapshot as the whole context, trailing slashes allowed, env before it kept', () => {
    expect(readPrefixModifiers('snapshot/s-1//')).toStrictEqual({
      ok: true,
      modifiers: { ...plain, snapshotId: 's-1' },
      rest: '',
    });
    expect(readPrefixModifiers('A=1/snapshot/s-1')).toStrictEqual({
      ok: true,
      modifiers: { ...plain, env: new Map([['A', '1']]), snapshotId: 's-1' },
      rest: '',
    });
    const id128 = 's'.repeat(128);
    expect(readPrefixModifiers(`snapshot/${id128}`).ok).toBe(true);
    for (const after of ['', 's'.repeat(129), 'a/b', 'a.b']) {
      expect(readPrefixModifiers(`snapshot/${after}`)).toStrictEqual(
        invalid(`'snapshot/${after}' is not a snapshot link: it is snapshot/<id> with nothing after the id.`),
      );
    }
  });

  it('take a segment with = and no : as environment variables, and say when none is NAME=value', () => {
    expect(readPrefixModifiers('A=1,B=%3D/https://x')).toStrictEqual({
      ok: true,
      modifiers: {
        ...plain,
        env: new Map([
          ['A', '1'],
          ['B', '='],
        ]),
      },
      rest: 'https://x',
    });
    expect(readPrefixModifiers('=%20x,==/https://x')).toStrictEqual(
      invalid(
        "'= x,==/' looks like environment variables, but none is NAME=value. Write them as NAME=value,OTHER=value/ before the repository URL.",
      ),
    );
    // A : in the first segment makes it a URL, even with an = (`https://x/?a=b`).
    expect(readPrefixModifiers('https:?a=b')).toStrictEqual({
      ok: true,
      modifiers: plain,
      rest: 'https:?a=b',
    });
    // An = after the first / is not the first segment's.
    expect(readPrefixModifiers('github.com/o/r?a=b')).toStrictEqual({
      ok: true,
      modifiers: plain,
      rest: 'github.com/o/r?a=b',
    });
  });
});

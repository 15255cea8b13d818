// The documents a newcomer follows: README stays short (the rest lives in docs/), and every relative link and image
// in README, docs/ and the component READMEs points at a file that exists, at a heading that exists.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const documents = [
  'README.md',
  'cluster/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');

const anchorsIn = (file: string) =>
  new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => anchorOf(line.replace(/^#+ /, ''))),
  );

describe('documents', () => {
  it('keeps README under 10 KB', () => {
    expect(readFileSync(join(ROOT, 'README.md')).length).toBeLessThanOrEqual(10 * 1024);
  });

  it.each(documents)('%s links only to files and headings that exist', (document) => {
    const file = join(ROOT, document);
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue; // absolute URLs
      const [path = '', anchor] = target.split('#');
      const linked = path === '' ? file : resolve(dirname(file), path);
      if (!existsSync(linked)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor !== undefined && linked.endsWith('.md') && !anchorsIn(linked).has(anchor))
        broken.push(`${target}: no such heading`);
    }
    expect(broken).toStrictEqual([]);
  });
});
